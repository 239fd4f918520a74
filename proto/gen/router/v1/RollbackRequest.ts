// Original file: proto/router/v1/router.proto

import type { Long } from '@grpc/proto-loader';

export interface RollbackRequest {
  /**
   * The revision to restore; 0: the one applied before the current one.
   */
  'revision'?: (number | string | Long);
  /**
   * Why, for the audit log and `History`.
   */
  'reason'?: (string);
}

export interface RollbackRequest__Output {
  /**
   * The revision to restore; 0: the one applied before the current one.
   */
  'revision': (number);
  /**
   * Why, for the audit log and `History`.
   */
  'reason': (string);
}
