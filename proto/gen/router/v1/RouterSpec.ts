// Original file: proto/router/v1/router.proto

import type { WanSpec as _router_v1_WanSpec, WanSpec__Output as _router_v1_WanSpec__Output } from '../../router/v1/WanSpec';
import type { LanSpec as _router_v1_LanSpec, LanSpec__Output as _router_v1_LanSpec__Output } from '../../router/v1/LanSpec';
import type { DnsSpec as _router_v1_DnsSpec, DnsSpec__Output as _router_v1_DnsSpec__Output } from '../../router/v1/DnsSpec';
import type { FirewallSpec as _router_v1_FirewallSpec, FirewallSpec__Output as _router_v1_FirewallSpec__Output } from '../../router/v1/FirewallSpec';

/**
 * The whole router: one document, applied as a unit.
 */
export interface RouterSpec {
  'wan'?: (_router_v1_WanSpec | null);
  /**
   * At most 32 LANs; subnets must not overlap.
   */
  'lans'?: (_router_v1_LanSpec)[];
  'dns'?: (_router_v1_DnsSpec | null);
  'firewall'?: (_router_v1_FirewallSpec | null);
}

/**
 * The whole router: one document, applied as a unit.
 */
export interface RouterSpec__Output {
  'wan': (_router_v1_WanSpec__Output | null);
  /**
   * At most 32 LANs; subnets must not overlap.
   */
  'lans': (_router_v1_LanSpec__Output)[];
  'dns': (_router_v1_DnsSpec__Output | null);
  'firewall': (_router_v1_FirewallSpec__Output | null);
}
