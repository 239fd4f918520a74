// Original file: proto/router/v1/router.proto

import type { Status as _google_rpc_Status, Status__Output as _google_rpc_Status__Output } from '../../google/rpc/Status';
import type { Plan as _router_v1_Plan, Plan__Output as _router_v1_Plan__Output } from '../../router/v1/Plan';
import type { PendingCommit as _router_v1_PendingCommit, PendingCommit__Output as _router_v1_PendingCommit__Output } from '../../router/v1/PendingCommit';
import type { Long } from '@grpc/proto-loader';

/**
 * The answer to one `DesiredState` or `CommitControl`.
 */
export interface Ack {
  /**
   * The nonce of the message this answers.
   */
  'nonce'?: (string);
  /**
   * true: applied (or, for a dry run, valid and planned; for CommitControl,
   * done). false: a NACK; `error` says why and the router stays on the state
   * described by `applied_*`.
   */
  'accepted'?: (boolean);
  /**
   * What runs after this message was handled: the new state when accepted,
   * the last good state otherwise.
   */
  'applied_generation'?: (number | string | Long);
  'applied_hash'?: (string);
  'applied_revision'?: (number | string | Long);
  /**
   * Set when `accepted` is false (except for `superseded`). `code` is
   * INVALID_ARGUMENT with a `google.rpc.BadRequest` listing every field
   * violation; ABORTED with a `google.rpc.ErrorInfo` (reason `APPLY_FAILED`,
   * metadata `step`, `stderr`, `rolled_back`) when applying failed and was
   * rolled back; FAILED_PRECONDITION or NOT_FOUND with an `ErrorInfo` when the
   * request was refused without touching anything.
   */
  'error'?: (_google_rpc_Status | null);
  /**
   * What the push changed (or, for a dry run, would change).
   */
  'plan'?: (_router_v1_Plan | null);
  /**
   * Present while a commit-confirm window is open after this message.
   */
  'pending_commit'?: (_router_v1_PendingCommit | null);
  /**
   * true: a newer push arrived before this one was applied; it was skipped.
   */
  'superseded'?: (boolean);
}

/**
 * The answer to one `DesiredState` or `CommitControl`.
 */
export interface Ack__Output {
  /**
   * The nonce of the message this answers.
   */
  'nonce': (string);
  /**
   * true: applied (or, for a dry run, valid and planned; for CommitControl,
   * done). false: a NACK; `error` says why and the router stays on the state
   * described by `applied_*`.
   */
  'accepted': (boolean);
  /**
   * What runs after this message was handled: the new state when accepted,
   * the last good state otherwise.
   */
  'applied_generation': (number);
  'applied_hash': (string);
  'applied_revision': (number);
  /**
   * Set when `accepted` is false (except for `superseded`). `code` is
   * INVALID_ARGUMENT with a `google.rpc.BadRequest` listing every field
   * violation; ABORTED with a `google.rpc.ErrorInfo` (reason `APPLY_FAILED`,
   * metadata `step`, `stderr`, `rolled_back`) when applying failed and was
   * rolled back; FAILED_PRECONDITION or NOT_FOUND with an `ErrorInfo` when the
   * request was refused without touching anything.
   */
  'error': (_google_rpc_Status__Output | null);
  /**
   * What the push changed (or, for a dry run, would change).
   */
  'plan': (_router_v1_Plan__Output | null);
  /**
   * Present while a commit-confirm window is open after this message.
   */
  'pending_commit': (_router_v1_PendingCommit__Output | null);
  /**
   * true: a newer push arrived before this one was applied; it was skipped.
   */
  'superseded': (boolean);
}
