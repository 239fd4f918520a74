/**
 * What can go wrong talking to the agent, sorted into the few kinds a user
 * acts on differently. `routerctl` maps them to exit codes (docs/api.md):
 * rejected 1, usage 2, unreachable 3, auth 4.
 */
import { status as Code, type ServiceError } from "@grpc/grpc-js";
import { type DecodedStatus, decodeStatusTrailer } from "../../agent/src/api/rpc-status.js";

export type ClientErrorKind =
  /** The agent refused or failed the request (NACK, NOT_FOUND, ...). */
  | "rejected"
  /** Bad input on our side: flags, files, config. */
  | "usage"
  /** No connection: down, wrong address, timeout. */
  | "unreachable"
  /** TLS handshake or credential failure, or a missing scope. */
  | "auth";

export const EXIT_CODES: Record<ClientErrorKind, number> = {
  rejected: 1,
  usage: 2,
  unreachable: 3,
  auth: 4,
};

export class RouterClientError extends Error {
  constructor(
    readonly kind: ClientErrorKind,
    message: string,
    readonly grpcCode?: number,
    /** The agent's `google.rpc.Status`, when it sent one. */
    readonly status?: DecodedStatus,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "RouterClientError";
  }
}

const TLS_HINT = /certificate|ssl|tls|handshake|alert|self.signed|altname|unable to (get|verify)/i;

/** Sorts a failed gRPC call into a `RouterClientError` with a clear message. */
export function fromServiceError(err: ServiceError, target: string): RouterClientError {
  const status = decodeStatusTrailer(err.metadata);
  const details = err.details || err.message;
  switch (err.code) {
    case Code.UNAVAILABLE:
      if (TLS_HINT.test(details)) {
        return new RouterClientError(
          "auth",
          `TLS handshake with ${target} failed: ${details}`,
          err.code,
          status,
          {
            cause: err,
          },
        );
      }
      return new RouterClientError(
        "unreachable",
        `cannot reach the agent at ${target}: ${details}`,
        err.code,
        status,
        {
          cause: err,
        },
      );
    case Code.DEADLINE_EXCEEDED:
      return new RouterClientError(
        "unreachable",
        `the agent at ${target} did not answer in time`,
        err.code,
        status,
        {
          cause: err,
        },
      );
    case Code.UNAUTHENTICATED:
      return new RouterClientError("auth", `not authenticated: ${details}`, err.code, status, {
        cause: err,
      });
    case Code.PERMISSION_DENIED:
      return new RouterClientError("auth", `permission denied: ${details}`, err.code, status, {
        cause: err,
      });
    default:
      return new RouterClientError("rejected", details, err.code, status, { cause: err });
  }
}
