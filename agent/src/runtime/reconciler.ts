/**
 * The reconciler: puts a validated desired state onto the system, or leaves
 * the system as it was.
 *
 * `set(spec)` runs, in order:
 *   bind (observed links) → render → pre-flight (`nft --check`, `dnsmasq
 *   --test` on a scratch render) → sysctl → links → nft (one transaction) →
 *   dnsmasq files (atomic) → the least disruptive dnsmasq action → persist.
 * Nothing touches the system before pre-flight passes. If any later step
 * fails, every step already done is undone in reverse order (sysctls back,
 * link operations inverted, the previous nft document re-applied, dnsmasq
 * files restored and dnsmasq told), and the failure is reported with its step
 * and the command's stderr. The same hash as the applied one is a no-op that
 * runs no command at all.
 *
 * The reconciler is not re-entrant: the router serializes calls to it.
 */
import { performance } from "node:perf_hooks";
import type { Logger } from "pino";
import { canonicalJson } from "../model/canonical-json.js";
import type { BoundSpec, FieldError, RouterSpec } from "../model/types.js";
import {
  type DnsmasqFile,
  type DnsmasqLayout,
  type DnsmasqReload,
  renderDnsmasq,
} from "../render/dnsmasq.js";
import { bindInterfaces, type LinkOp, type ObservedLink, planLinks } from "../render/links.js";
import { renderNft } from "../render/nft.js";
import { withStaleObjectsDeleted } from "../render/nft-prune.js";
import type { DnsmasqControl } from "./dnsmasq-control.js";
import { type Exec, ExecError, runChecked } from "./exec.js";
import type { FileStore } from "./file-store.js";
import { type LinkReader, linkOpArgs } from "./link-reader.js";
import { describeDrift, type NftDocument, type NftRunner, normalizeListing } from "./nft-runner.js";
import type { ApplyStep, DnsmasqAction, Plan } from "./router-runtime.js";
import { ensureSysctls, revertSysctls, type Sysctl, type SysctlChange } from "./sysctl.js";
import { capDiff, unifiedDiff } from "./unified-diff.js";

/** How a dnsmasq file change reaches the running dnsmasq. */
export type ReloadClass = DnsmasqReload;
/** One rendered dnsmasq file, with an absolute path. */
export type RenderedFile = DnsmasqFile;
export type { DnsmasqLayout };

/** The pure renderers, injectable so tests can fake a renderer's failure. */
export interface Renderers {
  nft(spec: BoundSpec): NftDocument;
  dnsmasq(spec: BoundSpec, layout: DnsmasqLayout): RenderedFile[];
}

export interface ReconcilerDeps {
  exec: Exec;
  files: FileStore;
  links: LinkReader;
  nft: NftRunner;
  sysctl: Sysctl;
  dnsmasq: DnsmasqControl;
  /** Default: `renderNft` and `renderDnsmasq`. */
  render?: Partial<Renderers>;
  layout: DnsmasqLayout;
  /** A directory for pre-flight scratch renders; removed after each use. */
  scratchDir: string;
  logger: Logger;
}

/** What runs now: the spec and exactly what was rendered from it. */
export interface AppliedState {
  hash: string;
  spec: RouterSpec;
  bound: BoundSpec;
  nft: NftDocument;
  /** With absolute paths. */
  files: RenderedFile[];
  /** The normalized kernel listing right after the apply: the drift baseline. */
  nftListing: string;
}

export interface SetOptions {
  hash: string;
  /** Re-apply even if `hash` is the applied hash (start-up restore, drift repair). */
  force?: boolean;
  /** The persist step; runs after every system step succeeded. Its failure rolls back. */
  persist?: () => Promise<void>;
  /**
   * What a previous agent process last applied, when this process has
   * applied nothing yet (start-up): its LAN addresses count as owned, so the
   * ones the new state does not want are deleted.
   */
  previous?: RouterSpec;
}

export type Timings = Partial<Record<ApplyStep, number>>;

