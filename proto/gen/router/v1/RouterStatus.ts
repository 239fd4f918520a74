// Original file: proto/router/v1/router.proto

import type { Condition as _router_v1_Condition, Condition__Output as _router_v1_Condition__Output } from '../../router/v1/Condition';
import type { DnsmasqState as _router_v1_DnsmasqState, DnsmasqState__Output as _router_v1_DnsmasqState__Output } from '../../router/v1/DnsmasqState';
import type { PendingCommit as _router_v1_PendingCommit, PendingCommit__Output as _router_v1_PendingCommit__Output } from '../../router/v1/PendingCommit';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Long } from '@grpc/proto-loader';

/**
 * The agent's status, Kubernetes-style: what is applied and how it is going.
 */
export interface RouterStatus {
  /**
   * Ready, DhcpServing, AwaitingConfirm, Degraded.
   */
  'conditions'?: (_router_v1_Condition)[];
  'applied_generation'?: (number | string | Long);
  'applied_hash'?: (string);
  'applied_revision'?: (number | string | Long);
  'dnsmasq'?: (_router_v1_DnsmasqState | null);
  'pending_commit'?: (_router_v1_PendingCommit | null);
  /**
   * When the agent process started.
   */
  'started_at'?: (_google_protobuf_Timestamp | null);
}

/**
 * The agent's status, Kubernetes-style: what is applied and how it is going.
 */
export interface RouterStatus__Output {
  /**
   * Ready, DhcpServing, AwaitingConfirm, Degraded.
   */
  'conditions': (_router_v1_Condition__Output)[];
  'applied_generation': (number);
  'applied_hash': (string);
  'applied_revision': (number);
  'dnsmasq': (_router_v1_DnsmasqState__Output | null);
  'pending_commit': (_router_v1_PendingCommit__Output | null);
  /**
   * When the agent process started.
   */
  'started_at': (_google_protobuf_Timestamp__Output | null);
}
