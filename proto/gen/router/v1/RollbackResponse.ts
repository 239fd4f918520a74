// Original file: proto/router/v1/router.proto

import type { Plan as _router_v1_Plan, Plan__Output as _router_v1_Plan__Output } from '../../router/v1/Plan';
import type { Long } from '@grpc/proto-loader';

export interface RollbackResponse {
  /**
   * The new revision, a copy of the restored one.
   */
  'applied_revision'?: (number | string | Long);
  'applied_generation'?: (number | string | Long);
  'applied_hash'?: (string);
  /**
   * What the rollback changed.
   */
  'plan'?: (_router_v1_Plan | null);
}

export interface RollbackResponse__Output {
  /**
   * The new revision, a copy of the restored one.
   */
  'applied_revision': (number);
  'applied_generation': (number);
  'applied_hash': (string);
  /**
   * What the rollback changed.
   */
  'plan': (_router_v1_Plan__Output | null);
}