export type SetResult =
  | { kind: "noop" }
  | { kind: "applied"; plan: Plan; timings: Timings }
  /** The spec cannot be bound to the observed links (field errors at `lans[i].interface`). */
  | { kind: "invalid"; errors: FieldError[]; timings: Timings }
  | {
      kind: "failed";
      step: ApplyStep;
      message: string;
      stderr?: string;
      /**
       * True when the system is on its previous state again: the failure came
       * before any change, or every change was undone. False only when undoing
       * failed, and the router may be half-applied.
       */
      rolledBack: boolean;
      timings: Timings;
    };

export type PlanResult =
  | { kind: "plan"; plan: Plan }
  | { kind: "invalid"; errors: FieldError[] }
  | { kind: "failed"; step: ApplyStep; message: string; stderr?: string };

export interface DriftReport {
  /** What differs in the agent's nft tables, e.g. `rules inet router_agent forward: ...`. */
  nft: string[];
  /** Link operations needed to get back to the applied state. */
  links: LinkOp[];
  /** dnsmasq files whose content differs from what was written. */
  files: string[];
}

export function hasDrift(d: DriftReport): boolean {
  return d.nft.length > 0 || d.links.length > 0 || d.files.length > 0;
}

/** A file's content before and after the apply; undefined: it does not exist. */
export interface FileChange {
  path: string;
  before: string | undefined;
  after: string | undefined;
  reload: ReloadClass;
}

/** What `set` has done so far, for the rollback. */
interface Undo {
  sysctls: SysctlChange[];
  linkOps: LinkOp[];
  nftTouched: boolean;
  /** Applied instead of the previous document when none is known. */
  nftSnapshot?: NftDocument;
  fileChanges: FileChange[];
  dnsmasqTouched: boolean;
}

class StepError extends Error {
  constructor(
    readonly step: ApplyStep,
    cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
  }
}

const ACTION_RANK: Record<DnsmasqAction, number> = { none: 0, inotify: 1, sighup: 2, restart: 3 };

/**
 * The dnsmasq action a set of file changes needs: the strongest reload
 * class among the written and removed files (the renderer classifies each
 * file by what makes dnsmasq see a change to it).
 */
export function dnsmasqActionFor(changes: FileChange[]): DnsmasqAction {
  let action: DnsmasqAction = "none";
  for (const c of changes) if (ACTION_RANK[c.reload] > ACTION_RANK[action]) action = c.reload;
  return action;
}

export class Reconciler {
  private current: AppliedState | undefined;
  private readonly render: Renderers;
  private readonly log: { nft: Logger; links: Logger; dnsmasq: Logger; root: Logger };

  constructor(private readonly deps: ReconcilerDeps) {
    this.render = {
      nft: deps.render?.nft ?? renderNft,
      dnsmasq: deps.render?.dnsmasq ?? renderDnsmasq,
    };
    this.log = {
      root: deps.logger,
      nft: deps.logger.child({ component: "nft" }),
      links: deps.logger.child({ component: "links" }),
      dnsmasq: deps.logger.child({ component: "dnsmasq" }),
    };
  }

  /** What runs now, if anything has been applied by this process. */
  applied(): AppliedState | undefined {
    return this.current;
  }

  /** What `set(spec)` would change, after pre-flight. Touches nothing. */
  async plan(spec: RouterSpec, hash: string): Promise<PlanResult> {
    let stage: ApplyStep = "bind";
    try {
      const observed = await this.deps.links.read();
      const bound = bindInterfaces(spec, observed);
      if (!bound.ok) return { kind: "invalid", errors: bound.errors };
      stage = "render";
      const nft = this.render.nft(bound.value);
      const files = this.renderFiles(bound.value, this.deps.layout);
      stage = "preflight";
      await this.preflight(
        bound.value,
        withStaleObjectsDeleted(nft, await this.deps.nft.listOwned()),
      );
      const changes = await this.fileChanges(files);
      return {
        kind: "plan",
        plan: this.describe(
          hash,
          nft,
          changes,
          planLinks(observed, bound.value, this.current?.bound),
        ),
      };
    } catch (e) {
      return { kind: "failed", step: stage, ...errorFields(e) };
    }
  }

