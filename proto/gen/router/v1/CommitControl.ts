// Original file: proto/router/v1/router.proto

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';

// Original file: proto/router/v1/router.proto

export const _router_v1_CommitControl_Action = {
  ACTION_UNSPECIFIED: 'ACTION_UNSPECIFIED',
  /**
   * Make the pending commit final.
   */
  CONFIRM: 'CONFIRM',
  /**
   * Restore the previous revision now.
   */
  CANCEL: 'CANCEL',
  /**
   * Push the deadline out to `extend_by` from now.
   */
  EXTEND: 'EXTEND',
} as const;

export type _router_v1_CommitControl_Action =
  | 'ACTION_UNSPECIFIED'
  | 0
  /**
   * Make the pending commit final.
   */
  | 'CONFIRM'
  | 1
  /**
   * Restore the previous revision now.
   */
  | 'CANCEL'
  | 2
  /**
   * Push the deadline out to `extend_by` from now.
   */
  | 'EXTEND'
  | 3

export type _router_v1_CommitControl_Action__Output = typeof _router_v1_CommitControl_Action[keyof typeof _router_v1_CommitControl_Action]

/**
 * Act on the open commit-confirm window.
 */
export interface CommitControl {
  'action'?: (_router_v1_CommitControl_Action);
  /**
   * For EXTEND; must be positive.
   */
  'extend_by'?: (_google_protobuf_Duration | null);
  /**
   * The pending commit to act on; empty: whichever is pending.
   */
  'commit_id'?: (string);
  /**
   * Unique within the stream; the `Ack` carries it. Required.
   */
  'nonce'?: (string);
}

/**
 * Act on the open commit-confirm window.
 */
export interface CommitControl__Output {
  'action': (_router_v1_CommitControl_Action__Output);
  /**
   * For EXTEND; must be positive.
   */
  'extend_by': (_google_protobuf_Duration__Output | null);
  /**
   * The pending commit to act on; empty: whichever is pending.
   */
  'commit_id': (string);
  /**
   * Unique within the stream; the `Ack` carries it. Required.
   */
  'nonce': (string);
}
