/**
 * The audit trail: one structured log line per mutating call (apply, dry run,
 * confirm, cancel, extend, rollback) and per refused attempt to mutate. Each
 * line says who (actor, how authenticated, from where), what (generation,
 * hash, revision), why (the client's reason) and the outcome.
 */
import type { Logger } from "pino";
import type { ApplyOutcome } from "../runtime/router-runtime.js";
import type { Caller } from "./auth.js";

export type AuditAction = "apply" | "dry-run" | "confirm" | "cancel" | "extend" | "rollback";

export type AuditOutcome = ApplyOutcome["kind"] | "superseded" | "denied" | "error";

export interface AuditEntry {
  action: AuditAction;
  caller: Pick<Caller, "actor" | "via" | "peer">;
  generation?: number;
  hash?: string;
  revision?: number;
  reason?: string;
  outcome: AuditOutcome;
  /** Why it failed or was refused. */
  detail?: string;
}

/** Writes audit entries to `logger` (a child with `component: "audit"`). */
export class AuditLog {
  private readonly log: Logger;

  constructor(logger: Logger) {
    this.log = logger.child({ component: "audit" });
  }

  record(entry: AuditEntry): void {
    const { caller, ...rest } = entry;
    const line = { audit: true, actor: caller.actor, via: caller.via, peer: caller.peer, ...rest };
    const msg = `${entry.action} by ${caller.actor}: ${entry.outcome}`;
    if (entry.outcome === "applied" || entry.outcome === "dry-run") this.log.info(line, msg);
    else this.log.warn(line, msg);
  }

  /** Fills what/outcome from a runtime outcome. */
  recordOutcome(
    action: AuditAction,
    caller: AuditEntry["caller"],
    outcome: ApplyOutcome,
    extra: Pick<AuditEntry, "generation" | "reason"> = {},
  ): void {
    const entry: AuditEntry = { action, caller, outcome: outcome.kind, ...extra };
    if (outcome.kind === "applied") {
      entry.hash = outcome.revision.hash;
      entry.revision = outcome.revision.revision;
      entry.generation ??= outcome.revision.generation;
    } else if (outcome.kind === "invalid") {
      entry.detail = outcome.errors
        .slice(0, 5)
        .map((e) => `${e.path}: ${e.message}`)
        .join("; ");
    } else if (outcome.kind === "failed" || outcome.kind === "refused") {
      entry.detail = outcome.message;
    }
    this.record(entry);
  }
}
