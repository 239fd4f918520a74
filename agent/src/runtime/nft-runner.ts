/**
 * Runs nft for the agent's own tables: pre-flight (`nft --check`), the one
 * transaction that replaces them (`nft -j -f -`), listings for drift checks
 * and snapshots for rollback. Other tables on the machine are never named in
 * anything this module sends, so they survive every apply.
 */
import { type Exec, runChecked } from "./exec.js";

/** An nftables JSON document: what `nft -j -f -` loads and `nft -j list` prints. */
export interface NftDocument {
  nftables: Record<string, unknown>[];
}

export interface TableRef {
  family: string;
  name: string;
}

const NFT_TIMEOUT_MS = 120_000;

export class NftRunner {
  /**
   * @param exec runs `nft`
   * @param tables every table the agent may own; tables in this list that a
   *   document does not create are deleted by `apply`, so a table that stops
   *   being rendered does not linger.
   */
  constructor(
    private readonly exec: Exec,
    private readonly tables: TableRef[],
  ) {}

  owned(): TableRef[] {
    return [...this.tables];
  }

  /** Pre-flight: the kernel's verdict on the transaction, without committing it. */
  async check(doc: NftDocument): Promise<void> {
    await runChecked(this.exec, "nft", ["--check", "-j", "-f", "-"], {
      input: JSON.stringify(this.complete(doc)),
      timeoutMs: NFT_TIMEOUT_MS,
    });
  }

  /** Loads the document as one transaction: all of it or (on error) none of it. */
  async apply(doc: NftDocument): Promise<void> {
    await runChecked(this.exec, "nft", ["-j", "-f", "-"], {
      input: JSON.stringify(this.complete(doc)),
      timeoutMs: NFT_TIMEOUT_MS,
    });
  }

  /** The tables that exist now, of any owner. */
  async listTables(): Promise<TableRef[]> {
    const { stdout } = await runChecked(this.exec, "nft", ["-j", "list", "tables"]);
    return parseListing(stdout)
      .map((o) => o.table as TableRef | undefined)
      .filter((t): t is TableRef => t !== undefined)
      .map((t) => ({ family: t.family, name: t.name }));
  }

  /** The live listing of the owned tables that exist (metainfo dropped). */
  async listOwned(): Promise<NftDocument> {
    const live = await this.listTables();
    const items: Record<string, unknown>[] = [];
    for (const t of this.tables) {
      if (!live.some((l) => sameTable(l, t))) continue;
      const { stdout } = await runChecked(
        this.exec,
        "nft",
        ["-j", "list", "table", t.family, t.name],
        {
          timeoutMs: NFT_TIMEOUT_MS,
        },
      );
      items.push(...parseListing(stdout).filter((o) => !("metainfo" in o)));
    }
    return { nftables: items };
  }

  /** Deletes every owned table that exists, in one transaction. */
  async removeOwned(): Promise<void> {
    await this.apply({ nftables: [] });
  }

  /**
   * A document that, applied later, puts the owned tables back exactly as
   * they are now (contents from the listing, counters reset). Used to roll
   * back when no rendered last-good document is known.
   */
  async snapshot(): Promise<NftDocument> {
    const listing = await this.listOwned();
    return { nftables: listing.nftables.map((o) => stripHandles(o) as Record<string, unknown>) };
  }

  /**
   * The document plus `add table` + `delete table` for each owned table it
   * does not create, so the transaction leaves exactly the document's tables.
   * A document that carries bare listing objects (a snapshot) gets its tables
   * deleted first so its contents replace, not merge.
   */
  private complete(doc: NftDocument): NftDocument {
    const created = tablesIn(doc);
    const pre: Record<string, unknown>[] = [];
    for (const t of this.tables) {
      const bare = doc.nftables.some((o) => sameTable(o.table as TableRef | undefined, t));
      if (!created.some((c) => sameTable(c, t)) || bare) {
        pre.push({ add: { table: { ...t } } }, { delete: { table: { ...t } } });
      }
    }
    return { nftables: [...pre, ...doc.nftables] };
  }
}

