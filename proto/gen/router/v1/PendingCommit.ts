// Original file: proto/router/v1/router.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Long } from '@grpc/proto-loader';

/**
 * An open commit-confirm window.
 */
export interface PendingCommit {
  'commit_id'?: (string);
  /**
   * When the agent restores `rollback_to` unless confirmed.
   */
  'deadline'?: (_google_protobuf_Timestamp | null);
  /**
   * The revision restored on timeout or cancel.
   */
  'rollback_to'?: (number | string | Long);
}

/**
 * An open commit-confirm window.
 */
export interface PendingCommit__Output {
  'commit_id': (string);
  /**
   * When the agent restores `rollback_to` unless confirmed.
   */
  'deadline': (_google_protobuf_Timestamp__Output | null);
  /**
   * The revision restored on timeout or cancel.
   */
  'rollback_to': (number);
}
