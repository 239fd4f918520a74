// Original file: proto/google/rpc/status.proto

import type { Any as _google_protobuf_Any, Any__Output as _google_protobuf_Any__Output } from '../../google/protobuf/Any';

/**
 * The error model shared by gRPC APIs: a code, a developer-facing message and
 * typed details (here: `google.rpc.BadRequest`, `google.rpc.ErrorInfo`).
 */
export interface Status {
  /**
   * A `google.rpc.Code` value, e.g. 3 = INVALID_ARGUMENT.
   */
  'code'?: (number);
  /**
   * A developer-facing English message.
   */
  'message'?: (string);
  /**
   * Typed details; each `type_url` is
   * `type.googleapis.com/<full message name>`.
   */
  'details'?: (_google_protobuf_Any)[];
}

/**
 * The error model shared by gRPC APIs: a code, a developer-facing message and
 * typed details (here: `google.rpc.BadRequest`, `google.rpc.ErrorInfo`).
 */
export interface Status__Output {
  /**
   * A `google.rpc.Code` value, e.g. 3 = INVALID_ARGUMENT.
   */
  'code': (number);
  /**
   * A developer-facing English message.
   */
  'message': (string);
  /**
   * Typed details; each `type_url` is
   * `type.googleapis.com/<full message name>`.
   */
  'details': (_google_protobuf_Any__Output)[];
}
