/**
 * The seam for observing links: `ip -j -d addr` parsed into `ObservedLink[]`.
 * The parser is pure so it can be tested on captured output.
 */
import type { LinkOp, ObservedLink } from "../render/links.js";
import { type Exec, runChecked } from "./exec.js";

export interface LinkReader {
  /** The links as they are now. Fails when `ip` fails or prints garbage. */
  read(): Promise<ObservedLink[]>;
}

interface IpAddrInfo {
  family?: string;
  local?: string;
  prefixlen?: number;
}

interface IpLink {
  ifname?: string;
  flags?: string[];
  link_type?: string;
  address?: string;
  linkinfo?: { info_kind?: string };
  addr_info?: IpAddrInfo[];
}

/**
 * Parses the JSON printed by `ip -j -d addr`. A link is `up` when it is
 * administratively up (the `UP` flag), whatever its carrier. Only IPv4
 * addresses are kept. Throws on output that is not a JSON array of links.
 */
export function parseIpAddr(json: string): ObservedLink[] {
  let rows: unknown;
  try {
    rows = JSON.parse(json);
  } catch (e) {
    throw new Error(`ip -j addr: output is not JSON: ${(e as Error).message}`, { cause: e });
  }
  if (!Array.isArray(rows)) throw new Error("ip -j addr: output is not a JSON array");
  const links: ObservedLink[] = [];
  for (const row of rows as IpLink[]) {
    if (typeof row !== "object" || row === null || typeof row.ifname !== "string") {
      throw new Error("ip -j addr: a link without ifname");
    }
    const link: ObservedLink = {
      ifname: row.ifname,
      mac: row.link_type === "ether" ? (row.address ?? "").toLowerCase() : "",
      linkType: row.link_type ?? "none",
      up: (row.flags ?? []).includes("UP"),
      addresses: (row.addr_info ?? [])
        .filter((a) => a.family === "inet" && typeof a.local === "string")
        .map((a) => `${a.local}/${a.prefixlen ?? 32}`),
    };
    const kind = row.linkinfo?.info_kind;
    if (kind !== undefined) link.kind = kind;
    links.push(link);
  }
  return links;
}

/** Reads links by running `ip -j -d addr show` through an `Exec`. */
export class IpLinkReader implements LinkReader {
  constructor(private readonly exec: Exec) {}

  async read(): Promise<ObservedLink[]> {
    const { stdout } = await runChecked(this.exec, "ip", ["-j", "-d", "addr", "show"]);
    return parseIpAddr(stdout);
  }
}

/** The command that performs one link operation, as `ip` arguments. */
export function linkOpArgs(op: LinkOp): string[] {
  switch (op.op) {
    case "link-up":
      return ["link", "set", "dev", op.ifname, "up"];
    case "addr-add":
      return ["addr", "add", op.address, "dev", op.ifname];
    case "addr-del":
      return ["addr", "del", op.address, "dev", op.ifname];
  }
}
