// Original file: proto/router/v1/router.proto

import type { LinkOp as _router_v1_LinkOp, LinkOp__Output as _router_v1_LinkOp__Output } from '../../router/v1/LinkOp';
import type { DnsmasqAction as _router_v1_DnsmasqAction, DnsmasqAction__Output as _router_v1_DnsmasqAction__Output } from '../../router/v1/DnsmasqAction';

/**
 * What an apply changes, compared with what runs now.
 */
export interface Plan {
  /**
   * Unified diff of the rendered nft document (pretty JSON) against the live
   * one.
   */
  'nft_diff'?: (string);
  /**
   * Unified diff of every dnsmasq file.
   */
  'dnsmasq_diff'?: (string);
  /**
   * Link operations, in order.
   */
  'link_ops'?: (_router_v1_LinkOp)[];
  /**
   * How dnsmasq picks up the change.
   */
  'dnsmasq_action'?: (_router_v1_DnsmasqAction);
  /**
   * true: the spec's hash equals the applied one; nothing is done.
   */
  'noop'?: (boolean);
}

/**
 * What an apply changes, compared with what runs now.
 */
export interface Plan__Output {
  /**
   * Unified diff of the rendered nft document (pretty JSON) against the live
   * one.
   */
  'nft_diff': (string);
  /**
   * Unified diff of every dnsmasq file.
   */
  'dnsmasq_diff': (string);
  /**
   * Link operations, in order.
   */
  'link_ops': (_router_v1_LinkOp__Output)[];
  /**
   * How dnsmasq picks up the change.
   */
  'dnsmasq_action': (_router_v1_DnsmasqAction__Output);
  /**
   * true: the spec's hash equals the applied one; nothing is done.
   */
  'noop': (boolean);
}
