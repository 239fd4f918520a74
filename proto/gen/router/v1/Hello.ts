// Original file: proto/router/v1/router.proto

import type { PendingCommit as _router_v1_PendingCommit, PendingCommit__Output as _router_v1_PendingCommit__Output } from '../../router/v1/PendingCommit';
import type { Long } from '@grpc/proto-loader';

/**
 * The agent's first message on a Reconcile stream: what runs now.
 */
export interface Hello {
  /**
   * 0 before anything was ever applied.
   */
  'applied_generation'?: (number | string | Long);
  /**
   * sha256 hex of the canonical JSON of the applied, validated spec; empty
   * before anything was applied.
   */
  'applied_hash'?: (string);
  /**
   * 0 before anything was applied.
   */
  'applied_revision'?: (number | string | Long);
  /**
   * Present while a commit-confirm window is open.
   */
  'pending_commit'?: (_router_v1_PendingCommit | null);
}

/**
 * The agent's first message on a Reconcile stream: what runs now.
 */
export interface Hello__Output {
  /**
   * 0 before anything was ever applied.
   */
  'applied_generation': (number);
  /**
   * sha256 hex of the canonical JSON of the applied, validated spec; empty
   * before anything was applied.
   */
  'applied_hash': (string);
  /**
   * 0 before anything was applied.
   */
  'applied_revision': (number);
  /**
   * Present while a commit-confirm window is open.
   */
  'pending_commit': (_router_v1_PendingCommit__Output | null);
}
