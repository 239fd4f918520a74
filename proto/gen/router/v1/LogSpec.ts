// Original file: proto/router/v1/router.proto


/**
 * Packet logging.
 */
export interface LogSpec {
  /**
   * Log packets dropped by the default policy. Default false.
   */
  'dropped'?: (boolean);
  /**
   * Rate limit for all logging, packets per minute. Default 10.
   */
  'rate_per_minute'?: (number);
  /**
   * Log prefix `[A-Za-z0-9 _:.-]{0,20}`. Default `router-agent`.
   */
  'prefix'?: (string);
  '_rate_per_minute'?: "rate_per_minute";
  '_prefix'?: "prefix";
}

/**
 * Packet logging.
 */
export interface LogSpec__Output {
  /**
   * Log packets dropped by the default policy. Default false.
   */
  'dropped': (boolean);
  /**
   * Rate limit for all logging, packets per minute. Default 10.
   */
  'rate_per_minute'?: (number);
  /**
   * Log prefix `[A-Za-z0-9 _:.-]{0,20}`. Default `router-agent`.
   */
  'prefix'?: (string);
  '_rate_per_minute'?: "rate_per_minute";
  '_prefix'?: "prefix";
}
