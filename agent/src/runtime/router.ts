/**
 * `Router`: the real `RouterRuntime`. It owns the reconciler, the revision
 * history, the pending commit and the conditions, and runs every change one
 * at a time through a queue, so an apply, a confirm, a commit-confirm expiry
 * and a drift repair never interleave.
 *
 * Start-up (`start`): load the state directory; if a commit was still
 * pending, its window never got a confirm, so roll back to the revision it
 * names; otherwise re-apply last-good. A failed restore is retried with
 * backoff in the background until it, or any later apply, succeeds.
 *
 * Never throws from the `RouterRuntime` methods: every failure is an
 * `ApplyOutcome`.
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Logger } from "pino";
import { specHash } from "../model/spec-hash.js";
import type { RouterSpec } from "../model/types.js";
import { validateSpec } from "../model/validate.js";
import { dnsmasqPaths } from "../render/dnsmasq.js";
import { AGENT_TABLES } from "../render/nft.js";
import { type Clock, systemClock, type Timer } from "./clock.js";
import { CommitConfirm } from "./commit-confirm.js";
import { Conditions, type ConditionUpdate } from "./conditions.js";
import type { DnsmasqControl } from "./dnsmasq-control.js";
import type { Exec } from "./exec.js";
import type { FileStore } from "./file-store.js";
import { IpLinkReader, type LinkReader } from "./link-reader.js";
import { NftRunner, type TableRef } from "./nft-runner.js";
import {
  type DnsmasqLayout,
  type DriftReport,
  hasDrift,
  Reconciler,
  type Renderers,
  type SetResult,
} from "./reconciler.js";
import { DEFAULT_KEEP, RevisionStore } from "./revision-store.js";
import type {
  Actor,
  ApplyOutcome,
  ApplyRequest,
  ConditionType,
  PendingCommit,
  Plan,
  Revision,
  RouterRuntime,
  RouterStatus,
} from "./router-runtime.js";
import { ProcSysctl, type Sysctl } from "./sysctl.js";

export interface RouterOptions {
  /** e.g. /var/lib/router-agent: revisions, last-good, pending commit, dnsmasq files. */
  stateDir: string;
  /** e.g. /run/router-agent: scratch space for pre-flight renders. */
  runtimeDir: string;
  /** Absolute path of the `dhcp-script` hook dnsmasq runs on lease events. */
  leaseScript: string;
  exec: Exec;
  files: FileStore;
  dnsmasq: DnsmasqControl;
  logger: Logger;
  clock?: Clock;
  /** Default: `ip -j -d addr` through `exec`. */
  links?: LinkReader;
  /** Default: /proc/sys through `files`. Use `ExecSysctl` when `exec` targets another netns. */
  sysctl?: Sysctl;
  /** Default: `AGENT_TABLES`. */
  nftTables?: TableRef[];
  /** Filled in as `wan.interface` when a pushed spec leaves it out (agent.yaml `wan_interface`). */
  wanInterface?: string;
  /** Revisions kept in the state directory. Default 50. */
  keepRevisions?: number;
  /** Override the pure renderers (tests only). */
  render?: Partial<Renderers>;
  /** Id for a commit-confirm push that brings none. Default: a random UUID. */
  newCommitId?: () => string;
  /** Backoff for retrying a failed start-up restore or rollback. */
  retry?: { initialMs: number; maxMs: number };
}

/** The dnsmasq layout under a state directory: what the supervisor's `confFile` is. */
export function dnsmasqLayout(stateDir: string, leaseScript: string): DnsmasqLayout {
  return { dir: `${stateDir}/dnsmasq`, leaseScript };
}

/** The main dnsmasq config path for a state directory (for the supervisor). */
export function dnsmasqConfFile(stateDir: string): string {
  return dnsmasqPaths({ dir: `${stateDir}/dnsmasq`, leaseScript: "" }).conf;
}

export interface DriftCheck {
  drift: DriftReport;
  /** Whether a re-apply was needed and succeeded. */
  repaired: boolean;
}

const NOOP_PLAN: Plan = {
  nftDiff: "",
  dnsmasqDiff: "",
  linkOps: [],
  dnsmasqAction: "none",
  noop: true,
};

