/**
 * One Reconcile stream: the agent says `Hello`, then answers each pushed
 * nonce with exactly one `Ack`, and forwards every status change.
 *
 * Pushes are handled one at a time, in arrival order. A non-dry-run
 * `DesiredState` still waiting in the queue when a newer non-dry-run one
 * arrives is answered `Ack{superseded: true}` and never applied; only the
 * trailing run of queued pushes is superseded, so a queued `CommitControl`
 * still acts on the push before it. Dry runs answer a question and are never
 * superseded.
 *
 * Acks are never dropped. Status messages coalesce while the client is slow:
 * only the latest waits for `drain`. When the client half-closes, the queue is
 * drained and the stream ends; when it cancels, queued pushes are discarded
 * (an apply already running completes in the runtime).
 */
import type { ServerDuplexStream } from "@grpc/grpc-js";
import { status as Code } from "@grpc/grpc-js";
import type { Logger } from "pino";
import type { Ack } from "../../../proto/gen/router/v1/Ack.js";
import type { CommitControl__Output } from "../../../proto/gen/router/v1/CommitControl.js";
import type { DesiredState__Output } from "../../../proto/gen/router/v1/DesiredState.js";
import type { ReconcileRequest__Output } from "../../../proto/gen/router/v1/ReconcileRequest.js";
import type { ReconcileResponse } from "../../../proto/gen/router/v1/ReconcileResponse.js";
import type { RouterStatus as WireRouterStatus } from "../../../proto/gen/router/v1/RouterStatus.js";
import type { ApplyOutcome, RouterRuntime, RouterStatus } from "../runtime/router-runtime.js";
import type { AuditAction, AuditLog } from "./audit.js";
import type { Caller } from "./auth.js";
import { statusForOutcome, type WireStatus, withErrorInfo } from "./rpc-status.js";
import { specFromWire } from "./spec-codec.js";
import { msFromDuration, pendingCommitToWire, planToWire, statusToWire } from "./state-codec.js";

export interface ReconcileDeps {
  runtime: RouterRuntime;
  audit: AuditLog;
  logger: Logger;
}

type Call = ServerDuplexStream<ReconcileRequest__Output, ReconcileResponse>;

type Item =
  | { kind: "push"; nonce: string; push: DesiredState__Output }
  | { kind: "control"; nonce: string; control: CommitControl__Output };

/** Serves one Reconcile call for an authorised `caller` until it ends. */
export function serveReconcile(call: Call, caller: Caller, deps: ReconcileDeps): void {
  new ReconcileSession(call, caller, deps).start();
}

