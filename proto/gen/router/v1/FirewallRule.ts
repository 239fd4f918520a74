// Original file: proto/router/v1/router.proto


/**
 * A user rule, evaluated after established/invalid handling and before the
 * default policy.
 */
export interface FirewallRule {
  /**
   * Stable id `[a-z][a-z0-9_-]{0,47}`; names the rule's counter.
   */
  'id'?: (string);
  /**
   * `input` or `forward`. Required.
   */
  'chain'?: (string);
  /**
   * `accept`, `drop` or `reject`. Required.
   */
  'action'?: (string);
  /**
   * Zone the packet enters from: `wan`, a LAN name, or `any`. Default `any`.
   */
  'from'?: (string);
  /**
   * Forward only: zone the packet leaves to. Default `any`.
   */
  'to'?: (string);
  /**
   * `any`, `tcp`, `udp` or `icmp`. Default `any`.
   */
  'protocol'?: (string);
  'source_cidrs'?: (string)[];
  'destination_cidrs'?: (string)[];
  /**
   * Destination ports `80` or ranges `1000-2000`; only with tcp/udp.
   */
  'ports'?: (string)[];
  /**
   * Log matching packets (rate-limited by `firewall.log`). Default false.
   */
  'log'?: (boolean);
  'comment'?: (string);
  '_comment'?: "comment";
}

/**
 * A user rule, evaluated after established/invalid handling and before the
 * default policy.
 */
export interface FirewallRule__Output {
  /**
   * Stable id `[a-z][a-z0-9_-]{0,47}`; names the rule's counter.
   */
  'id': (string);
  /**
   * `input` or `forward`. Required.
   */
  'chain': (string);
  /**
   * `accept`, `drop` or `reject`. Required.
   */
  'action': (string);
  /**
   * Zone the packet enters from: `wan`, a LAN name, or `any`. Default `any`.
   */
  'from': (string);
  /**
   * Forward only: zone the packet leaves to. Default `any`.
   */
  'to': (string);
  /**
   * `any`, `tcp`, `udp` or `icmp`. Default `any`.
   */
  'protocol': (string);
  'source_cidrs': (string)[];
  'destination_cidrs': (string)[];
  /**
   * Destination ports `80` or ranges `1000-2000`; only with tcp/udp.
   */
  'ports': (string)[];
  /**
   * Log matching packets (rate-limited by `firewall.log`). Default false.
   */
  'log': (boolean);
  'comment'?: (string);
  '_comment'?: "comment";
}
