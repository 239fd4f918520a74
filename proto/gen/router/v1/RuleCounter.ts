// Original file: proto/router/v1/router.proto

import type { Long } from '@grpc/proto-loader';

/**
 * The named nft counter of one rule.
 */
export interface RuleCounter {
  'id'?: (string);
  'packets'?: (number | string | Long);
  'bytes'?: (number | string | Long);
}

/**
 * The named nft counter of one rule.
 */
export interface RuleCounter__Output {
  'id': (string);
  'packets': (number);
  'bytes': (number);
}