export class Router implements RouterRuntime {
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly reconciler: Reconciler;
  private readonly revisions: RevisionStore;
  private readonly commits: CommitConfirm;
  private readonly conditions: Conditions;
  private readonly listeners = new Set<(status: RouterStatus) => void>();
  private readonly startedAt: string;
  private applied: Revision | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private retryTimer: Timer | undefined;
  private retryFailures = 0;
  private stopped = false;
  private readonly unsubscribeDnsmasq: (() => void) | undefined;

  constructor(private readonly opts: RouterOptions) {
    this.clock = opts.clock ?? systemClock;
    this.log = opts.logger;
    this.startedAt = new Date(this.clock.now()).toISOString();
    this.conditions = new Conditions(this.clock.now());
    this.reconciler = new Reconciler({
      exec: opts.exec,
      files: opts.files,
      links: opts.links ?? new IpLinkReader(opts.exec),
      nft: new NftRunner(opts.exec, opts.nftTables ?? [...AGENT_TABLES]),
      sysctl: opts.sysctl ?? new ProcSysctl(opts.files),
      dnsmasq: opts.dnsmasq,
      ...(opts.render ? { render: opts.render } : {}),
      layout: dnsmasqLayout(opts.stateDir, opts.leaseScript),
      scratchDir: opts.runtimeDir,
      logger: opts.logger,
    });
    this.revisions = new RevisionStore(
      opts.files,
      opts.stateDir,
      opts.keepRevisions ?? DEFAULT_KEEP,
    );
    this.commits = new CommitConfirm({
      files: opts.files,
      stateDir: opts.stateDir,
      clock: this.clock,
      onExpire: (p) => {
        void this.serialize(() =>
          this.rollbackPending(
            "commit-confirm",
            `commit ${p.commitId} not confirmed by ${p.deadline}`,
          ),
        );
      },
    });
    this.unsubscribeDnsmasq = opts.dnsmasq.onState?.((s) => {
      const update: ConditionUpdate = s.running
        ? {
            status: true,
            reason: "Running",
            message: `dnsmasq runs as pid ${s.pid ?? "?"}`,
            observedGeneration: this.generation(),
          }
        : {
            status: false,
            reason: "DnsmasqDown",
            message: `dnsmasq is not running (restarts so far: ${s.restarts})`,
            observedGeneration: this.generation(),
          };
      this.setCondition("DhcpServing", update);
    });
  }

  /**
   * Loads the state directory and puts the router back on its last state (or
   * rolls back a commit left pending). Resolves once that first attempt is
   * over, whatever its outcome: a failure is logged, raised as Degraded and
   * retried in the background. Returns the outcome, or undefined when there
   * was nothing to restore.
   */
  start(): Promise<ApplyOutcome | undefined> {
    return this.serialize(async () => {
      for (const w of await this.revisions.load()) this.log.warn({ warning: w }, "state directory");
      const pending = await this.commits.load();
      if (pending !== undefined) {
        this.log.warn({ pending }, "a commit was pending at start: rolling back");
        return this.rollbackPending(
          "agent-start",
          `commit ${pending.commitId} was still unconfirmed when the agent started`,
        );
      }
      const good = this.revisions.lastGood();
      if (good === undefined) {
        this.setCondition("Ready", {
          status: false,
          reason: "NoDesiredState",
          message: "no desired state has been applied yet",
          observedGeneration: 0,
        });
        return undefined;
      }
      return this.restore(good);
    });
  }

