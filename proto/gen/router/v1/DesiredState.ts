// Original file: proto/router/v1/router.proto

import type { RouterSpec as _router_v1_RouterSpec, RouterSpec__Output as _router_v1_RouterSpec__Output } from '../../router/v1/RouterSpec';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';
import type { Long } from '@grpc/proto-loader';

/**
 * Apply this spec (or, with `dry_run`, only plan it).
 */
export interface DesiredState {
  /**
   * The sender's counter, echoed in acks and status as `applied_generation`.
   * A client reads `Hello.applied_generation` and sends one more.
   */
  'generation'?: (number | string | Long);
  /**
   * Unique within the stream; the `Ack` for this push carries it. Required.
   */
  'nonce'?: (string);
  /**
   * The whole desired state. Validated by the agent.
   */
  'spec'?: (_router_v1_RouterSpec | null);
  /**
   * Plan only: validate, render and diff against what runs now; change
   * nothing. The `Ack` carries the plan.
   */
  'dry_run'?: (boolean);
  /**
   * Commit-confirm: unless a `CommitControl{CONFIRM}` arrives within this
   * window, the agent restores the previous revision by itself. Absent or
   * zero: the apply is final at once.
   */
  'confirm_within'?: (_google_protobuf_Duration | null);
  /**
   * While a commit-confirm window is open, further pushes must name it here
   * (they continue that commit); without it they are refused.
   */
  'commit_id'?: (string);
  /**
   * Why, for the audit log and `History`.
   */
  'reason'?: (string);
}

/**
 * Apply this spec (or, with `dry_run`, only plan it).
 */
export interface DesiredState__Output {
  /**
   * The sender's counter, echoed in acks and status as `applied_generation`.
   * A client reads `Hello.applied_generation` and sends one more.
   */
  'generation': (number);
  /**
   * Unique within the stream; the `Ack` for this push carries it. Required.
   */
  'nonce': (string);
  /**
   * The whole desired state. Validated by the agent.
   */
  'spec': (_router_v1_RouterSpec__Output | null);
  /**
   * Plan only: validate, render and diff against what runs now; change
   * nothing. The `Ack` carries the plan.
   */
  'dry_run': (boolean);
  /**
   * Commit-confirm: unless a `CommitControl{CONFIRM}` arrives within this
   * window, the agent restores the previous revision by itself. Absent or
   * zero: the apply is final at once.
   */
  'confirm_within': (_google_protobuf_Duration__Output | null);
  /**
   * While a commit-confirm window is open, further pushes must name it here
   * (they continue that commit); without it they are refused.
   */
  'commit_id': (string);
  /**
   * Why, for the audit log and `History`.
   */
  'reason': (string);
}
