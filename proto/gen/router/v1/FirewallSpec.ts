// Original file: proto/router/v1/router.proto

import type { PortForward as _router_v1_PortForward, PortForward__Output as _router_v1_PortForward__Output } from '../../router/v1/PortForward';
import type { FirewallRule as _router_v1_FirewallRule, FirewallRule__Output as _router_v1_FirewallRule__Output } from '../../router/v1/FirewallRule';
import type { LogSpec as _router_v1_LogSpec, LogSpec__Output as _router_v1_LogSpec__Output } from '../../router/v1/LogSpec';

/**
 * Firewall policy on top of the built-in defaults: input from the WAN is
 * dropped except established traffic, ICMP and the management allow-list;
 * forwarding is dropped unless allowed.
 */
export interface FirewallSpec {
  'port_forwards'?: (_router_v1_PortForward)[];
  /**
   * Evaluated in list order. At most 1000.
   */
  'rules'?: (_router_v1_FirewallRule)[];
  'log'?: (_router_v1_LogSpec | null);
}

/**
 * Firewall policy on top of the built-in defaults: input from the WAN is
 * dropped except established traffic, ICMP and the management allow-list;
 * forwarding is dropped unless allowed.
 */
export interface FirewallSpec__Output {
  'port_forwards': (_router_v1_PortForward__Output)[];
  /**
   * Evaluated in list order. At most 1000.
   */
  'rules': (_router_v1_FirewallRule__Output)[];
  'log': (_router_v1_LogSpec__Output | null);
}
