// Original file: proto/router/v1/router.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

/**
 * Sent when nothing else was sent for the heartbeat interval (default 10 s),
 * so both sides can tell a quiet stream from a dead one.
 */
export interface Heartbeat {
  'at'?: (_google_protobuf_Timestamp | null);
}

/**
 * Sent when nothing else was sent for the heartbeat interval (default 10 s),
 * so both sides can tell a quiet stream from a dead one.
 */
export interface Heartbeat__Output {
  'at': (_google_protobuf_Timestamp__Output | null);
}
