// Original file: proto/router/v1/router.proto


/**
 * What to watch. At least one of `leases` and `counters` must be true.
 */
export interface SubscribeRequest {
  /**
   * Stream the lease snapshot and lease events.
   */
  'leases'?: (boolean);
  /**
   * Stream counter samples.
   */
  'counters'?: (boolean);
  /**
   * Milliseconds between counter samples: 0 means 1000; clamped to
   * [100, 3600000].
   */
  'counter_interval_ms'?: (number);
  /**
   * A `resume_token` from an earlier stream of this agent process. If the
   * agent still holds the lease events after it, the stream replays them and
   * then sends `SyncMarker` instead of a snapshot; otherwise it sends `Reset`
   * and a fresh snapshot. Empty: start with a snapshot.
   */
  'resume_token'?: (string);
}

/**
 * What to watch. At least one of `leases` and `counters` must be true.
 */
export interface SubscribeRequest__Output {
  /**
   * Stream the lease snapshot and lease events.
   */
  'leases': (boolean);
  /**
   * Stream counter samples.
   */
  'counters': (boolean);
  /**
   * Milliseconds between counter samples: 0 means 1000; clamped to
   * [100, 3600000].
   */
  'counter_interval_ms': (number);
  /**
   * A `resume_token` from an earlier stream of this agent process. If the
   * agent still holds the lease events after it, the stream replays them and
   * then sends `SyncMarker` instead of a snapshot; otherwise it sends `Reset`
   * and a fresh snapshot. Empty: start with a snapshot.
   */
  'resume_token': (string);
}
