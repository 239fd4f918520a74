// Original file: proto/router/v1/router.proto

import type { InterfaceMatch as _router_v1_InterfaceMatch, InterfaceMatch__Output as _router_v1_InterfaceMatch__Output } from '../../router/v1/InterfaceMatch';
import type { DhcpSpec as _router_v1_DhcpSpec, DhcpSpec__Output as _router_v1_DhcpSpec__Output } from '../../router/v1/DhcpSpec';

/**
 * One LAN: an interface, an address, DHCP and what it may reach.
 */
export interface LanSpec {
  /**
   * `[a-z][a-z0-9_]{0,14}`; names nft sets and dnsmasq tags. Required.
   */
  'name'?: (string);
  /**
   * Required.
   */
  'interface'?: (_router_v1_InterfaceMatch | null);
  /**
   * The router's address on this LAN with its prefix, e.g. `10.88.0.1/24`.
   */
  'address'?: (string);
  /**
   * Names of other LANs this LAN may open connections to. Default: none
   * (isolated).
   */
  'allow_lans'?: (string)[];
  /**
   * Destinations this LAN may never reach, e.g. `192.168.1.0/24`.
   */
  'blocked_destinations'?: (string)[];
  /**
   * DNS search domain served to this LAN. Default: `dns.domain`.
   */
  'domain'?: (string);
  /**
   * Absent: no DHCP on this LAN (DNS is still served).
   */
  'dhcp'?: (_router_v1_DhcpSpec | null);
  '_domain'?: "domain";
}

/**
 * One LAN: an interface, an address, DHCP and what it may reach.
 */
export interface LanSpec__Output {
  /**
   * `[a-z][a-z0-9_]{0,14}`; names nft sets and dnsmasq tags. Required.
   */
  'name': (string);
  /**
   * Required.
   */
  'interface': (_router_v1_InterfaceMatch__Output | null);
  /**
   * The router's address on this LAN with its prefix, e.g. `10.88.0.1/24`.
   */
  'address': (string);
  /**
   * Names of other LANs this LAN may open connections to. Default: none
   * (isolated).
   */
  'allow_lans': (string)[];
  /**
   * Destinations this LAN may never reach, e.g. `192.168.1.0/24`.
   */
  'blocked_destinations': (string)[];
  /**
   * DNS search domain served to this LAN. Default: `dns.domain`.
   */
  'domain'?: (string);
  /**
   * Absent: no DHCP on this LAN (DNS is still served).
   */
  'dhcp': (_router_v1_DhcpSpec__Output | null);
  '_domain'?: "domain";
}