  /** Stops timers and waits for queued work. Leaves nft rules and dnsmasq alone. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.retryTimer?.cancel();
    this.commits.disarm();
    this.unsubscribeDnsmasq?.();
    await this.queue.catch(() => {});
  }

  apply(req: ApplyRequest): Promise<ApplyOutcome> {
    return this.serialize(async () => {
      const start = performance.now();
      const validated = validateSpec(this.withDefaults(req.spec));
      const validateMs = ms(start);
      if (!validated.ok) {
        this.logApply(req, undefined, { kind: "invalid", errors: validated.errors });
        return { kind: "invalid", errors: validated.errors };
      }
      const spec = validated.value;
      const hash = specHash(spec);
      const pending = this.commits.pending();
      if (pending !== undefined && !req.dryRun && req.commitId !== pending.commitId) {
        const outcome: ApplyOutcome = {
          kind: "refused",
          code: "commit-pending",
          message: `commit ${pending.commitId} is pending until ${pending.deadline}: confirm or cancel it first, or push with its commit id`,
        };
        this.logApply(req, hash, outcome);
        return outcome;
      }
      if (req.dryRun) {
        const planned = await this.reconciler.plan(spec, hash);
        if (planned.kind === "plan") return { kind: "dry-run", plan: planned.plan };
        if (planned.kind === "invalid") return { kind: "invalid", errors: planned.errors };
        return { ...planned, rolledBack: true };
      }

      const within = req.confirmWithinMs ?? 0;
      let revision: Revision | undefined;
      let pendingCommit: PendingCommit | undefined;
      const result = await this.reconciler.set(spec, {
        hash,
        persist: async () => {
          revision = await this.revisions.append({
            hash,
            generation: req.generation,
            appliedAt: new Date(this.clock.now()).toISOString(),
            actor: req.actor,
            reason: req.reason,
            spec,
          });
          if (pending !== undefined) {
            pendingCommit = within > 0 ? await this.commits.extend(within) : pending;
          } else if (within > 0) {
            const id = req.commitId ?? (this.opts.newCommitId ?? randomUUID)();
            pendingCommit = await this.commits.begin(id, within, this.applied?.revision ?? 0);
          } else {
            await this.revisions.markGood(revision);
          }
        },
      });
      const outcome = this.afterSet(result, revision, pendingCommit, validateMs);
      this.logApply(req, hash, outcome);
      return outcome;
    });
  }

  confirm(actor: Actor, commitId?: string): Promise<ApplyOutcome> {
    return this.serialize(async () => {
      const pending = this.pendingOrRefusal(commitId);
      if ("kind" in pending) return pending;
      if (this.applied !== undefined) await this.revisions.markGood(this.applied);
      await this.commits.clear();
      this.setCondition("AwaitingConfirm", {
        status: false,
        reason: "Confirmed",
        message: `commit ${pending.commitId} confirmed by ${actor}`,
        observedGeneration: this.generation(),
      });
      this.log.info({ actor, commitId: pending.commitId }, "commit confirmed");
      return this.appliedOutcome();
    });
  }

  cancel(actor: Actor, commitId?: string): Promise<ApplyOutcome> {
    return this.serialize(async () => {
      const pending = this.pendingOrRefusal(commitId);
      if ("kind" in pending) return pending;
      return this.rollbackPending(actor, `commit ${pending.commitId} cancelled by ${actor}`);
    });
  }

  extend(actor: Actor, extraMs: number, commitId?: string): Promise<ApplyOutcome> {
    return this.serialize(async () => {
      const pending = this.pendingOrRefusal(commitId);
      if ("kind" in pending) return pending;
      const next = await this.commits.extend(extraMs);
      this.log.info({ actor, pending: next }, "commit deadline extended");
      this.awaitingConfirm(next);
      return this.appliedOutcome(next);
    });
  }

  rollback(revision: number, actor: Actor, reason: string): Promise<ApplyOutcome> {
    return this.serialize(async () => {
      const pending = this.commits.pending();
      if (pending !== undefined) {
        return {
          kind: "refused",
          code: "commit-pending",
          message: `commit ${pending.commitId} is pending: confirm or cancel it first`,
        };
      }
      const target = this.revisions.get(revision);
      if (target === undefined) {
        return {
          kind: "refused",
          code: "no-such-revision",
          message: `revision ${revision} is not in the history`,
        };
      }
      const outcome = await this.applyRevision(target, actor, reason, { endPending: false });
      this.logApply({ generation: target.generation, actor, reason }, target.hash, outcome);
      return outcome;
    });
  }

  /**
   * Compares the live system with the applied state; on drift logs what
   * drifted, raises Degraded and re-applies. Serialized with applies.
   */
  checkDrift(): Promise<DriftCheck> {
    return this.serialize(async () => {
      const none: DriftReport = { nft: [], links: [], files: [] };
      const current = this.reconciler.applied();
      if (current === undefined || this.applied === undefined)
        return { drift: none, repaired: false };
      let drift: DriftReport;
      try {
        drift = await this.reconciler.checkDrift();
      } catch (e) {
        this.log.error({ err: (e as Error).message }, "drift check failed");
        return { drift: none, repaired: false };
      }
      if (!hasDrift(drift)) return { drift, repaired: false };
      this.log.warn(
        { drift },
        "drift: the live system differs from the applied state, re-applying",
      );
      this.setCondition("Degraded", {
        status: true,
        reason: "Drift",
        message: summarizeDrift(drift),
        observedGeneration: this.generation(),
      });
      const result = await this.reconciler.set(current.spec, { hash: current.hash, force: true });
      if (result.kind === "applied") {
        this.setCondition("Degraded", {
          status: false,
          reason: "DriftRepaired",
          message: "re-applied after drift",
          observedGeneration: this.generation(),
        });
        return { drift, repaired: true };
      }
      this.log.error({ result }, "drift repair failed");
      return { drift, repaired: false };
    });
  }

