/**
 * The unary RPCs: GetState, History and Rollback. Each translates the request
 * into one runtime call and the result into the response; failures become a
 * gRPC status with a `google.rpc.Status` in the `grpc-status-details-bin`
 * trailer.
 */
import { status as Code } from "@grpc/grpc-js";
import type { GetStateResponse } from "../../../proto/gen/router/v1/GetStateResponse.js";
import type { HistoryRequest__Output } from "../../../proto/gen/router/v1/HistoryRequest.js";
import type { HistoryResponse } from "../../../proto/gen/router/v1/HistoryResponse.js";
import type { RollbackRequest__Output } from "../../../proto/gen/router/v1/RollbackRequest.js";
import type { RollbackResponse } from "../../../proto/gen/router/v1/RollbackResponse.js";
import type { RouterRuntime } from "../runtime/router-runtime.js";
import type { SystemInfoSource } from "../runtime/system-info.js";
import type { AuditLog } from "./audit.js";
import type { Caller } from "./auth.js";
import { serviceError, statusForOutcome, withErrorInfo } from "./rpc-status.js";
import { specToWire } from "./spec-codec.js";
import { planToWire, revisionToWire, statusToWire, systemInfoToWire } from "./state-codec.js";

export type UnaryResult<T> =
  | { ok: true; value: T }
  | { ok: false; error: ReturnType<typeof serviceError> };

/** The applied status and spec, plus the guest's facts when a source is given and answers. */
export async function getState(
  runtime: RouterRuntime,
  system?: SystemInfoSource,
): Promise<GetStateResponse> {
  const status = runtime.status();
  const applied = runtime.history().find((r) => r.revision === status.appliedRevision);
  const spec = applied ? specToWire(applied.spec) : undefined;
  const facts = await system?.read();
  return {
    status: statusToWire(status),
    spec: spec?.ok ? spec.value : null,
    system: facts ? systemInfoToWire(facts) : null,
  };
}

export function history(runtime: RouterRuntime, req: HistoryRequest__Output): HistoryResponse {
  const all = runtime.history();
  const revisions = req.limit > 0 ? all.slice(0, req.limit) : all;
  return { revisions: revisions.map((r) => revisionToWire(r, req.include_specs)) };
}

/**
 * Re-applies a stored revision. Revision 0 means the one applied before the
 * current one: the entry after the applied revision in the newest-first
 * history.
 */
export async function rollback(
  runtime: RouterRuntime,
  audit: AuditLog,
  caller: Caller,
  req: RollbackRequest__Output,
): Promise<UnaryResult<RollbackResponse>> {
  let target = req.revision;
  if (target === 0) {
    const all = runtime.history();
    const current = all.findIndex((r) => r.revision === runtime.status().appliedRevision);
    const previous = current >= 0 ? all[current + 1] : undefined;
    if (!previous) {
      audit.record({
        action: "rollback",
        caller,
        reason: req.reason,
        outcome: "refused",
        detail: "no earlier revision",
      });
      return {
        ok: false,
        error: serviceError(
          withErrorInfo(Code.NOT_FOUND, "no earlier revision to roll back to", "NO_SUCH_REVISION"),
        ),
      };
    }
    target = previous.revision;
  }
  const outcome = await runtime.rollback(target, caller.actor, req.reason);
  audit.recordOutcome("rollback", caller, outcome, { reason: req.reason });
  const failure = statusForOutcome(outcome);
  if (failure) return { ok: false, error: serviceError(failure) };
  if (outcome.kind !== "applied") {
    return {
      ok: false,
      error: serviceError(
        withErrorInfo(Code.INTERNAL, `unexpected outcome ${outcome.kind}`, "INTERNAL"),
      ),
    };
  }
  return {
    ok: true,
    value: {
      applied_revision: outcome.revision.revision,
      applied_generation: outcome.revision.generation,
      applied_hash: outcome.revision.hash,
      plan: planToWire(outcome.plan),
    },
  };
}
