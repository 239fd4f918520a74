/**
 * What every command that talks to an agent shares: the connection flags and
 * their environment fallbacks, building a `RouterClient`, and turning errors
 * into messages and exit codes.
 *
 *   --target    ROUTERCTL_TARGET   host:port or unix:///run/router-agent/agent.sock
 *   --ca        ROUTERCTL_CA       PEM CA of the agent's certificate
 *   --cert      ROUTERCTL_CERT     PEM client certificate (mTLS)
 *   --key       ROUTERCTL_KEY      PEM client key (mTLS)
 *   --token-file ROUTERCTL_TOKEN_FILE, or ROUTERCTL_TOKEN: a bearer token
 *   --server-name ROUTERCTL_SERVER_NAME  TLS name to verify instead of the host
 *   --insecure  ROUTERCTL_INSECURE=1  plaintext TCP (agents configured insecure)
 *
 * Exit codes (docs/api.md): 0 ok, 1 rejected or failed, 2 usage, 3
 * unreachable, 4 TLS or auth failure.
 */
import { readFileSync } from "node:fs";
import type { Command, CommanderError } from "commander";
import { EXIT_CODES, RouterClientError } from "../client-errors.js";
import { RouterClient } from "../router-client.js";
import { parseDuration } from "./duration.js";
import { printJson } from "./output.js";

// grpc-js sends an IP target as the TLS server name, and Node then warns
// (DEP0123) on every connection. The user can do nothing about it.
process.noDeprecation = true;

export interface RemoteOptions {
  target?: string;
  ca?: string;
  cert?: string;
  key?: string;
  tokenFile?: string;
  serverName?: string;
  insecure?: boolean;
  timeout: string;
  json?: boolean;
}

/** Adds the connection flags, `--json`, and usage errors exiting 2. */
export function remote(command: Command): Command {
  command
    .option("--target <addr>", "agent address: host:port or unix:///path (env ROUTERCTL_TARGET)")
    .option("--ca <file>", "PEM CA that signed the agent's certificate (env ROUTERCTL_CA)")
    .option("--cert <file>", "PEM client certificate for mTLS (env ROUTERCTL_CERT)")
    .option("--key <file>", "PEM client key for mTLS (env ROUTERCTL_KEY)")
    .option(
      "--token-file <file>",
      "file holding a bearer token (env ROUTERCTL_TOKEN_FILE or ROUTERCTL_TOKEN)",
    )
    .option(
      "--server-name <name>",
      "TLS name to verify instead of the target host (env ROUTERCTL_SERVER_NAME)",
    )
    .option(
      "--insecure",
      "plaintext TCP, for agents configured insecure (env ROUTERCTL_INSECURE=1)",
    )
    .option("--timeout <duration>", "deadline for connecting and unary calls", "10s")
    .option("--json", "machine-readable output");
  command.exitOverride((error: CommanderError) => {
    process.exit(error.exitCode === 0 ? 0 : EXIT_CODES.usage);
  });
  return command;
}

function readPem(flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new RouterClientError(
      "usage",
      `${flag} ${path}: cannot read: ${why}`,
      undefined,
      undefined,
      {
        cause: err,
      },
    );
  }
}

/** A client from flags, falling back to the environment. Throws usage errors. */
export function connect(opts: RemoteOptions, env = process.env): RouterClient {
  const target = opts.target ?? env.ROUTERCTL_TARGET;
  if (!target) {
    throw new RouterClientError("usage", "no agent: pass --target or set ROUTERCTL_TARGET");
  }
  const ca = opts.ca ?? env.ROUTERCTL_CA;
  const cert = opts.cert ?? env.ROUTERCTL_CERT;
  const key = opts.key ?? env.ROUTERCTL_KEY;
  const tokenFile = opts.tokenFile ?? env.ROUTERCTL_TOKEN_FILE;
  const token = tokenFile
    ? readPem("--token-file", tokenFile).toString("utf8").trim()
    : env.ROUTERCTL_TOKEN;
  const serverName = opts.serverName ?? env.ROUTERCTL_SERVER_NAME;
  let timeoutMs: number;
  try {
    timeoutMs = parseDuration(opts.timeout);
  } catch (err) {
    throw new RouterClientError("usage", `--timeout: ${(err as Error).message}`);
  }
  return new RouterClient({
    target,
    ...(ca ? { ca: readPem("--ca", ca) } : {}),
    ...(cert ? { cert: readPem("--cert", cert) } : {}),
    ...(key ? { key: readPem("--key", key) } : {}),
    ...(token ? { token } : {}),
    ...(serverName ? { serverName } : {}),
    insecure: opts.insecure ?? env.ROUTERCTL_INSECURE === "1",
    timeoutMs,
  });
}

/**
 * Runs `fn` with a connected client and sets the exit code: `fn`'s own
 * result, or the code of the error it threw (printed to stderr, or as
 * `{"error": ...}` with --json).
 */
export async function runRemote(
  opts: RemoteOptions,
  fn: (client: RouterClient) => Promise<number>,
): Promise<void> {
  let client: RouterClient | undefined;
  try {
    client = connect(opts);
    process.exitCode = await fn(client);
  } catch (err) {
    process.exitCode = reportError(err, opts.json ?? false);
  } finally {
    client?.close();
  }
}

/** Prints an error; returns its exit code. */
export function reportError(err: unknown, json: boolean): number {
  const e =
    err instanceof RouterClientError
      ? err
      : new RouterClientError("rejected", err instanceof Error ? err.message : String(err));
  if (json) {
    printJson({
      error: {
        kind: e.kind,
        message: e.message,
        ...(e.grpcCode !== undefined ? { grpc_code: e.grpcCode } : {}),
        ...(e.status?.fieldViolations.length ? { field_violations: e.status.fieldViolations } : {}),
        ...(e.status?.errorInfo ? { error_info: e.status.errorInfo } : {}),
      },
    });
  } else {
    process.stderr.write(`routerctl: ${e.message}\n`);
  }
  return EXIT_CODES[e.kind];
}
