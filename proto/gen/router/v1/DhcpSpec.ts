// Original file: proto/router/v1/router.proto

import type { DhcpRange as _router_v1_DhcpRange, DhcpRange__Output as _router_v1_DhcpRange__Output } from '../../router/v1/DhcpRange';
import type { StaticLease as _router_v1_StaticLease, StaticLease__Output as _router_v1_StaticLease__Output } from '../../router/v1/StaticLease';
import type { DhcpOption as _router_v1_DhcpOption, DhcpOption__Output as _router_v1_DhcpOption__Output } from '../../router/v1/DhcpOption';

/**
 * DHCP on one LAN, served by dnsmasq.
 */
export interface DhcpSpec {
  /**
   * Address pools inside the LAN subnet, start <= end. At most 16.
   */
  'ranges'?: (_router_v1_DhcpRange)[];
  /**
   * `<n>[smhdw]` or `infinite`. Default `12h`.
   */
  'lease_time'?: (string);
  /**
   * Option 3 (router). Default: the LAN's own address.
   */
  'router'?: (string);
  /**
   * Option 6 (DNS servers). Default: [the LAN's own address].
   */
  'dns_servers'?: (string)[];
  /**
   * Fixed MAC-to-IP assignments. At most 10000 over all LANs.
   */
  'static_leases'?: (_router_v1_StaticLease)[];
  /**
   * Extra DHCP options. At most 64 per LAN.
   */
  'options'?: (_router_v1_DhcpOption)[];
}

/**
 * DHCP on one LAN, served by dnsmasq.
 */
export interface DhcpSpec__Output {
  /**
   * Address pools inside the LAN subnet, start <= end. At most 16.
   */
  'ranges': (_router_v1_DhcpRange__Output)[];
  /**
   * `<n>[smhdw]` or `infinite`. Default `12h`.
   */
  'lease_time': (string);
  /**
   * Option 3 (router). Default: the LAN's own address.
   */
  'router': (string);
  /**
   * Option 6 (DNS servers). Default: [the LAN's own address].
   */
  'dns_servers': (string)[];
  /**
   * Fixed MAC-to-IP assignments. At most 10000 over all LANs.
   */
  'static_leases': (_router_v1_StaticLease__Output)[];
  /**
   * Extra DHCP options. At most 64 per LAN.
   */
  'options': (_router_v1_DhcpOption__Output)[];
}