  /**
   * Applies `spec` (validated, hashed by the caller). Never throws: failures
   * come back as `failed` after the rollback.
   */
  async set(spec: RouterSpec, opts: SetOptions): Promise<SetResult> {
    if (!opts.force && this.current?.hash === opts.hash) return { kind: "noop" };
    const timings: Timings = {};
    const undo: Undo = {
      sysctls: [],
      linkOps: [],
      nftTouched: false,
      fileChanges: [],
      dnsmasqTouched: false,
    };
    const timed = async <T>(step: ApplyStep, fn: () => Promise<T> | T): Promise<T> => {
      const start = performance.now();
      try {
        return await fn();
      } catch (e) {
        throw e instanceof StepError ? e : new StepError(step, e);
      } finally {
        timings[step] = Math.round((performance.now() - start) * 100) / 100;
      }
    };

    try {
      const observed = await timed("bind", () => this.deps.links.read());
      const bound = bindInterfaces(spec, observed);
      if (!bound.ok) return { kind: "invalid", errors: bound.errors, timings };
      const desired = bound.value;

      const { nft, files } = await timed("render", () => ({
        nft: this.render.nft(desired),
        files: this.renderFiles(desired, this.deps.layout),
      }));

      const doc = await timed("preflight", async () => {
        const live = await this.deps.nft.listOwned();
        const complete = withStaleObjectsDeleted(nft, live);
        await this.preflight(desired, complete);
        if (this.current === undefined) undo.nftSnapshot = await this.deps.nft.snapshot();
        return complete;
      });

      await timed("sysctl", async () => {
        undo.sysctls = await ensureSysctls(this.deps.sysctl);
      });

      const linkOps = planLinks(observed, desired, this.previousBound(observed, opts.previous));
      await timed("links", async () => {
        for (const op of linkOps) {
          await runChecked(this.deps.exec, "ip", linkOpArgs(op));
          undo.linkOps.push(op);
          this.log.links.info({ op }, "link operation");
        }
      });

      const nftListing = await timed("nft", async () => {
        try {
          await this.deps.nft.apply(doc);
        } catch (e) {
          // A transaction that nft refused changed nothing; one that timed out may have.
          if (!(e instanceof ExecError) || e.code === undefined) undo.nftTouched = true;
          throw e;
        }
        undo.nftTouched = true;
        return normalizeListing(await this.deps.nft.listOwned());
      });

      const changes = await timed("dnsmasq", async () => {
        const changes = await this.fileChanges(files);
        for (const c of changes) {
          undo.fileChanges.push(c);
          if (c.after === undefined) await this.deps.files.remove(c.path);
          else await this.deps.files.write(c.path, c.after);
        }
        const action = dnsmasqActionFor(changes);
        undo.dnsmasqTouched = true;
        await this.dnsmasqDo(action);
        return changes;
      });

      await timed("persist", async () => {
        await opts.persist?.();
      });

      const plan = this.describe(opts.hash, nft, changes, linkOps);
      this.current = { hash: opts.hash, spec, bound: desired, nft, files, nftListing };
      return { kind: "applied", plan, timings };
    } catch (e) {
      const step = e instanceof StepError ? e.step : "bind";
      const fields = errorFields(e instanceof StepError ? e.cause : e);
      const touched =
        undo.sysctls.length > 0 ||
        undo.linkOps.length > 0 ||
        undo.nftTouched ||
        undo.fileChanges.length > 0;
      let rolledBack = true;
      if (touched) rolledBack = await this.rollback(undo);
      this.log.root.warn({ step, err: fields.message, rolledBack }, "apply failed");
      return { kind: "failed", step, ...fields, rolledBack, timings };
    }
  }

  /** Compares the live system with the applied state. Touches nothing. */
  async checkDrift(): Promise<DriftReport> {
    const cur = this.current;
    if (cur === undefined) return { nft: [], links: [], files: [] };
    const live = normalizeListing(await this.deps.nft.listOwned());
    const nft = describeDrift(cur.nftListing, live);
    const links = planLinks(await this.deps.links.read(), cur.bound, cur.bound);
    const files: string[] = [];
    for (const f of cur.files) {
      if ((await this.deps.files.read(f.path)) !== f.content) files.push(f.path);
    }
    return { nft, links, files };
  }

