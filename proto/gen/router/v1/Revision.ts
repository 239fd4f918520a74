// Original file: proto/router/v1/router.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { RouterSpec as _router_v1_RouterSpec, RouterSpec__Output as _router_v1_RouterSpec__Output } from '../../router/v1/RouterSpec';
import type { Long } from '@grpc/proto-loader';

/**
 * One applied state.
 */
export interface Revision {
  /**
   * Monotonic, starting at 1.
   */
  'revision'?: (number | string | Long);
  /**
   * sha256 hex of the canonical JSON of the validated spec.
   */
  'hash'?: (string);
  'generation'?: (number | string | Long);
  'applied_at'?: (_google_protobuf_Timestamp | null);
  /**
   * Who applied it: a certificate subject CN, a token name, or `local`.
   */
  'actor'?: (string);
  /**
   * Why, as given by the client.
   */
  'reason'?: (string);
  /**
   * Only with `HistoryRequest.include_specs`.
   */
  'spec'?: (_router_v1_RouterSpec | null);
}

/**
 * One applied state.
 */
export interface Revision__Output {
  /**
   * Monotonic, starting at 1.
   */
  'revision': (number);
  /**
   * sha256 hex of the canonical JSON of the validated spec.
   */
  'hash': (string);
  'generation': (number);
  'applied_at': (_google_protobuf_Timestamp__Output | null);
  /**
   * Who applied it: a certificate subject CN, a token name, or `local`.
   */
  'actor': (string);
  /**
   * Why, as given by the client.
   */
  'reason': (string);
  /**
   * Only with `HistoryRequest.include_specs`.
   */
  'spec': (_router_v1_RouterSpec__Output | null);
}