class ReconcileSession {
  private readonly queue: Item[] = [];
  private running = false;
  private closed = false;
  private halfClosed = false;
  private waitingDrain = false;
  private pendingStatus: WireRouterStatus | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly call: Call,
    private readonly caller: Caller,
    private readonly deps: ReconcileDeps,
  ) {}

  start(): void {
    const status = this.deps.runtime.status();
    this.write({
      hello: {
        applied_generation: status.appliedGeneration,
        applied_hash: status.appliedHash,
        applied_revision: status.appliedRevision,
        pending_commit: pendingCommitToWire(status.pendingCommit),
      },
    });
    this.sendStatus(status);
    this.unsubscribe = this.deps.runtime.onStatus((s) => this.sendStatus(s));
    this.call.on("data", (req: ReconcileRequest__Output) => this.receive(req));
    this.call.on("end", () => {
      this.halfClosed = true;
      this.maybeEnd();
    });
    for (const event of ["cancelled", "close", "error"] as const) {
      this.call.on(event, () => this.close());
    }
  }

  private receive(req: ReconcileRequest__Output): void {
    if (this.closed) return;
    if (req.desired_state) {
      const push = req.desired_state;
      if (!push.dry_run) this.supersedeQueued();
      this.queue.push({ kind: "push", nonce: push.nonce, push });
    } else if (req.commit_control) {
      this.queue.push({
        kind: "control",
        nonce: req.commit_control.nonce,
        control: req.commit_control,
      });
    } else {
      this.writeAck({
        ...this.appliedNow(),
        nonce: "",
        accepted: false,
        error: {
          code: Code.INVALID_ARGUMENT,
          message: "empty request: set desired_state or commit_control",
        },
      });
      return;
    }
    void this.pump();
  }

  /** Answers the trailing run of queued non-dry-run pushes as superseded. */
  private supersedeQueued(): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const item = this.queue[i];
      if (item?.kind !== "push" || item.push.dry_run) break;
      this.queue.splice(i, 1);
      this.deps.audit.record({
        action: "apply",
        caller: this.caller,
        generation: item.push.generation,
        reason: item.push.reason,
        outcome: "superseded",
      });
      this.writeAck({ ...this.appliedNow(), nonce: item.nonce, accepted: false, superseded: true });
    }
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let item = this.queue.shift(); item && !this.closed; item = this.queue.shift()) {
        const ack = await this.handle(item);
        if (!this.closed) this.writeAck(ack);
      }
    } finally {
      this.running = false;
      this.maybeEnd();
    }
  }

  private async handle(item: Item): Promise<Ack> {
    if (!item.nonce) {
      return {
        ...this.appliedNow(),
        nonce: "",
        accepted: false,
        error: { code: Code.INVALID_ARGUMENT, message: "nonce is required" },
      };
    }
    let action: AuditAction = "apply";
    let generation: number | undefined;
    let reason: string | undefined;
    try {
      let outcome: ApplyOutcome;
      if (item.kind === "push") {
        const p = item.push;
        action = p.dry_run ? "dry-run" : "apply";
        generation = p.generation;
        reason = p.reason;
        const confirmWithinMs = msFromDuration(p.confirm_within);
        outcome = await this.deps.runtime.apply({
          spec: specFromWire(p.spec),
          generation: p.generation,
          dryRun: p.dry_run,
          ...(confirmWithinMs > 0 ? { confirmWithinMs } : {}),
          ...(p.commit_id ? { commitId: p.commit_id } : {}),
          reason: p.reason,
          actor: this.caller.actor,
        });
      } else {
        const c = item.control;
        const commitId = c.commit_id || undefined;
        const runtime = this.deps.runtime;
        switch (c.action) {
          case "CONFIRM":
            action = "confirm";
            outcome = await runtime.confirm(this.caller.actor, commitId);
            break;
          case "CANCEL":
            action = "cancel";
            outcome = await runtime.cancel(this.caller.actor, commitId);
            break;
          case "EXTEND": {
            action = "extend";
            const ms = msFromDuration(c.extend_by);
            if (ms <= 0)
              return this.reject(item.nonce, "commit_control.extend_by must be positive");
            outcome = await runtime.extend(this.caller.actor, ms, commitId);
            break;
          }
          default:
            return this.reject(
              item.nonce,
              "commit_control.action must be CONFIRM, CANCEL or EXTEND",
            );
        }
      }
      this.deps.audit.recordOutcome(action, this.caller, outcome, {
        ...(generation !== undefined ? { generation } : {}),
        ...(reason ? { reason } : {}),
      });
      return this.ackFor(item.nonce, outcome);
    } catch (err) {
      // The runtime promises never to throw; if it does, the stream survives.
      const message = err instanceof Error ? err.message : String(err);
      this.deps.logger.error({ err, nonce: item.nonce }, "runtime threw during reconcile");
      this.deps.audit.record({ action, caller: this.caller, outcome: "error", detail: message });
      return {
        ...this.appliedNow(),
        nonce: item.nonce,
        accepted: false,
        error: withErrorInfo(Code.INTERNAL, `internal error: ${message}`, "INTERNAL"),
      };
    }
  }

  private reject(nonce: string, message: string): Ack {
    return {
      ...this.appliedNow(),
      nonce,
      accepted: false,
      error: { code: Code.INVALID_ARGUMENT, message },
    };
  }

  private ackFor(nonce: string, outcome: ApplyOutcome): Ack {
    const now = this.deps.runtime.status();
    const error: WireStatus | undefined = statusForOutcome(outcome);
    const ack: Ack = {
      ...this.appliedNow(),
      nonce,
      accepted: error === undefined,
      pending_commit: pendingCommitToWire(now.pendingCommit),
    };
    if (error) ack.error = error;
    if (outcome.kind === "applied") {
      ack.applied_generation = outcome.revision.generation;
      ack.applied_hash = outcome.revision.hash;
      ack.applied_revision = outcome.revision.revision;
      ack.plan = planToWire(outcome.plan);
      if (outcome.pendingCommit) ack.pending_commit = pendingCommitToWire(outcome.pendingCommit);
    } else if (outcome.kind === "dry-run") {
      ack.plan = planToWire(outcome.plan);
    }
    return ack;
  }

  /** The applied_* fields of what runs now. */
  private appliedNow(): Pick<Ack, "applied_generation" | "applied_hash" | "applied_revision"> {
    const s = this.deps.runtime.status();
    return {
      applied_generation: s.appliedGeneration,
      applied_hash: s.appliedHash,
      applied_revision: s.appliedRevision,
    };
  }

  private writeAck(ack: Ack): void {
    this.write({ ack });
  }

  private sendStatus(status: RouterStatus): void {
    if (this.closed) return;
    if (this.waitingDrain) {
      this.pendingStatus = statusToWire(status);
      return;
    }
    this.write({ status: statusToWire(status) });
  }

  private write(message: ReconcileResponse): void {
    if (this.closed) return;
    if (!this.call.write(message) && !this.waitingDrain) {
      this.waitingDrain = true;
      this.call.once("drain", () => {
        this.waitingDrain = false;
        const pending = this.pendingStatus;
        this.pendingStatus = undefined;
        if (pending) this.write({ status: pending });
      });
    }
  }

  private maybeEnd(): void {
    if (this.closed || !this.halfClosed || this.running || this.queue.length > 0) return;
    this.close();
    this.call.end();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.unsubscribe?.();
  }
}
