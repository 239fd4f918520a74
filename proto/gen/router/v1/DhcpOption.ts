// Original file: proto/router/v1/router.proto


/**
 * An extra DHCP option.
 */
export interface DhcpOption {
  /**
   * A numeric code 1..254, or a dnsmasq option name such as `ntp-server`.
   */
  'option'?: (string);
  /**
   * Values, joined with commas; each limited to `[A-Za-z0-9._:/-]`.
   */
  'values'?: (string)[];
}

/**
 * An extra DHCP option.
 */
export interface DhcpOption__Output {
  /**
   * A numeric code 1..254, or a dnsmasq option name such as `ntp-server`.
   */
  'option': (string);
  /**
   * Values, joined with commas; each limited to `[A-Za-z0-9._:/-]`.
   */
  'values': (string)[];
}
