/**
 * Errors as `google.rpc.Status`: the code, a message and typed details
 * (`google.rpc.BadRequest` for field violations, `google.rpc.ErrorInfo` for
 * why an apply failed or was refused). Used inside `Ack.error` on the
 * Reconcile stream and, encoded, in the `grpc-status-details-bin` trailer of
 * failed unary calls. The client side decodes the same shapes back.
 */
import { status as Code, Metadata } from "@grpc/grpc-js";
import type { Any__Output as WireAny } from "../../../proto/gen/google/protobuf/Any.js";
import type { Status as WireStatus } from "../../../proto/gen/google/rpc/Status.js";
import type { FieldError } from "../model/types.js";
import type { ApplyOutcome } from "../runtime/router-runtime.js";
import { routerProto } from "./proto-loader.js";

export type { WireStatus };

/** The `ErrorInfo.domain` of every error the agent raises. */
export const ERROR_DOMAIN = "router-agent";

const TYPE_PREFIX = "type.googleapis.com/";

/** The trailer key gRPC uses for a serialized `google.rpc.Status`. */
export const STATUS_DETAILS_KEY = "grpc-status-details-bin";

export interface ErrorInfo {
  reason: string;
  domain: string;
  metadata: Record<string, string>;
}

/** What a client gets back out of a `google.rpc.Status`. */
export interface DecodedStatus {
  code: number;
  message: string;
  fieldViolations: FieldError[];
  errorInfo?: ErrorInfo;
}

function packAny(typeName: string, value: object): { type_url: string; value: Buffer } {
  const type = routerProto().root.lookupType(typeName);
  const bytes = type.encode(type.fromObject(value)).finish();
  return { type_url: `${TYPE_PREFIX}${typeName}`, value: Buffer.from(bytes) };
}

/** INVALID_ARGUMENT with one `BadRequest.FieldViolation` per error. */
export function invalidArgument(errors: FieldError[]): WireStatus {
  const first = errors[0];
  const summary = first ? `${first.path}: ${first.message}` : "invalid request";
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
  return {
    code: Code.INVALID_ARGUMENT,
    message: `invalid desired state: ${summary}${more}`,
    details: [
      packAny("google.rpc.BadRequest", {
        field_violations: errors.map((e) => ({ field: e.path, description: e.message })),
      }),
    ],
  };
}

/** Any code with an `ErrorInfo` detail. */
export function withErrorInfo(
  code: Code,
  message: string,
  reason: string,
  metadata: Record<string, string> = {},
): WireStatus {
  return {
    code,
    message,
    details: [packAny("google.rpc.ErrorInfo", { reason, domain: ERROR_DOMAIN, metadata })],
  };
}

const REFUSAL_CODES = {
  "commit-pending": Code.FAILED_PRECONDITION,
  "no-pending-commit": Code.FAILED_PRECONDITION,
  "no-such-revision": Code.NOT_FOUND,
} as const;

/** The error of an outcome that changed nothing or failed; undefined for success. */
export function statusForOutcome(outcome: ApplyOutcome): WireStatus | undefined {
  switch (outcome.kind) {
    case "applied":
    case "dry-run":
      return undefined;
    case "invalid":
      return invalidArgument(outcome.errors);
    case "failed": {
      const metadata: Record<string, string> = {
        step: outcome.step,
        rolled_back: String(outcome.rolledBack),
      };
      if (outcome.stderr) metadata.stderr = outcome.stderr;
      const tail = outcome.rolledBack ? "; rolled back to the last good state" : "";
      return withErrorInfo(
        Code.ABORTED,
        `apply failed at ${outcome.step}: ${outcome.message}${tail}`,
        "APPLY_FAILED",
        metadata,
      );
    }
    case "refused":
      return withErrorInfo(
        REFUSAL_CODES[outcome.code],
        outcome.message,
        outcome.code.toUpperCase().replaceAll("-", "_"),
      );
  }
}

/** A serialized `google.rpc.Status`, for the `grpc-status-details-bin` trailer. */
export function encodeStatus(status: WireStatus): Buffer {
  const type = routerProto().root.lookupType("google.rpc.Status");
  return Buffer.from(type.encode(type.fromObject(status)).finish());
}

/** A grpc-js service error carrying `status` in its trailer. */
export function serviceError(status: WireStatus): {
  code: number;
  details: string;
  metadata: Metadata;
} {
  const metadata = new Metadata();
  metadata.set(STATUS_DETAILS_KEY, encodeStatus(status));
  return { code: status.code ?? Code.UNKNOWN, details: status.message ?? "", metadata };
}

/** Field violations and error info out of a decoded `google.rpc.Status`. */
export function decodeStatus(status: {
  code?: number;
  message?: string;
  details?: Array<Pick<WireAny, "type_url" | "value">> | null;
}): DecodedStatus {
  const out: DecodedStatus = {
    code: status.code ?? Code.UNKNOWN,
    message: status.message ?? "",
    fieldViolations: [],
  };
  const root = routerProto().root;
  for (const any of status.details ?? []) {
    if (!any.type_url.startsWith(TYPE_PREFIX)) continue;
    const typeName = any.type_url.slice(TYPE_PREFIX.length);
    try {
      if (typeName === "google.rpc.BadRequest") {
        const decoded = root
          .lookupType(typeName)
          .toObject(root.lookupType(typeName).decode(any.value), {
            defaults: true,
          }) as { field_violations: Array<{ field: string; description: string }> };
        for (const v of decoded.field_violations) {
          out.fieldViolations.push({ path: v.field, message: v.description });
        }
      } else if (typeName === "google.rpc.ErrorInfo") {
        out.errorInfo = root
          .lookupType(typeName)
          .toObject(root.lookupType(typeName).decode(any.value), { defaults: true }) as ErrorInfo;
      }
    } catch {
      // A detail we cannot decode is skipped; the code and message still stand.
    }
  }
  return out;
}

/** The `google.rpc.Status` in a failed call's trailer, if any. */
export function decodeStatusTrailer(metadata: Metadata | undefined): DecodedStatus | undefined {
  const raw = metadata?.get(STATUS_DETAILS_KEY)[0];
  if (!(raw instanceof Buffer)) return undefined;
  try {
    const type = routerProto().root.lookupType("google.rpc.Status");
    return decodeStatus(
      type.toObject(type.decode(raw), { defaults: true }) as Parameters<typeof decodeStatus>[0],
    );
  } catch {
    return undefined;
  }
}