function sameTable(a: TableRef | undefined, b: TableRef): boolean {
  return a !== undefined && a.family === b.family && a.name === b.name;
}

/** Tables a document creates, by `add table`, `create table` or a bare `table` object. */
export function tablesIn(doc: NftDocument): TableRef[] {
  const out: TableRef[] = [];
  for (const o of doc.nftables) {
    const verb = (o.add ?? o.create ?? o) as Record<string, unknown>;
    const t = verb.table as TableRef | undefined;
    if (t !== undefined && typeof t.name === "string" && typeof t.family === "string") {
      out.push({ family: t.family, name: t.name });
    }
  }
  return out;
}

function parseListing(stdout: string): Record<string, unknown>[] {
  try {
    const doc = JSON.parse(stdout) as NftDocument;
    if (!Array.isArray(doc.nftables)) throw new Error("no nftables array");
    return doc.nftables;
  } catch (e) {
    throw new Error(`nft -j list: unexpected output: ${(e as Error).message}`, { cause: e });
  }
}

function stripHandles(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripHandles);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === "handle") continue;
      out[k] = stripHandles(v);
    }
    return out;
  }
  return value;
}

/**
 * A listing reduced to what the agent controls, for drift comparison: no
 * metainfo or handles, counters and quotas zeroed, element expiry dropped,
 * objects sorted by kind and name (the kernel lists them in creation order,
 * which a rollback or a pruned re-add changes) while rules keep their order
 * within each chain. Two listings of the same loaded document normalize to
 * the same string, whatever history led to them.
 */
export function normalizeListing(doc: NftDocument): string {
  const norm = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(norm);
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        if (k === "handle" || k === "expires" || k === "used" || k === "metainfo") continue;
        out[k] = k === "packets" || k === "bytes" ? 0 : norm(v);
      }
      return out;
    }
    return value;
  };
  return doc.nftables
    .filter((o) => !("metainfo" in o))
    .map((o) => ({
      key: objectKey(o as Record<string, Record<string, unknown>>),
      line: JSON.stringify(norm(o)),
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((o) => o.line)
    .join("\n");
}

/**
 * Human-readable differences between two normalized listings: objects that
 * are missing, unexpected or changed, named like `chain inet router_agent
 * forward`. Empty when they are equal.
 */
export function describeDrift(expected: string, actual: string): string[] {
  const index = (listing: string) => {
    const map = new Map<string, string[]>();
    for (const line of listing === "" ? [] : listing.split("\n")) {
      const k = objectKey(JSON.parse(line) as Record<string, Record<string, unknown>>);
      map.set(k, [...(map.get(k) ?? []), line]);
    }
    return map;
  };
  const want = index(expected);
  const have = index(actual);
  const out: string[] = [];
  // A missing table is one finding, not one per object it held.
  const goneTables = [...want.keys()]
    .filter((k) => k.startsWith("table ") && !have.has(k))
    .map((k) => k.slice("table ".length));
  const inGoneTable = (k: string) =>
    goneTables.some((t) => k.split(" ").slice(1, 3).join(" ") === t);
  for (const [k, lines] of want) {
    const got = have.get(k);
    if (got === undefined && !k.startsWith("table ") && inGoneTable(k)) continue;
    if (got === undefined) out.push(`${k}: missing`);
    else if (got.join("\n") !== lines.join("\n")) {
      out.push(
        k.startsWith("rules ")
          ? `${k}: ${got.length} rules differ from the ${lines.length} applied`
          : `${k}: changed`,
      );
    }
  }
  for (const k of have.keys()) if (!want.has(k)) out.push(`${k}: unexpected`);
  return out;
}

function objectKey(o: Record<string, Record<string, unknown>>): string {
  const [kind = "?", body = {}] = Object.entries(o)[0] ?? [];
  const table = kind === "table" ? body.name : body.table;
  if (kind === "rule") return `rules ${body.family} ${table} ${body.chain}`;
  if (kind === "table") return `table ${body.family} ${table}`;
  return `${kind} ${body.family} ${table} ${body.name}`;
}