  /**
   * Removes everything the agent applied: its nft tables, the LAN addresses
   * it owns, the dnsmasq files, and stops dnsmasq. For a commit-confirm
   * rollback when there was nothing before. Fails on the first error.
   */
  async clear(): Promise<void> {
    const cur = this.current;
    await this.deps.nft.removeOwned();
    if (cur !== undefined) {
      const empty: BoundSpec = { ...cur.bound, lans: [] };
      for (const op of planLinks(await this.deps.links.read(), empty, cur.bound)) {
        await runChecked(this.deps.exec, "ip", linkOpArgs(op));
      }
      await this.deps.dnsmasq.stop();
      for (const f of cur.files) await this.deps.files.remove(f.path);
    }
    this.current = undefined;
  }

  private previousBound(observed: ObservedLink[], previous?: RouterSpec): BoundSpec | undefined {
    if (this.current !== undefined) return this.current.bound;
    if (previous === undefined) return undefined;
    const bound = bindInterfaces(previous, observed);
    return bound.ok ? bound.value : undefined;
  }

  private renderFiles(spec: BoundSpec, layout: DnsmasqLayout): RenderedFile[] {
    return this.render.dnsmasq(spec, layout).map((f) => ({
      ...f,
      path: f.path.startsWith("/") ? f.path : `${layout.dir}/${f.path}`,
    }));
  }

  /** `nft --check` on the document; `dnsmasq --test` on a scratch render. */
  private async preflight(spec: BoundSpec, nft: NftDocument): Promise<void> {
    await this.deps.nft.check(nft);
    const dir = `${this.deps.scratchDir}/preflight-${process.pid}`;
    try {
      const files = this.renderFiles(spec, { ...this.deps.layout, dir });
      for (const f of files) await this.deps.files.write(f.path, f.content);
      const main = mainConfig(files);
      if (main !== undefined) {
        await runChecked(this.deps.exec, "dnsmasq", ["--test", `--conf-file=${main}`]);
      }
    } finally {
      await this.deps.files.removeTree(dir);
    }
  }

  /**
   * The writes and removals that take the dnsmasq files on disk to `files`.
   * Removed: files of the applied state that are no longer rendered, and
   * stray files in the sub-directories the renderer owns (e.g.
   * `dhcp-hosts.d/`), which dnsmasq would otherwise keep reading.
   */
  private async fileChanges(files: RenderedFile[]): Promise<FileChange[]> {
    const changes: FileChange[] = [];
    const wanted = new Set(files.map((f) => f.path));
    for (const f of files) {
      const before = await this.deps.files.read(f.path);
      if (before !== f.content) {
        changes.push({ path: f.path, before, after: f.content, reload: f.reload });
      }
    }
    const stale = new Map<string, ReloadClass>();
    for (const f of this.current?.files ?? []) if (!wanted.has(f.path)) stale.set(f.path, f.reload);
    const root = `${this.deps.layout.dir}/`;
    const subdirs = new Map<string, ReloadClass>();
    for (const f of files) {
      const dir = f.path.slice(0, f.path.lastIndexOf("/"));
      if (`${dir}/` !== root && dir.startsWith(root)) subdirs.set(dir, f.reload);
    }
    for (const [dir, reload] of subdirs) {
      for (const name of await this.deps.files.list(dir)) {
        const path = `${dir}/${name}`;
        if (!wanted.has(path) && !name.startsWith(".")) stale.set(path, reload);
      }
    }
    for (const [path, reload] of stale) {
      const before = await this.deps.files.read(path);
      if (before !== undefined) changes.push({ path, before, after: undefined, reload });
    }
    return changes;
  }

  private async dnsmasqDo(action: DnsmasqAction): Promise<void> {
    this.log.dnsmasq.info({ action }, "dnsmasq action");
    if (action === "restart") await this.deps.dnsmasq.restart();
    else if (action === "sighup") await this.deps.dnsmasq.reload();
    else await this.deps.dnsmasq.ensureRunning();
  }

