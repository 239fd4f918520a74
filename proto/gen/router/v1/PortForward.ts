// Original file: proto/router/v1/router.proto


/**
 * DNAT from a WAN port to a LAN host.
 */
export interface PortForward {
  /**
   * Stable id `[a-z][a-z0-9_-]{0,47}`; names the forward's counter.
   */
  'id'?: (string);
  /**
   * `tcp` or `udp`. Required.
   */
  'protocol'?: (string);
  /**
   * WAN port, 1..65535.
   */
  'wan_port'?: (number);
  /**
   * LAN destination address; must sit inside a LAN subnet.
   */
  'to'?: (string);
  /**
   * Destination port. Default: `wan_port`.
   */
  'to_port'?: (number);
  /**
   * Sources allowed to use the forward. Default: any.
   */
  'source_cidrs'?: (string)[];
  /**
   * Also forward when a LAN client targets the WAN address. Default false.
   */
  'hairpin'?: (boolean);
}

/**
 * DNAT from a WAN port to a LAN host.
 */
export interface PortForward__Output {
  /**
   * Stable id `[a-z][a-z0-9_-]{0,47}`; names the forward's counter.
   */
  'id': (string);
  /**
   * `tcp` or `udp`. Required.
   */
  'protocol': (string);
  /**
   * WAN port, 1..65535.
   */
  'wan_port': (number);
  /**
   * LAN destination address; must sit inside a LAN subnet.
   */
  'to': (string);
  /**
   * Destination port. Default: `wan_port`.
   */
  'to_port': (number);
  /**
   * Sources allowed to use the forward. Default: any.
   */
  'source_cidrs': (string)[];
  /**
   * Also forward when a LAN client targets the WAN address. Default false.
   */
  'hairpin': (boolean);
}
