/**
 * The link plan: observed links plus the bound desired state become the
 * minimal list of operations that bring the LAN interfaces to the desired
 * addresses and state. Pure: no I/O.
 *
 * TODO(runtime): implement `planLinks` and `bindInterfaces`.
 */

/** One link as observed via `ip -j -d addr`. */
export interface ObservedLink {
  ifname: string;
  /** Lower-case MAC, or "" for links without one. */
  mac: string;
  /** `link_type` from iproute2, e.g. "ether", "loopback", "none". */
  linkType: string;
  /** `linkinfo.info_kind` (e.g. "veth", "bridge", "tun"), or undefined for physical NICs. */
  kind?: string;
  up: boolean;
  /** IPv4 addresses with prefix, e.g. "10.88.0.1/24". */
  addresses: string[];
}

export type LinkOp =
  | { op: "link-up"; ifname: string }
  | { op: "addr-add"; ifname: string; address: string }
  | { op: "addr-del"; ifname: string; address: string };
