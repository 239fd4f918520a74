// Original file: proto/router/v1/router.proto


/**
 * The supervised dnsmasq process.
 */
export interface DnsmasqState {
  'running'?: (boolean);
  /**
   * 0 when not running.
   */
  'pid'?: (number);
  /**
   * Restarts since the agent started.
   */
  'restarts'?: (number);
}

/**
 * The supervised dnsmasq process.
 */
export interface DnsmasqState__Output {
  'running': (boolean);
  /**
   * 0 when not running.
   */
  'pid': (number);
  /**
   * Restarts since the agent started.
   */
  'restarts': (number);
}
