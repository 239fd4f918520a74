/**
 * An in-memory RouterRuntime for API and CLI tests: it keeps revisions, a
 * pending commit and conditions like the real one, validates with a tiny
 * stand-in check (`wan.interface` required, `lans[i].address` needs a
 * prefix), and can be held mid-apply (`hold()`) to test queueing.
 */
import { createHash } from "node:crypto";
import type { FieldError, RouterSpec } from "../../../agent/src/model/types.js";
import type {
  ApplyOutcome,
  ApplyRequest,
  Condition,
  PendingCommit,
  Plan,
  Revision,
  RouterRuntime,
  RouterStatus,
} from "../../../agent/src/runtime/router-runtime.js";

export interface FakeCall {
  kind: "apply" | "confirm" | "cancel" | "extend" | "rollback";
  actor: string;
  generation?: number;
  dryRun?: boolean;
  reason?: string;
  ms?: number;
  revision?: number;
}

function stand_inValidate(spec: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const s = (spec ?? {}) as { wan?: { interface?: unknown }; lans?: Array<{ address?: unknown }> };
  if (typeof s.wan?.interface !== "string")
    errors.push({ path: "wan.interface", message: "required" });
  (s.lans ?? []).forEach((lan, i) => {
    if (typeof lan.address !== "string" || !lan.address.includes("/")) {
      errors.push({
        path: `lans[${i}].address`,
        message: `${JSON.stringify(lan.address)} needs a prefix`,
      });
    }
  });
  return errors;
}

export class FakeRuntime implements RouterRuntime {
  readonly calls: FakeCall[] = [];
  /** Set to make the next apply a NACK with these errors (as if the agent's validator said so). */
  nackNext: FieldError[] | undefined;
  /** Set to make the next apply fail at this step. */
  failNextAt: "nft" | "dnsmasq" | undefined;
  private readonly revisions: Revision[] = [];
  private applied: Revision | undefined;
  private pending: PendingCommit | undefined;
  private readonly listeners = new Set<(s: RouterStatus) => void>();
  private gate: Promise<void> | undefined;
  private readonly startedAt = new Date().toISOString();
  private conditions: Condition[] = [];

  /** Blocks every apply until the returned function is called. */
  hold(): () => void {
    let release = () => {};
    this.gate = new Promise<void>((resolve) => {
      release = () => {
        this.gate = undefined;
        resolve();
      };
    });
    return release;
  }

  async apply(req: ApplyRequest): Promise<ApplyOutcome> {
    this.calls.push({
      kind: "apply",
      actor: req.actor,
      generation: req.generation,
      dryRun: req.dryRun,
      reason: req.reason,
    });
    if (this.gate) await this.gate;
    const errors = this.nackNext ?? stand_inValidate(req.spec);
    this.nackNext = undefined;
    if (errors.length > 0) return { kind: "invalid", errors };
    const hash = hashOf(req.spec);
    const plan = this.planFor(hash);
    if (req.dryRun) return { kind: "dry-run", plan };
    if (this.pending && req.commitId !== this.pending.commitId) {
      return {
        kind: "refused",
        code: "commit-pending",
        message: `commit ${this.pending.commitId} is pending`,
      };
    }
    if (this.failNextAt) {
      const step = this.failNextAt;
      this.failNextAt = undefined;
      return {
        kind: "failed",
        step,
        message: "exit status 1",
        stderr: "Error: boom",
        rolledBack: true,
      };
    }
    const previous = this.applied?.revision ?? 0;
    const revision = this.record(
      req.spec as RouterSpec,
      hash,
      req.generation,
      req.actor,
      req.reason,
    );
    let pendingCommit: PendingCommit | undefined;
    if (req.confirmWithinMs) {
      pendingCommit = {
        commitId: `c${revision.revision}`,
        deadline: new Date(Date.now() + req.confirmWithinMs).toISOString(),
        rollbackTo: previous,
      };
      this.pending = pendingCommit;
    }
    this.setConditions(req.generation);
    return {
      kind: "applied",
      revision,
      plan,
      timings: { nft: 1 },
      ...(pendingCommit ? { pendingCommit } : {}),
    };
  }

  async confirm(actor: string, commitId?: string): Promise<ApplyOutcome> {
    this.calls.push({ kind: "confirm", actor });
    const refusal = this.checkPending(commitId);
    if (refusal) return refusal;
    this.pending = undefined;
    this.setConditions(this.applied?.generation ?? 0);
    return this.appliedOutcome();
  }

