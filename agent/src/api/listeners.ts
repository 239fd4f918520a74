/**
 * Where the API listens and with which transport security.
 *
 * - `unix`: plaintext on a local socket (default `/run/router-agent/agent.sock`),
 *   created with mode 0600; callers are `local` with scope `write`.
 * - `tcp`: TLS with the agent's certificate. `auth: "mtls"` (the default)
 *   makes the TLS layer require a client certificate signed by `tls.clientCa`;
 *   `auth: "token"` accepts any TLS client and checks a bearer token per call.
 *
 * TCP without TLS is refused unless `insecure: true` is set; then the agent
 * logs a warning at every start. `auth: "none"` (no authentication at all) is
 * only allowed on such an explicitly insecure listener.
 */
import { chmodSync, lstatSync, mkdirSync, unlinkSync } from "node:fs";
import { dirname } from "node:path";
import { ServerCredentials } from "@grpc/grpc-js";
import type { AuthMode } from "./auth.js";

export const DEFAULT_SOCKET_PATH = "/run/router-agent/agent.sock";

export interface UnixListener {
  kind: "unix";
  path: string;
}

export interface TlsMaterial {
  /** PEM server certificate (chain). */
  cert: string | Buffer;
  /** PEM private key. */
  key: string | Buffer;
  /** PEM CA that signs client certificates; required for `mtls`. */
  clientCa?: string | Buffer;
}

export interface TcpListener {
  kind: "tcp";
  /** e.g. "192.168.130.2", "0.0.0.0", "::", "127.0.0.1". */
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Absent: plaintext, refused unless `insecure`. */
  tls?: TlsMaterial;
  /** Default "mtls". */
  auth?: "mtls" | "token" | "none";
  insecure?: boolean;
}

export type ListenerConfig = UnixListener | TcpListener;

/** A listener checked for consistency: what to bind and how callers authenticate. */
export interface ListenerPlan {
  /** grpc-js bind address, e.g. "127.0.0.1:0" or "unix:/run/router-agent/agent.sock". */
  bindAddress: string;
  credentials: ServerCredentials;
  auth: AuthMode;
  /** A warning to log at every start (insecure listeners). */
  warning?: string;
  /** Unix socket path, to prepare before and chmod after binding. */
  socketPath?: string;
}

/** Checks one listener. Throws an Error naming the listener when it is unsafe or incomplete. */
export function planListener(listener: ListenerConfig, tokenCount: number): ListenerPlan {
  if (listener.kind === "unix") {
    return {
      bindAddress: `unix:${listener.path}`,
      credentials: ServerCredentials.createInsecure(),
      auth: "local",
      socketPath: listener.path,
    };
  }
  const where = `${listener.host.includes(":") ? `[${listener.host}]` : listener.host}:${listener.port}`;
  const auth = listener.auth ?? "mtls";
  if (auth === "token" && tokenCount === 0) {
    throw new Error(`listener ${where}: auth "token" needs at least one configured token`);
  }
  if (!listener.tls) {
    if (!listener.insecure) {
      throw new Error(
        `refusing to listen on TCP ${where} without TLS; configure tls (cert, key, client CA) or set insecure: true`,
      );
    }
    if (auth === "mtls") {
      throw new Error(`listener ${where}: auth "mtls" needs tls`);
    }
    return {
      bindAddress: where,
      credentials: ServerCredentials.createInsecure(),
      auth,
      warning: `INSECURE: the API listens on ${where} without TLS (auth: ${auth}); anyone on the path can read${auth === "none" ? " and change" : ""} the router's state`,
    };
  }
  if (auth === "none" && !listener.insecure) {
    throw new Error(`listener ${where}: auth "none" is only allowed with insecure: true`);
  }
  if (auth === "mtls" && !listener.tls.clientCa) {
    throw new Error(`listener ${where}: auth "mtls" needs tls.clientCa`);
  }
  const credentials = ServerCredentials.createSsl(
    auth === "mtls" ? toBuffer(listener.tls.clientCa as string | Buffer) : null,
    [{ private_key: toBuffer(listener.tls.key), cert_chain: toBuffer(listener.tls.cert) }],
    auth === "mtls",
  );
  return {
    bindAddress: where,
    credentials,
    auth,
    ...(auth === "none"
      ? {
          warning: `INSECURE: the API on ${where} accepts unauthenticated callers with write scope`,
        }
      : {}),
  };
}

function toBuffer(pem: string | Buffer): Buffer {
  return typeof pem === "string" ? Buffer.from(pem) : pem;
}

/**
 * Makes room for a unix socket: creates its directory (0700 when new) and
 * removes a stale socket left by a previous run. Throws if the path holds
 * something that is not a socket.
 */
export function prepareSocketPath(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    const st = lstatSync(path);
    if (!st.isSocket())
      throw new Error(`${path} exists and is not a socket; refusing to replace it`);
    unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
}

/**
 * Runs `bind` with a umask that creates the socket as 0600, then chmods it to
 * 0600 for certain.
 */
export async function bindWithPrivateMode<T>(path: string, bind: () => Promise<T>): Promise<T> {
  const previous = process.umask(0o177);
  try {
    return await bind();
  } finally {
    process.umask(previous);
    chmodSync(path, 0o600);
  }
}
