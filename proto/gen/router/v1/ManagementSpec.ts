// Original file: proto/router/v1/router.proto


/**
 * Who may reach the agent's API from the WAN side.
 */
export interface ManagementSpec {
  /**
   * Source CIDRs (IPv4 or IPv6) allowed to reach `ports`. Default: none.
   */
  'cidrs'?: (string)[];
  /**
   * TCP ports of the agent API opened to `cidrs`. Default [7443].
   */
  'ports'?: (number)[];
}

/**
 * Who may reach the agent's API from the WAN side.
 */
export interface ManagementSpec__Output {
  /**
   * Source CIDRs (IPv4 or IPv6) allowed to reach `ports`. Default: none.
   */
  'cidrs': (string)[];
  /**
   * TCP ports of the agent API opened to `cidrs`. Default [7443].
   */
  'ports': (number)[];
}