  async cancel(actor: string, commitId?: string): Promise<ApplyOutcome> {
    this.calls.push({ kind: "cancel", actor });
    const refusal = this.checkPending(commitId);
    if (refusal) return refusal;
    const target = this.revisions.find((r) => r.revision === this.pending?.rollbackTo);
    this.pending = undefined;
    if (target) this.record(target.spec, target.hash, target.generation, actor, "commit cancelled");
    this.setConditions(this.applied?.generation ?? 0);
    return this.appliedOutcome();
  }

  async extend(actor: string, ms: number, commitId?: string): Promise<ApplyOutcome> {
    this.calls.push({ kind: "extend", actor, ms });
    const refusal = this.checkPending(commitId);
    if (refusal) return refusal;
    if (this.pending)
      this.pending = { ...this.pending, deadline: new Date(Date.now() + ms).toISOString() };
    this.emit();
    return this.appliedOutcome();
  }

  async rollback(revision: number, actor: string, reason: string): Promise<ApplyOutcome> {
    this.calls.push({ kind: "rollback", actor, revision, reason });
    if (this.pending) {
      return { kind: "refused", code: "commit-pending", message: "a commit is pending" };
    }
    const target = this.revisions.find((r) => r.revision === revision);
    if (!target)
      return { kind: "refused", code: "no-such-revision", message: `no revision ${revision}` };
    const plan = this.planFor(target.hash);
    this.record(target.spec, target.hash, target.generation, actor, reason);
    this.setConditions(target.generation);
    return { kind: "applied", revision: this.applied as Revision, plan, timings: {} };
  }

  status(): RouterStatus {
    const a = this.applied;
    return {
      appliedRevision: a?.revision ?? 0,
      appliedGeneration: a?.generation ?? 0,
      appliedHash: a?.hash ?? "",
      conditions: this.conditions,
      ...(this.pending ? { pendingCommit: this.pending } : {}),
      dnsmasq: a ? { running: true, pid: 4242, restarts: 0 } : { running: false, restarts: 0 },
      startedAt: this.startedAt,
    };
  }

  history(): Revision[] {
    return [...this.revisions].reverse();
  }

  onStatus(listener: (status: RouterStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Number of status listeners: the API must remove its own. */
  get statusListeners(): number {
    return this.listeners.size;
  }

  private record(
    spec: RouterSpec,
    hash: string,
    generation: number,
    actor: string,
    reason: string,
  ) {
    const revision: Revision = {
      revision: this.revisions.length + 1,
      hash,
      generation,
      appliedAt: new Date().toISOString(),
      actor,
      reason,
      spec,
    };
    this.revisions.push(revision);
    this.applied = revision;
    return revision;
  }

  private planFor(hash: string): Plan {
    const noop = hash === this.applied?.hash;
    return {
      nftDiff: noop
        ? ""
        : `--- live\n+++ desired\n+table inet router_agent # ${hash.slice(0, 8)}\n`,
      dnsmasqDiff: noop ? "" : "+interface=ens7\n",
      linkOps: noop ? [] : [{ op: "addr-add", ifname: "ens7", address: "10.88.0.1/24" }],
      dnsmasqAction: noop ? "none" : "restart",
      noop,
    };
  }

  private checkPending(commitId?: string): ApplyOutcome | undefined {
    if (!this.pending || (commitId && commitId !== this.pending.commitId)) {
      return { kind: "refused", code: "no-pending-commit", message: "no pending commit" };
    }
    return undefined;
  }

  private appliedOutcome(): ApplyOutcome {
    const revision = this.applied as Revision;
    return { kind: "applied", revision, plan: this.planFor(revision.hash), timings: {} };
  }

  private setConditions(generation: number): void {
    const now = new Date().toISOString();
    this.conditions = [
      {
        type: "Ready",
        status: true,
        reason: "Applied",
        message: "",
        observedGeneration: generation,
        lastTransitionTime: now,
      },
      {
        type: "AwaitingConfirm",
        status: this.pending !== undefined,
        reason: this.pending ? "CommitPending" : "NoCommit",
        message: "",
        observedGeneration: generation,
        lastTransitionTime: now,
      },
    ];
    this.emit();
  }

  private emit(): void {
    const s = this.status();
    for (const listener of [...this.listeners]) listener(s);
  }
}

export function hashOf(spec: unknown): string {
  return createHash("sha256").update(JSON.stringify(spec)).digest("hex");
}
