// Original file: proto/router/v1/router.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Long } from '@grpc/proto-loader';

/**
 * One aspect of the router's health.
 */
export interface Condition {
  /**
   * `Ready`: the applied state is in place. `DhcpServing`: dnsmasq runs and
   * serves the LANs. `AwaitingConfirm`: a commit-confirm window is open.
   * `Degraded`: something drifted or keeps failing.
   */
  'type'?: (string);
  'status'?: (boolean);
  /**
   * CamelCase machine reason, e.g. `Applied`, `DnsmasqDown`, `Drift`.
   */
  'reason'?: (string);
  /**
   * Human-readable detail.
   */
  'message'?: (string);
  /**
   * The generation this condition was computed for.
   */
  'observed_generation'?: (number | string | Long);
  /**
   * When `status` last changed.
   */
  'last_transition_time'?: (_google_protobuf_Timestamp | null);
}

/**
 * One aspect of the router's health.
 */
export interface Condition__Output {
  /**
   * `Ready`: the applied state is in place. `DhcpServing`: dnsmasq runs and
   * serves the LANs. `AwaitingConfirm`: a commit-confirm window is open.
   * `Degraded`: something drifted or keeps failing.
   */
  'type': (string);
  'status': (boolean);
  /**
   * CamelCase machine reason, e.g. `Applied`, `DnsmasqDown`, `Drift`.
   */
  'reason': (string);
  /**
   * Human-readable detail.
   */
  'message': (string);
  /**
   * The generation this condition was computed for.
   */
  'observed_generation': (number);
  /**
   * When `status` last changed.
   */
  'last_transition_time': (_google_protobuf_Timestamp__Output | null);
}
