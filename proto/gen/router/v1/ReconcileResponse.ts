// Original file: proto/router/v1/router.proto

import type { Hello as _router_v1_Hello, Hello__Output as _router_v1_Hello__Output } from '../../router/v1/Hello';
import type { Ack as _router_v1_Ack, Ack__Output as _router_v1_Ack__Output } from '../../router/v1/Ack';
import type { RouterStatus as _router_v1_RouterStatus, RouterStatus__Output as _router_v1_RouterStatus__Output } from '../../router/v1/RouterStatus';

/**
 * One message from the agent on the Reconcile stream.
 */
export interface ReconcileResponse {
  'hello'?: (_router_v1_Hello | null);
  'ack'?: (_router_v1_Ack | null);
  'status'?: (_router_v1_RouterStatus | null);
  'kind'?: "hello"|"ack"|"status";
}

/**
 * One message from the agent on the Reconcile stream.
 */
export interface ReconcileResponse__Output {
  'hello'?: (_router_v1_Hello__Output | null);
  'ack'?: (_router_v1_Ack__Output | null);
  'status'?: (_router_v1_RouterStatus__Output | null);
  'kind'?: "hello"|"ack"|"status";
}
