// Original file: proto/router/v1/router.proto


/**
 * How a LAN names its interface. Exactly one member is set.
 */
export interface InterfaceMatch {
  /**
   * A Linux interface name, e.g. `ens7` (at most 15 bytes).
   */
  'name'?: (string);
  /**
   * A MAC address `aa:bb:cc:dd:ee:ff`: a passed-through NIC keeps its MAC.
   */
  'mac'?: (string);
  /**
   * true: the only Ethernet interface that is neither the WAN nor loopback.
   */
  'auto'?: (boolean);
  'match'?: "name"|"mac"|"auto";
}

/**
 * How a LAN names its interface. Exactly one member is set.
 */
export interface InterfaceMatch__Output {
  /**
   * A Linux interface name, e.g. `ens7` (at most 15 bytes).
   */
  'name'?: (string);
  /**
   * A MAC address `aa:bb:cc:dd:ee:ff`: a passed-through NIC keeps its MAC.
   */
  'mac'?: (string);
  /**
   * true: the only Ethernet interface that is neither the WAN nor loopback.
   */
  'auto'?: (boolean);
  'match'?: "name"|"mac"|"auto";
}
