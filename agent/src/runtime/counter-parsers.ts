/**
 * Parsers for the counter sources' command output. Pure; each throws an
 * `Error` naming the command when the output is not the expected JSON shape,
 * and skips individual entries that lack the fields it needs.
 */
import { counterId } from "../render/nft.js";
import type { InterfaceCounter, RuleCounter } from "./router-runtime.js";

/** The table whose named counters are read. */
export interface TableRef {
  family: string;
  name: string;
}

/**
 * Named counters of one table from `nft -j list counters table <family> <name>`.
 * Each counter reports under its stable id (`counterId`): a user rule's
 * `rule.<id>` counter as `<id>`, built-ins by name (`input.drop`,
 * `lan2.blocked`). Counters of other tables, if present in the output, are
 * ignored. Sorted by id.
 */
export function parseNftCounters(json: string, table: TableRef): RuleCounter[] {
  const doc = parseJson(json, "nft -j list counters") as { nftables?: unknown };
  if (!doc || typeof doc !== "object" || !Array.isArray(doc.nftables)) {
    throw new Error("nft -j list counters: output has no nftables array");
  }
  const out: RuleCounter[] = [];
  for (const item of doc.nftables as unknown[]) {
    const c = (item as { counter?: Record<string, unknown> } | null)?.counter;
    if (!c || c.family !== table.family || c.table !== table.name) continue;
    if (typeof c.name !== "string" || !isCount(c.packets) || !isCount(c.bytes)) continue;
    out.push({ id: counterId(c.name), packets: c.packets, bytes: c.bytes });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Per-interface traffic from `ip -j -s link show`: `stats64` (or the older
 * `stats`) rx/tx bytes and packets. Links without statistics are skipped.
 * Sorted by interface name.
 */
export function parseIpLinkStats(json: string): InterfaceCounter[] {
  const links = parseJson(json, "ip -j -s link");
  if (!Array.isArray(links)) throw new Error("ip -j -s link: output is not a JSON array");
  const out: InterfaceCounter[] = [];
  for (const link of links as Array<Record<string, unknown>>) {
    if (!link || typeof link.ifname !== "string") continue;
    const stats = (link.stats64 ?? link.stats) as
      | { rx?: Record<string, unknown>; tx?: Record<string, unknown> }
      | undefined;
    const rx = stats?.rx;
    const tx = stats?.tx;
    if (!rx || !tx) continue;
    if (!isCount(rx.bytes) || !isCount(rx.packets) || !isCount(tx.bytes) || !isCount(tx.packets)) {
      continue;
    }
    out.push({
      ifname: link.ifname,
      rxBytes: rx.bytes,
      rxPackets: rx.packets,
      txBytes: tx.bytes,
      txPackets: tx.packets,
    });
  }
  return out.sort((a, b) => (a.ifname < b.ifname ? -1 : a.ifname > b.ifname ? 1 : 0));
}

/** The number in `/proc/sys/net/netfilter/nf_conntrack_count` (or `conntrack -C`). */
export function parseConntrackCount(text: string): number {
  const t = text.trim();
  if (!/^\d+$/.test(t))
    throw new Error(`conntrack count: not a number: ${JSON.stringify(t.slice(0, 40))}`);
  return Number(t);
}

function isCount(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v) && v >= 0;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${what}: output is not JSON`, { cause: err });
  }
}
