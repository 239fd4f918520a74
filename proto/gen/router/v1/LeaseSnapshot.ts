// Original file: proto/router/v1/router.proto

import type { Lease as _router_v1_Lease, Lease__Output as _router_v1_Lease__Output } from '../../router/v1/Lease';

/**
 * Every current lease, static and dynamic.
 */
export interface LeaseSnapshot {
  'leases'?: (_router_v1_Lease)[];
}

/**
 * Every current lease, static and dynamic.
 */
export interface LeaseSnapshot__Output {
  'leases': (_router_v1_Lease__Output)[];
}
