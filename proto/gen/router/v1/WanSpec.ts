// Original file: proto/router/v1/router.proto

import type { ManagementSpec as _router_v1_ManagementSpec, ManagementSpec__Output as _router_v1_ManagementSpec__Output } from '../../router/v1/ManagementSpec';

/**
 * The uplink.
 */
export interface WanSpec {
  /**
   * The uplink interface name, e.g. `eth0`. Required.
   */
  'interface'?: (string);
  /**
   * Source-NAT LAN traffic leaving the WAN. Default true.
   */
  'masquerade'?: (boolean);
  'management'?: (_router_v1_ManagementSpec | null);
  '_masquerade'?: "masquerade";
}

/**
 * The uplink.
 */
export interface WanSpec__Output {
  /**
   * The uplink interface name, e.g. `eth0`. Required.
   */
  'interface': (string);
  /**
   * Source-NAT LAN traffic leaving the WAN. Default true.
   */
  'masquerade'?: (boolean);
  'management': (_router_v1_ManagementSpec__Output | null);
  '_masquerade'?: "masquerade";
}
