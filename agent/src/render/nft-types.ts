/**
 * The shapes of the nftables JSON the renderer emits (libnftables JSON schema
 * version 1, as `nft -j` reads and prints it), and the names of the objects
 * the agent owns.
 */

/** One JSON document for `nft -j -f -`: a list of commands run as one transaction. */
export interface NftDocument {
  nftables: Record<string, unknown>[];
}

export interface NftTableRef {
  family: "inet";
  name: string;
}

/** The agent's own table; NAT lives in it too (inet nat chains, kernel >= 5.2). */
export const AGENT_TABLE: NftTableRef = { family: "inet", name: "router_agent" };

/** Every table the agent owns and replaces; nothing else on the machine is touched. */
export const AGENT_TABLES: readonly NftTableRef[] = [AGENT_TABLE];

/** A set element: an address, a port, a prefix or a port range. */
export type NftSetElement =
  | string
  | number
  | { prefix: { addr: string; len: number } }
  | { range: [number, number] };

export type NftSetType = "ipv4_addr" | "ipv6_addr" | "inet_service";

/** A named set and its complete element list. */
export interface NftSet {
  name: string;
  type: NftSetType;
  elements: NftSetElement[];
}

/** One expression of a rule (`match`, `counter`, `accept`, ...). */
export type NftExpr = Record<string, unknown>;

export type NftChainName = "input" | "forward" | "prerouting" | "postrouting" | "handle_reject";

export interface NftRule {
  chain: NftChainName;
  expr: NftExpr[];
  /** Shown by `nft list`; the rule's stable id or built-in counter name. */
  comment?: string;
}
