/**
 * The applied history in the state directory:
 * - `revisions/NNNNNNNN.json`: the last `keep` revisions (default 50), each a
 *   `Revision` (number, hash, generation, time, actor, reason, spec);
 * - `last-good.json`: a full copy of the revision the router returns to on
 *   start and on failure. It is the commit point of an apply: a crash before
 *   it is written leaves the previous last-good in charge.
 *
 * Every file is written atomically through the `FileStore`.
 */
import type { FileStore } from "./file-store.js";
import type { Revision } from "./router-runtime.js";

export const DEFAULT_KEEP = 50;

export class RevisionStore {
  private readonly revisions = new Map<number, Revision>();
  private good: Revision | undefined;

  constructor(
    private readonly files: FileStore,
    private readonly stateDir: string,
    private readonly keep = DEFAULT_KEEP,
  ) {}

  private get dir(): string {
    return `${this.stateDir}/revisions`;
  }

  private get lastGoodPath(): string {
    return `${this.stateDir}/last-good.json`;
  }

  /**
   * Reads the state directory. Unreadable or malformed revision files are
   * skipped and reported as warnings; a malformed last-good is a warning too
   * (the router then starts with nothing applied).
   */
  async load(): Promise<string[]> {
    const warnings: string[] = [];
    this.revisions.clear();
    for (const name of await this.files.list(this.dir)) {
      if (!/^\d+\.json$/.test(name)) continue;
      const path = `${this.dir}/${name}`;
      const rev = parseRevision(await this.files.read(path));
      if (rev === undefined) warnings.push(`${path}: not a revision, skipped`);
      else this.revisions.set(rev.revision, rev);
    }
    const raw = await this.files.read(this.lastGoodPath);
    this.good = raw === undefined ? undefined : parseRevision(raw);
    if (raw !== undefined && this.good === undefined) {
      warnings.push(`${this.lastGoodPath}: not a revision, ignored`);
    }
    return warnings;
  }

  /** Newest first. */
  history(): Revision[] {
    return [...this.revisions.values()].sort((a, b) => b.revision - a.revision);
  }

  get(revision: number): Revision | undefined {
    return (
      this.revisions.get(revision) ?? (this.good?.revision === revision ? this.good : undefined)
    );
  }

  lastGood(): Revision | undefined {
    return this.good;
  }

  /** Stores a new revision numbered after every one seen, then prunes the oldest. */
  async append(entry: Omit<Revision, "revision">): Promise<Revision> {
    const numbers = [...this.revisions.keys(), this.good?.revision ?? 0];
    const rev: Revision = { revision: Math.max(0, ...numbers) + 1, ...entry };
    await this.files.write(this.pathOf(rev.revision), `${JSON.stringify(rev, null, 2)}\n`, {
      mode: 0o600,
    });
    this.revisions.set(rev.revision, rev);
    const old = this.history().slice(this.keep);
    for (const r of old) {
      await this.files.remove(this.pathOf(r.revision));
      this.revisions.delete(r.revision);
    }
    return rev;
  }

  /** Makes `rev` the last-good revision. */
  async markGood(rev: Revision): Promise<void> {
    await this.files.write(this.lastGoodPath, `${JSON.stringify(rev, null, 2)}\n`, {
      mode: 0o600,
    });
    this.good = rev;
  }

  private pathOf(revision: number): string {
    return `${this.dir}/${String(revision).padStart(8, "0")}.json`;
  }
}

function parseRevision(raw: string | undefined): Revision | undefined {
  if (raw === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const r = value as Partial<Revision> | null;
  if (
    r === null ||
    typeof r !== "object" ||
    !Number.isSafeInteger(r.revision) ||
    typeof r.hash !== "string" ||
    typeof r.generation !== "number" ||
    typeof r.appliedAt !== "string" ||
    typeof r.actor !== "string" ||
    typeof r.reason !== "string" ||
    typeof r.spec !== "object" ||
    r.spec === null
  ) {
    return undefined;
  }
  return r as Revision;
}