  /** Undoes `undo` in reverse order. Returns whether every part succeeded. */
  private async rollback(undo: Undo): Promise<boolean> {
    const failures: string[] = [];
    const attempt = async (what: string, fn: () => Promise<void>) => {
      try {
        await fn();
      } catch (e) {
        failures.push(`${what}: ${(e as Error).message}`);
      }
    };

    if (undo.fileChanges.length > 0 || undo.dnsmasqTouched) {
      const reverse: FileChange[] = undo.fileChanges.map((c) => ({
        ...c,
        before: c.after,
        after: c.before,
      }));
      await attempt("dnsmasq files", async () => {
        for (const c of reverse) {
          if (c.after === undefined) await this.deps.files.remove(c.path);
          else await this.deps.files.write(c.path, c.after);
        }
      });
      if (undo.dnsmasqTouched || reverse.length > 0) {
        await attempt("dnsmasq", () => this.dnsmasqDo(dnsmasqActionFor(reverse)));
      }
    }

    if (undo.nftTouched) {
      const previous = this.current?.nft ?? undo.nftSnapshot;
      await attempt("nft", async () => {
        if (previous === undefined) return;
        const live = await this.deps.nft.listOwned();
        await this.deps.nft.apply(
          this.current ? withStaleObjectsDeleted(previous, live) : previous,
        );
        if (this.current) {
          this.current.nftListing = normalizeListing(await this.deps.nft.listOwned());
        }
      });
    }

    const keptUp = new Set(this.current?.bound.lans.map((l) => l.ifname) ?? []);
    await attempt("links", async () => {
      for (const op of [...undo.linkOps].reverse()) {
        const inverse = invertLinkOp(op, keptUp);
        if (inverse) await runChecked(this.deps.exec, "ip", inverse);
      }
    });

    await attempt("sysctl", () => revertSysctls(this.deps.sysctl, undo.sysctls));

    if (failures.length > 0) {
      this.log.root.error({ failures }, "rollback incomplete: the router may be half-applied");
      return false;
    }
    this.log.root.info("rolled back to the previous state");
    return true;
  }

  private describe(hash: string, nft: NftDocument, changes: FileChange[], linkOps: LinkOp[]): Plan {
    const before = this.current ? canonicalJson(this.current.nft) : "";
    const nftDiff = unifiedDiff(before === "" ? "" : `${before}\n`, `${canonicalJson(nft)}\n`, {
      from: "applied/nft.json",
      to: "desired/nft.json",
    });
    const dnsmasqDiff = [...changes]
      .sort((a, b) => a.path.localeCompare(b.path))
      .map((c) =>
        unifiedDiff(c.before ?? "", c.after ?? "", {
          from: c.before === undefined ? "/dev/null" : `a${c.path}`,
          to: c.after === undefined ? "/dev/null" : `b${c.path}`,
        }),
      )
      .join("");
    return {
      nftDiff: capDiff(nftDiff),
      dnsmasqDiff: capDiff(dnsmasqDiff),
      linkOps,
      dnsmasqAction: dnsmasqActionFor(changes),
      noop: this.current?.hash === hash,
    };
  }
}

/** The file `dnsmasq --conf-file` takes: `dnsmasq.conf`, else the first restart-class file. */
function mainConfig(files: RenderedFile[]): string | undefined {
  return (
    files.find((f) => f.path.endsWith("/dnsmasq.conf"))?.path ??
    files.find((f) => f.reload === "restart")?.path
  );
}

function invertLinkOp(op: LinkOp, keptUp: Set<string>): string[] | undefined {
  switch (op.op) {
    case "addr-add":
      return linkOpArgs({ op: "addr-del", ifname: op.ifname, address: op.address });
    case "addr-del":
      return linkOpArgs({ op: "addr-add", ifname: op.ifname, address: op.address });
    case "link-up":
      return keptUp.has(op.ifname) ? undefined : ["link", "set", "dev", op.ifname, "down"];
  }
}

function errorFields(e: unknown): { message: string; stderr?: string } {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof ExecError && e.stderr !== "") return { message, stderr: e.stderr };
  return { message };
}
