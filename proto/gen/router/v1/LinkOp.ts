// Original file: proto/router/v1/router.proto


// Original file: proto/router/v1/router.proto

export const _router_v1_LinkOp_Kind = {
  KIND_UNSPECIFIED: 'KIND_UNSPECIFIED',
  /**
   * Set the link up.
   */
  LINK_UP: 'LINK_UP',
  /**
   * Add `address` to the link.
   */
  ADDR_ADD: 'ADDR_ADD',
  /**
   * Remove `address` from the link.
   */
  ADDR_DEL: 'ADDR_DEL',
} as const;

export type _router_v1_LinkOp_Kind =
  | 'KIND_UNSPECIFIED'
  | 0
  /**
   * Set the link up.
   */
  | 'LINK_UP'
  | 1
  /**
   * Add `address` to the link.
   */
  | 'ADDR_ADD'
  | 2
  /**
   * Remove `address` from the link.
   */
  | 'ADDR_DEL'
  | 3

export type _router_v1_LinkOp_Kind__Output = typeof _router_v1_LinkOp_Kind[keyof typeof _router_v1_LinkOp_Kind]

/**
 * One change to a LAN link.
 */
export interface LinkOp {
  'op'?: (_router_v1_LinkOp_Kind);
  'ifname'?: (string);
  /**
   * With prefix, e.g. `10.88.0.1/24`; empty for LINK_UP.
   */
  'address'?: (string);
}

/**
 * One change to a LAN link.
 */
export interface LinkOp__Output {
  'op': (_router_v1_LinkOp_Kind__Output);
  'ifname': (string);
  /**
   * With prefix, e.g. `10.88.0.1/24`; empty for LINK_UP.
   */
  'address': (string);
}
