// Original file: proto/router/v1/router.proto


/**
 * The stream could not continue from the client's position: the resume token
 * was unknown or too old, or the client fell so far behind that the agent
 * dropped its queue. A fresh `LeaseSnapshot` and `SyncMarker` follow at once;
 * the client must replace its lease table with the snapshot.
 */
export interface Reset {
  /**
   * e.g. `resume token too old`, `lease event queue overflow`.
   */
  'reason'?: (string);
}

/**
 * The stream could not continue from the client's position: the resume token
 * was unknown or too old, or the client fell so far behind that the agent
 * dropped its queue. A fresh `LeaseSnapshot` and `SyncMarker` follow at once;
 * the client must replace its lease table with the snapshot.
 */
export interface Reset__Output {
  /**
   * e.g. `resume token too old`, `lease event queue overflow`.
   */
  'reason': (string);
}
