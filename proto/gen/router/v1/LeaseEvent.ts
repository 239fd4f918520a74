// Original file: proto/router/v1/router.proto

import type { Lease as _router_v1_Lease, Lease__Output as _router_v1_Lease__Output } from '../../router/v1/Lease';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';

// Original file: proto/router/v1/router.proto

export const _router_v1_LeaseEvent_Action = {
  ACTION_UNSPECIFIED: 'ACTION_UNSPECIFIED',
  /**
   * A new lease.
   */
  ADD: 'ADD',
  /**
   * A renewed or changed lease.
   */
  OLD: 'OLD',
  /**
   * A lease released or expired.
   */
  DEL: 'DEL',
} as const;

export type _router_v1_LeaseEvent_Action =
  | 'ACTION_UNSPECIFIED'
  | 0
  /**
   * A new lease.
   */
  | 'ADD'
  | 1
  /**
   * A renewed or changed lease.
   */
  | 'OLD'
  | 2
  /**
   * A lease released or expired.
   */
  | 'DEL'
  | 3

export type _router_v1_LeaseEvent_Action__Output = typeof _router_v1_LeaseEvent_Action[keyof typeof _router_v1_LeaseEvent_Action]

/**
 * A lease changed, as reported by dnsmasq's dhcp-script hook.
 */
export interface LeaseEvent {
  'action'?: (_router_v1_LeaseEvent_Action);
  'lease'?: (_router_v1_Lease | null);
  /**
   * When the agent learned of it.
   */
  'at'?: (_google_protobuf_Timestamp | null);
}

/**
 * A lease changed, as reported by dnsmasq's dhcp-script hook.
 */
export interface LeaseEvent__Output {
  'action': (_router_v1_LeaseEvent_Action__Output);
  'lease': (_router_v1_Lease__Output | null);
  /**
   * When the agent learned of it.
   */
  'at': (_google_protobuf_Timestamp__Output | null);
}
