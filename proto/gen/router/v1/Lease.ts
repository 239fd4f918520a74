// Original file: proto/router/v1/router.proto

import type { Long } from '@grpc/proto-loader';

// Original file: proto/router/v1/router.proto

export const _router_v1_Lease_Kind = {
  KIND_UNSPECIFIED: 'KIND_UNSPECIFIED',
  /**
   * A `static_leases` entry.
   */
  STATIC: 'STATIC',
  /**
   * From a DHCP range.
   */
  DYNAMIC: 'DYNAMIC',
} as const;

export type _router_v1_Lease_Kind =
  | 'KIND_UNSPECIFIED'
  | 0
  /**
   * A `static_leases` entry.
   */
  | 'STATIC'
  | 1
  /**
   * From a DHCP range.
   */
  | 'DYNAMIC'
  | 2

export type _router_v1_Lease_Kind__Output = typeof _router_v1_Lease_Kind[keyof typeof _router_v1_Lease_Kind]

/**
 * One DHCP lease.
 */
export interface Lease {
  'mac'?: (string);
  'ip'?: (string);
  /**
   * Client-supplied: hostile data, display it escaped.
   */
  'hostname'?: (string);
  /**
   * Unix seconds; 0: infinite.
   */
  'expires_at'?: (number | string | Long);
  'kind'?: (_router_v1_Lease_Kind);
  /**
   * The LAN whose subnet holds `ip`, if any.
   */
  'lan'?: (string);
  '_hostname'?: "hostname";
  '_lan'?: "lan";
}

/**
 * One DHCP lease.
 */
export interface Lease__Output {
  'mac': (string);
  'ip': (string);
  /**
   * Client-supplied: hostile data, display it escaped.
   */
  'hostname'?: (string);
  /**
   * Unix seconds; 0: infinite.
   */
  'expires_at': (number);
  'kind': (_router_v1_Lease_Kind__Output);
  /**
   * The LAN whose subnet holds `ip`, if any.
   */
  'lan'?: (string);
  '_hostname'?: "hostname";
  '_lan'?: "lan";
}
