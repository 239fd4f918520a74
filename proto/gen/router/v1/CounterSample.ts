// Original file: proto/router/v1/router.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { RuleCounter as _router_v1_RuleCounter, RuleCounter__Output as _router_v1_RuleCounter__Output } from '../../router/v1/RuleCounter';
import type { InterfaceCounter as _router_v1_InterfaceCounter, InterfaceCounter__Output as _router_v1_InterfaceCounter__Output } from '../../router/v1/InterfaceCounter';
import type { Long } from '@grpc/proto-loader';

/**
 * Counters at one instant. Rates are the client's difference of two samples.
 */
export interface CounterSample {
  'at'?: (_google_protobuf_Timestamp | null);
  /**
   * Per user rule and port forward, by stable id.
   */
  'rules'?: (_router_v1_RuleCounter)[];
  /**
   * Per interface, from the kernel.
   */
  'interfaces'?: (_router_v1_InterfaceCounter)[];
  /**
   * Entries in the conntrack table.
   */
  'conntrack_count'?: (number | string | Long);
  /**
   * Samples coalesced into this one because the reader was slow; 0 normally.
   */
  'duplicates'?: (number);
}

/**
 * Counters at one instant. Rates are the client's difference of two samples.
 */
export interface CounterSample__Output {
  'at': (_google_protobuf_Timestamp__Output | null);
  /**
   * Per user rule and port forward, by stable id.
   */
  'rules': (_router_v1_RuleCounter__Output)[];
  /**
   * Per interface, from the kernel.
   */
  'interfaces': (_router_v1_InterfaceCounter__Output)[];
  /**
   * Entries in the conntrack table.
   */
  'conntrack_count': (number);
  /**
   * Samples coalesced into this one because the reader was slow; 0 normally.
   */
  'duplicates': (number);
}
