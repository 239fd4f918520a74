/**
 * Who is calling and what they may do.
 *
 * Two scopes: `read` (GetState, History, Subscribe) and `write` (Reconcile,
 * Rollback, and everything `read` allows). A caller is authenticated by its
 * listener's mode:
 *
 * - `mtls`: the TLS layer has already verified the client certificate against
 *   the configured CA. The scope comes from the certificate subject's
 *   organizational unit: `OU=write` or `OU=read` (`routerctl pki issue
 *   --scope` sets it). A certificate without either gets no scope, so the
 *   agent's own server certificate cannot be used as a client credential. The
 *   actor is the subject's CN.
 * - `token`: `authorization: Bearer <token>` metadata; the token's sha256 is
 *   compared, in constant time, with the configured ones. The actor is the
 *   token's name.
 * - `local`: the unix socket (mode 0600, so only its owner can connect);
 *   actor `local`, scope `write`.
 * - `none`: an explicitly insecure TCP listener without authentication (labs
 *   only); actor `anonymous`, scope `write`.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { status as Code, type Metadata, type ServerUnaryCall } from "@grpc/grpc-js";

type AuthContext = ReturnType<ServerUnaryCall<unknown, unknown>["getAuthContext"]>;

export type Scope = "read" | "write";
export type AuthMode = "mtls" | "token" | "local" | "none";

/** A bearer token the agent accepts, stored as its sha256 (hex). */
export interface TokenCredential {
  name: string;
  scope: Scope;
  sha256: string;
}

/** An authenticated caller. */
export interface Caller {
  /** Certificate CN, token name, `local` or `anonymous`: logged and stored in History. */
  actor: string;
  /** undefined: authenticated but allowed nothing. */
  scope: Scope | undefined;
  via: AuthMode;
  /** The peer address, for the audit log. */
  peer: string;
}

export type AuthResult =
  | { ok: true; caller: Caller }
  | { ok: false; code: Code.UNAUTHENTICATED | Code.PERMISSION_DENIED; message: string };

/** The scope each RouterAgent method needs. */
export const METHOD_SCOPES = {
  Reconcile: "write",
  Rollback: "write",
  GetState: "read",
  History: "read",
  Subscribe: "read",
} as const satisfies Record<string, Scope>;

export type MethodName = keyof typeof METHOD_SCOPES;

/** The sha256 hex a `TokenCredential` stores for `token`. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** The scope named by a certificate subject's OU (`write` wins over `read`). */
export function scopeFromSubject(
  subject: { OU?: string | string[] } | undefined,
): Scope | undefined {
  const units = subject?.OU === undefined ? [] : [subject.OU].flat();
  if (units.includes("write")) return "write";
  if (units.includes("read")) return "read";
  return undefined;
}

/** What a grpc-js server call offers for authentication. */
export interface CallIdentity {
  getAuthContext(): AuthContext;
  getPeer(): string;
  metadata: Metadata;
}

/** Authenticates calls arriving on one listener. */
export class Authenticator {
  private readonly tokens: Array<{ name: string; scope: Scope; digest: Buffer }>;

  constructor(
    readonly mode: AuthMode,
    tokens: readonly TokenCredential[] = [],
  ) {
    this.tokens = tokens.map((t) => ({
      name: t.name,
      scope: t.scope,
      digest: Buffer.from(t.sha256.toLowerCase(), "hex"),
    }));
  }

  /** The caller, or why it is refused; then checks `method`'s scope. */
  authorize(call: CallIdentity, method: MethodName): AuthResult {
    const who = this.authenticate(call);
    if (!who.ok) return who;
    const needed = METHOD_SCOPES[method];
    const scope = who.caller.scope;
    if (scope === "write" || scope === needed) return who;
    return {
      ok: false,
      code: Code.PERMISSION_DENIED,
      message: `${who.caller.actor} has ${scope ? `scope ${scope}` : "no scope"}; ${method} needs ${needed}`,
    };
  }

  /** The caller, or UNAUTHENTICATED. */
  authenticate(call: CallIdentity): AuthResult {
    const peer = safePeer(call);
    switch (this.mode) {
      case "local":
        return { ok: true, caller: { actor: "local", scope: "write", via: "local", peer } };
      case "none":
        return { ok: true, caller: { actor: "anonymous", scope: "write", via: "none", peer } };
      case "mtls": {
        const cert = call.getAuthContext()?.sslPeerCertificate;
        if (!cert) {
          return {
            ok: false,
            code: Code.UNAUTHENTICATED,
            message: "a client certificate is required",
          };
        }
        const subject = cert.subject as
          | { CN?: string | string[]; OU?: string | string[] }
          | undefined;
        const cn = [subject?.CN ?? "unknown"].flat()[0] ?? "unknown";
        return {
          ok: true,
          caller: { actor: cn, scope: scopeFromSubject(subject), via: "mtls", peer },
        };
      }
      case "token": {
        const header = call.metadata.get("authorization")[0];
        const match = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
        if (!match?.[1]) {
          return { ok: false, code: Code.UNAUTHENTICATED, message: "a bearer token is required" };
        }
        const digest = createHash("sha256").update(match[1], "utf8").digest();
        // Compare against every token so timing does not reveal which one matched.
        let found: { name: string; scope: Scope } | undefined;
        for (const t of this.tokens) {
          if (t.digest.length === digest.length && timingSafeEqual(t.digest, digest)) found ??= t;
        }
        if (!found)
          return { ok: false, code: Code.UNAUTHENTICATED, message: "unknown bearer token" };
        return { ok: true, caller: { actor: found.name, scope: found.scope, via: "token", peer } };
      }
    }
  }
}

function safePeer(call: CallIdentity): string {
  try {
    return call.getPeer();
  } catch {
    return "unknown";
  }
}
