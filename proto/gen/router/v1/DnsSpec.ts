// Original file: proto/router/v1/router.proto

import type { HostRecord as _router_v1_HostRecord, HostRecord__Output as _router_v1_HostRecord__Output } from '../../router/v1/HostRecord';

/**
 * The resolver dnsmasq runs for all LANs.
 */
export interface DnsSpec {
  /**
   * Upstream resolvers (IPv4/IPv6 literals). At most 16.
   */
  'upstreams'?: (string)[];
  /**
   * Local domain, e.g. `lan`.
   */
  'domain'?: (string);
  /**
   * Local A records.
   */
  'hosts'?: (_router_v1_HostRecord)[];
  /**
   * Domains answered locally, with their subdomains. At most 100000.
   */
  'blocked_domains'?: (string)[];
  /**
   * `nxdomain` or `null` (answer 0.0.0.0). Default `nxdomain`.
   */
  'block_mode'?: (string);
  '_domain'?: "domain";
}

/**
 * The resolver dnsmasq runs for all LANs.
 */
export interface DnsSpec__Output {
  /**
   * Upstream resolvers (IPv4/IPv6 literals). At most 16.
   */
  'upstreams': (string)[];
  /**
   * Local domain, e.g. `lan`.
   */
  'domain'?: (string);
  /**
   * Local A records.
   */
  'hosts': (_router_v1_HostRecord__Output)[];
  /**
   * Domains answered locally, with their subdomains. At most 100000.
   */
  'blocked_domains': (string)[];
  /**
   * `nxdomain` or `null` (answer 0.0.0.0). Default `nxdomain`.
   */
  'block_mode': (string);
  '_domain'?: "domain";
}
