/**
 * The one seam through which the agent runs commands (nft, ip, dnsmasq,
 * systemd-notify). Everything that touches the system through a program goes
 * through an `Exec`, so tests swap in `FakeExec` and integration tests prefix
 * every command with `ip netns exec <ns>`.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, openSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface ExecOptions {
  /**
   * The command's stdin. `RealExec` hands it over as a regular (already
   * unlinked) file rather than a socket: `nft -f -` opens /dev/stdin by
   * path, which fails on the sockets Node uses for pipes.
   */
  input?: string;
  /** Kill the command (SIGKILL) after this many ms and fail. Default 30 000. */
  timeoutMs?: number;
}

export interface ExecResult {
  /** Exit code; a command killed by a signal reports 128 + signal number. */
  code: number;
  stdout: string;
  stderr: string;
}

export interface Exec {
  /**
   * Runs `cmd` with `args` (no shell). Resolves with the exit code and output
   * whatever the exit code; rejects with an `ExecError` only when the command
   * cannot be started or times out.
   */
  run(cmd: string, args: string[], opts?: ExecOptions): Promise<ExecResult>;
}

/** A command that failed: could not start, timed out, or exited non-zero. */
export class ExecError extends Error {
  readonly command: string;
  readonly code: number | undefined;
  readonly stderr: string;

  constructor(
    command: string,
    message: string,
    fields: { code?: number; stderr?: string; cause?: unknown } = {},
  ) {
    super(`${command}: ${message}`, { cause: fields.cause });
    this.name = "ExecError";
    this.command = command;
    this.code = fields.code;
    this.stderr = fields.stderr ?? "";
  }
}

/** `cmd a b` for messages; arguments with spaces are quoted. */
export function formatCommand(cmd: string, args: string[]): string {
  return [cmd, ...args].map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(" ");
}

/**
 * Runs a command and fails with an `ExecError` (carrying stderr) unless it
 * exits 0.
 */
export async function runChecked(
  exec: Exec,
  cmd: string,
  args: string[],
  opts?: ExecOptions,
): Promise<ExecResult> {
  const result = await exec.run(cmd, args, opts);
  if (result.code !== 0) {
    const stderr = result.stderr.trim();
    const detail = stderr === "" ? "" : `: ${firstLines(stderr, 5)}`;
    throw new ExecError(formatCommand(cmd, args), `exited ${result.code}${detail}`, {
      code: result.code,
      stderr: result.stderr,
    });
  }
  return result;
}

function firstLines(text: string, n: number): string {
  const lines = text.split("\n");
  return lines.length <= n ? text : `${lines.slice(0, n).join("\n")}\n…`;
}

export interface RealExecOptions {
  /** Prepended to every command, e.g. ["ip", "netns", "exec", "ra-1a2b3c-r"]. */
  prefix?: string[];
  /** Environment for the children; default: the agent's own. */
  env?: NodeJS.ProcessEnv;
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/** Runs commands with `child_process.spawn`, optionally behind a prefix. */
export class RealExec implements Exec {
  private readonly prefix: string[];
  private readonly env: NodeJS.ProcessEnv | undefined;

  constructor(opts: RealExecOptions = {}) {
    this.prefix = opts.prefix ?? [];
    this.env = opts.env;
  }

  run(cmd: string, args: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const argv = [...this.prefix, cmd, ...args];
    const [file, ...rest] = argv as [string, ...string[]];
    const shown = formatCommand(cmd, args);
    const timeoutMs = opts.timeoutMs ?? 30_000;
    let stdin: number | "ignore" = "ignore";
    if (opts.input !== undefined) {
      const path = join(tmpdir(), `router-agent-stdin-${randomBytes(6).toString("hex")}`);
      try {
        writeFileSync(path, opts.input, { mode: 0o600, flag: "wx" });
        stdin = openSync(path, "r");
      } catch (e) {
        return Promise.reject(
          new ExecError(shown, `cannot prepare stdin: ${(e as Error).message}`, { cause: e }),
        );
      } finally {
        try {
          unlinkSync(path);
        } catch {}
      }
    }
    const fd = stdin;
    return new Promise((resolve, reject) => {
      let child: ReturnType<typeof spawn>;
      try {
        child = spawn(file, rest, { stdio: [fd, "pipe", "pipe"], env: this.env ?? process.env });
      } finally {
        if (typeof fd === "number") closeSync(fd);
      }
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill("SIGKILL");
      }, timeoutMs);
      child.stdout?.on("data", (b: Buffer) => out.push(b));
      child.stderr?.on("data", (b: Buffer) => err.push(b));
      child.on("error", (e) => {
        clearTimeout(timer);
        reject(new ExecError(shown, `cannot run: ${e.message}`, { cause: e }));
      });
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        const stderr = Buffer.concat(err).toString("utf8");
        if (timedOut) {
          reject(new ExecError(shown, `timed out after ${timeoutMs} ms`, { stderr }));
          return;
        }
        resolve({
          code: code ?? 128 + (SIGNALS[signal ?? ""] ?? 0),
          stdout: Buffer.concat(out).toString("utf8"),
          stderr,
        });
      });
    });
  }
}
