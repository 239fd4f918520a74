// Original file: proto/router/v1/router.proto

import type { DesiredState as _router_v1_DesiredState, DesiredState__Output as _router_v1_DesiredState__Output } from '../../router/v1/DesiredState';
import type { CommitControl as _router_v1_CommitControl, CommitControl__Output as _router_v1_CommitControl__Output } from '../../router/v1/CommitControl';

/**
 * One message from the host on the Reconcile stream.
 */
export interface ReconcileRequest {
  'desired_state'?: (_router_v1_DesiredState | null);
  'commit_control'?: (_router_v1_CommitControl | null);
  'kind'?: "desired_state"|"commit_control";
}

/**
 * One message from the host on the Reconcile stream.
 */
export interface ReconcileRequest__Output {
  'desired_state'?: (_router_v1_DesiredState__Output | null);
  'commit_control'?: (_router_v1_CommitControl__Output | null);
  'kind'?: "desired_state"|"commit_control";
}
