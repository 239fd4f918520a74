/**
 * Leftovers: `flush table` removes rules but keeps chains, sets and counters,
 * so a set or counter that the new state no longer declares (a deleted rule's
 * source set, a removed LAN's counter) would stay in the agent's table,
 * unreferenced. Given the live listing of the agent's tables (`nft -j list
 * table inet router_agent`), this adds `delete` commands for every such
 * object, right after the `flush table`, so the transaction leaves exactly
 * what the rendered document declares. Counters that stay keep their values,
 * which deleting and re-creating the whole table would not.
 *
 * Pure. Objects of tables the agent does not own are never named.
 */
import { AGENT_TABLES, type NftDocument } from "./nft-types.js";

/** Listing object kinds that live in a table and are deleted by name. */
const NAMED_KINDS = [
  "chain",
  "set",
  "map",
  "counter",
  "quota",
  "limit",
  "flowtable",
  "ct helper",
  "ct timeout",
  "ct expectation",
  "secmark",
  "synproxy",
] as const;

interface ObjectRef {
  kind: string;
  family: string;
  table: string;
  name: string;
}

/** `delete` commands for owned objects in `live` that `desired` does not add. */
export function staleObjectDeletes(
  desired: NftDocument,
  live: NftDocument,
): Record<string, unknown>[] {
  const wanted = new Set<string>();
  for (const command of desired.nftables) {
    const add = (command.add ?? command.create) as Record<string, unknown> | undefined;
    if (add === undefined) continue;
    for (const ref of objectRefs(add)) wanted.add(key(ref));
  }
  const deletes: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  for (const item of live.nftables) {
    for (const ref of objectRefs(item)) {
      const k = key(ref);
      if (wanted.has(k) || seen.has(k) || !isOwned(ref)) continue;
      seen.add(k);
      deletes.push({
        delete: { [ref.kind]: { family: ref.family, table: ref.table, name: ref.name } },
      });
    }
  }
  // Chains last: nothing may still jump to them, and no set or counter depends on a chain.
  return [
    ...deletes.filter((d) => !("chain" in (d.delete as object))),
    ...deletes.filter((d) => "chain" in (d.delete as object)),
  ];
}

/**
 * The desired document with the deletes of `staleObjectDeletes` inserted right
 * after its `flush table` commands (or at the end if it has none).
 */
export function withStaleObjectsDeleted(desired: NftDocument, live: NftDocument): NftDocument {
  const deletes = staleObjectDeletes(desired, live);
  if (deletes.length === 0) return desired;
  let at = 0;
  desired.nftables.forEach((command, i) => {
    if ("flush" in command && "table" in (command.flush as object)) at = i + 1;
  });
  if (at === 0) at = desired.nftables.length;
  return {
    nftables: [...desired.nftables.slice(0, at), ...deletes, ...desired.nftables.slice(at)],
  };
}

function objectRefs(body: Record<string, unknown>): ObjectRef[] {
  const out: ObjectRef[] = [];
  for (const kind of NAMED_KINDS) {
    const obj = body[kind] as Record<string, unknown> | undefined;
    if (obj === undefined || obj === null || typeof obj !== "object") continue;
    const { family, table, name } = obj;
    if (typeof family === "string" && typeof table === "string" && typeof name === "string") {
      out.push({ kind, family, table, name });
    }
  }
  return out;
}

function isOwned(ref: ObjectRef): boolean {
  return AGENT_TABLES.some((t) => t.family === ref.family && t.name === ref.table);
}

function key(ref: ObjectRef): string {
  return JSON.stringify([ref.kind, ref.family, ref.table, ref.name]);
}