  status(): RouterStatus {
    const s: RouterStatus = {
      appliedRevision: this.applied?.revision ?? 0,
      appliedGeneration: this.applied?.generation ?? 0,
      appliedHash: this.applied?.hash ?? "",
      conditions: this.conditions.list(),
      dnsmasq: this.opts.dnsmasq.state(),
      startedAt: this.startedAt,
    };
    const pending = this.commits.pending();
    if (pending !== undefined) s.pendingCommit = { ...pending };
    return s;
  }

  history(): Revision[] {
    return this.revisions.history();
  }

  onStatus(listener: (status: RouterStatus) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** The revision that runs now, if any. */
  appliedRevision(): Revision | undefined {
    return this.applied;
  }

  // --- internals ---

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    // The queue holds no result: the last outcome (an apply's plan diffs are
    // tens of MiB at the list limits) would otherwise stay in memory.
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private withDefaults(input: unknown): unknown {
    const wan = this.opts.wanInterface;
    if (wan === undefined || !isPlainObject(input)) return input;
    if (input.wan === undefined) return { ...input, wan: { interface: wan } };
    if (isPlainObject(input.wan) && input.wan.interface === undefined) {
      return { ...input, wan: { ...input.wan, interface: wan } };
    }
    return input;
  }

  /** Before this process applied anything: the newest revision, what ran last. */
  private lastRun(): { previous?: RouterSpec } {
    if (this.reconciler.applied() !== undefined) return {};
    const newest = this.revisions.history()[0];
    return newest === undefined ? {} : { previous: newest.spec };
  }

  private generation(): number {
    return this.applied?.generation ?? 0;
  }

  private pendingOrRefusal(commitId: string | undefined): PendingCommit | ApplyOutcome {
    const pending = this.commits.pending();
    if (pending === undefined) {
      return { kind: "refused", code: "no-pending-commit", message: "no commit is pending" };
    }
    if (commitId !== undefined && commitId !== "" && commitId !== pending.commitId) {
      return {
        kind: "refused",
        code: "no-pending-commit",
        message: `commit ${commitId} is not pending (pending: ${pending.commitId})`,
      };
    }
    return pending;
  }

  private appliedOutcome(pendingCommit?: PendingCommit): ApplyOutcome {
    if (this.applied === undefined) {
      return { kind: "refused", code: "no-such-revision", message: "nothing is applied" };
    }
    const outcome: ApplyOutcome = {
      kind: "applied",
      revision: this.applied,
      plan: NOOP_PLAN,
      timings: {},
    };
    const pending = pendingCommit ?? this.commits.pending();
    if (pending !== undefined) outcome.pendingCommit = pending;
    return outcome;
  }

  /** Turns a reconciler result into an outcome and updates the bookkeeping. */
  private afterSet(
    result: SetResult,
    revision: Revision | undefined,
    pendingCommit: PendingCommit | undefined,
    validateMs: number,
  ): ApplyOutcome {
    if (result.kind === "noop") {
      const outcome = this.appliedOutcome();
      return outcome.kind === "applied"
        ? { ...outcome, timings: { validate: validateMs } }
        : outcome;
    }
    if (result.kind === "invalid") return { kind: "invalid", errors: result.errors };
    const timings = { validate: validateMs, ...result.timings };
    if (result.kind === "failed") {
      if (!result.rolledBack) {
        this.setCondition("Degraded", {
          status: true,
          reason: "RollbackFailed",
          message: `apply failed at ${result.step} and could not be fully undone: ${result.message}`,
          observedGeneration: this.generation(),
        });
      }
      const failed: ApplyOutcome = {
        kind: "failed",
        step: result.step,
        message: result.message,
        rolledBack: result.rolledBack,
      };
      if (result.stderr !== undefined) failed.stderr = result.stderr;
      return failed;
    }
    this.applied = revision;
    this.cancelRetry();
    this.markReady("Applied");
    if (pendingCommit !== undefined) this.awaitingConfirm(pendingCommit);
    const outcome: ApplyOutcome = {
      kind: "applied",
      revision: revision as Revision,
      plan: result.plan,
      timings,
    };
    if (pendingCommit !== undefined) outcome.pendingCommit = pendingCommit;
    return outcome;
  }

  private markReady(reason: string): void {
    const rev = this.applied as Revision;
    this.setCondition("Ready", {
      status: true,
      reason,
      message: `revision ${rev.revision} (${rev.hash.slice(0, 12)}) is applied`,
      observedGeneration: rev.generation,
    });
    const degraded = this.conditions.get("Degraded");
    if (degraded.status) {
      this.setCondition("Degraded", {
        status: false,
        reason: "Recovered",
        message: `revision ${rev.revision} applied`,
        observedGeneration: rev.generation,
      });
    }
  }

  private awaitingConfirm(p: PendingCommit): void {
    this.setCondition("AwaitingConfirm", {
      status: true,
      reason: "CommitPending",
      message: `commit ${p.commitId}: confirm by ${p.deadline}, else rollback to revision ${p.rollbackTo}`,
      observedGeneration: this.generation(),
    });
  }

  /**
   * Re-applies a stored revision as a new, good revision: an explicit
   * rollback, or (`endPending`) the rollback of the pending commit, which
   * applies even when the hash is unchanged, counts what the last process
   * applied as owned and ends the pending commit in the same persist step.
   */
  private async applyRevision(
    target: Revision,
    actor: Actor,
    reason: string,
    { endPending }: { endPending: boolean },
  ): Promise<ApplyOutcome> {
    let revision: Revision | undefined;
    const result = await this.reconciler.set(target.spec, {
      hash: target.hash,
      ...(endPending ? { force: true, ...this.lastRun() } : {}),
      persist: async () => {
        revision = await this.revisions.append({
          hash: target.hash,
          generation: target.generation,
          appliedAt: new Date(this.clock.now()).toISOString(),
          actor,
          reason,
          spec: target.spec,
        });
        await this.revisions.markGood(revision);
        if (endPending) await this.commits.clear();
      },
    });
    return this.afterSet(result, revision, undefined, 0);
  }

  /**
   * Ends the pending commit by restoring the revision it names (or, when
   * there was nothing before it, by removing everything the agent applied).
   * On failure the commit stays pending, Degraded is raised and the rollback
   * is retried with backoff.
   */
  private async rollbackPending(actor: Actor, reason: string): Promise<ApplyOutcome> {
    const pending = this.commits.pending();
    if (pending === undefined) {
      return { kind: "refused", code: "no-pending-commit", message: "no commit is pending" };
    }
    this.log.warn({ actor, pending, reason }, "rolling back the pending commit");
    let outcome: ApplyOutcome;
    const target =
      pending.rollbackTo > 0
        ? (this.revisions.get(pending.rollbackTo) ?? this.revisions.lastGood())
        : this.revisions.lastGood();
    if (target === undefined) {
      try {
        await this.reconciler.clear();
        await this.commits.clear();
        this.applied = undefined;
        this.setCondition("Ready", {
          status: false,
          reason: "RolledBack",
          message: "the unconfirmed first commit was removed; nothing is applied",
          observedGeneration: 0,
        });
        outcome = {
          kind: "refused",
          code: "no-such-revision",
          message:
            "rolled back: there was no revision before this commit, so nothing is applied now",
        };
      } catch (e) {
        outcome = { kind: "failed", step: "nft", message: (e as Error).message, rolledBack: false };
      }
    } else {
      outcome = await this.applyRevision(target, actor, reason, { endPending: true });
    }
    if (outcome.kind === "failed") {
      this.setCondition("Degraded", {
        status: true,
        reason: "RollbackFailed",
        message: `rollback of commit ${pending.commitId} failed at ${outcome.step}: ${outcome.message}`,
        observedGeneration: this.generation(),
      });
      this.scheduleRetry("rollback", () => this.rollbackPending(actor, reason));
    } else {
      this.setCondition("AwaitingConfirm", {
        status: false,
        reason: "RolledBack",
        message: reason,
        observedGeneration: this.generation(),
      });
    }
    this.logApply({ generation: target?.generation ?? 0, actor, reason }, target?.hash, outcome);
    return outcome;
  }

  /** Re-applies last-good at start; on failure retries with backoff. */
  private async restore(good: Revision): Promise<ApplyOutcome> {
    const result = await this.reconciler.set(good.spec, {
      hash: good.hash,
      force: true,
      ...this.lastRun(),
    });
    let outcome: ApplyOutcome;
    if (result.kind === "applied") {
      this.applied = good;
      this.cancelRetry();
      this.markReady("Restored");
      outcome = { kind: "applied", revision: good, plan: result.plan, timings: result.timings };
    } else {
      outcome =
        result.kind === "failed"
          ? {
              kind: "failed",
              step: result.step,
              message: result.message,
              rolledBack: result.rolledBack,
              ...(result.stderr !== undefined ? { stderr: result.stderr } : {}),
            }
          : result.kind === "invalid"
            ? { kind: "invalid", errors: result.errors }
            : { kind: "failed", step: "bind", message: "unexpected no-op", rolledBack: true };
      const message =
        outcome.kind === "failed"
          ? `restoring revision ${good.revision} failed at ${outcome.step}: ${outcome.message}`
          : `restoring revision ${good.revision} failed: ${outcome.kind === "invalid" ? outcome.errors.map((e) => `${e.path}: ${e.message}`).join("; ") : ""}`;
      this.setCondition("Ready", {
        status: false,
        reason: "RestoreFailed",
        message,
        observedGeneration: good.generation,
      });
      this.setCondition("Degraded", {
        status: true,
        reason: "RestoreFailed",
        message,
        observedGeneration: good.generation,
      });
      this.scheduleRetry("restore", async () => {
        if (this.applied !== undefined) return undefined;
        return this.restore(good);
      });
    }
    this.logApply(
      { generation: good.generation, actor: "agent-start", reason: "restore last-good" },
      good.hash,
      outcome,
    );
    return outcome;
  }

  private scheduleRetry(what: string, fn: () => Promise<unknown>): void {
    if (this.stopped) return;
    this.retryTimer?.cancel();
    const policy = this.opts.retry ?? { initialMs: 1_000, maxMs: 60_000 };
    const delay = Math.min(policy.maxMs, policy.initialMs * 2 ** this.retryFailures);
    this.retryFailures++;
    this.log.warn({ what, delayMs: delay }, "will retry");
    this.retryTimer = this.clock.after(delay, () => {
      this.retryTimer = undefined;
      void this.serialize(fn);
    });
  }

  private cancelRetry(): void {
    this.retryTimer?.cancel();
    this.retryTimer = undefined;
    this.retryFailures = 0;
  }

  private setCondition(type: ConditionType, update: ConditionUpdate): void {
    if (this.conditions.set(type, update, this.clock.now())) this.notify();
  }

  private notify(): void {
    const status = this.status();
    for (const listener of this.listeners) {
      try {
        listener(status);
      } catch (e) {
        this.log.error({ err: (e as Error).message }, "status listener failed");
      }
    }
  }

  /** The one log line per apply: generation, hash, step durations, outcome. */
  private logApply(
    req: { generation: number; actor: Actor; reason: string },
    hash: string | undefined,
    outcome: ApplyOutcome,
  ): void {
    const line: Record<string, unknown> = {
      generation: req.generation,
      hash,
      actor: req.actor,
      reason: req.reason,
      outcome: outcome.kind,
    };
    if (outcome.kind === "applied") {
      line.revision = outcome.revision.revision;
      line.timings = outcome.timings;
      line.noop = outcome.plan.noop;
      line.dnsmasqAction = outcome.plan.dnsmasqAction;
      if (outcome.pendingCommit) line.pendingCommit = outcome.pendingCommit;
    } else if (outcome.kind === "failed") {
      line.step = outcome.step;
      line.error = outcome.message;
      line.stderr = outcome.stderr;
      line.rolledBack = outcome.rolledBack;
    } else if (outcome.kind === "invalid") {
      line.errors = outcome.errors.length;
    } else if (outcome.kind === "refused") {
      line.code = outcome.code;
    }
    const level =
      outcome.kind === "failed" ? "error" : outcome.kind === "applied" ? "info" : "warn";
    this.log[level](line, "apply");
  }
}

function ms(start: number): number {
  return Math.round((performance.now() - start) * 100) / 100;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function summarizeDrift(d: DriftReport): string {
  const parts = [
    ...d.nft,
    ...d.links.map((op) => `link: ${op.op} ${op.ifname}${"address" in op ? ` ${op.address}` : ""}`),
    ...d.files.map((f) => `file changed: ${f}`),
  ];
  const shown = parts.slice(0, 5).join("; ");
  return parts.length > 5 ? `${shown}; and ${parts.length - 5} more` : shown;
}
