/**
 * Background processes for tests and the lab: start a long-running command
 * (optionally inside a network namespace) with its output in a log file, and
 * stop it reliably.
 *
 * Each process is started in its own process group, so `stop` also reaches
 * the children it forked (shell pipelines, helpers). Processes that escape
 * their group (a daemon that calls setsid) are still caught by
 * `killNamespacePids` when the lab tears its namespaces down.
 */
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";

export interface StartOptions {
  /** Human name for logs and errors, e.g. "agent" or "udhcpc-c1". */
  name: string;
  cmd: string;
  args: string[];
  /** Run inside this network namespace (`ip netns exec`). */
  ns?: string;
  /** stdout and stderr are appended here. */
  logFile: string;
  env?: Record<string, string>;
  cwd?: string;
  /**
   * Signal the whole process group (default true). Set false for a
   * supervisor such as the agent, whose children must see only what the
   * supervisor itself does on SIGTERM.
   */
  signalGroup?: boolean;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A started process. `pid` is the command's own pid (`ip netns exec` execs it). */
export interface BackgroundProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves when the process has exited. Never rejects. */
  readonly exited: Promise<ExitStatus>;
  running(): boolean;
  /** Sends a signal to the process (group, unless `signalGroup` is false); false if it had exited. */
  signal(sig: NodeJS.Signals): boolean;
  /**
   * Stops the process group: `sig` (default SIGTERM), then SIGKILL after
   * `graceMs` (default 3 s). Resolves with how it exited. Idempotent.
   */
  stop(opts?: { sig?: NodeJS.Signals; graceMs?: number }): Promise<ExitStatus>;
}

/**
 * Starts a background process. Throws if it cannot be spawned at all; a
 * process that starts and then fails shows that in `exited` and its log.
 */
export function startProcess(opts: StartOptions): BackgroundProcess {
  const fd = openSync(opts.logFile, "a");
  const [cmd, args] = opts.ns
    ? ["ip", ["netns", "exec", opts.ns, opts.cmd, ...opts.args]]
    : [opts.cmd, opts.args];
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(cmd, args, {
      stdio: ["ignore", fd, fd],
      detached: true,
      env: opts.env ? { ...process.env, ...opts.env } : process.env,
      cwd: opts.cwd,
    });
  } finally {
    closeSync(fd);
  }
  if (child.pid === undefined) {
    throw new Error(`${opts.name}: cannot start ${opts.cmd}`);
  }
  const pid = child.pid;
  let status: ExitStatus | undefined;
  const exited = new Promise<ExitStatus>((resolve) => {
    child.on("exit", (code, sig) => {
      status = { code, signal: sig };
      resolve(status);
    });
    child.on("error", () => {
      status ??= { code: null, signal: null };
      resolve(status);
    });
  });

  const useGroup = opts.signalGroup ?? true;
  const signalGroup = (sig: NodeJS.Signals): boolean => {
    if (status) return false;
    try {
      process.kill(useGroup ? -pid : pid, sig);
      return true;
    } catch {
      try {
        process.kill(pid, sig);
        return true;
      } catch {
        return false;
      }
    }
  };

  return {
    name: opts.name,
    pid,
    logFile: opts.logFile,
    exited,
    running: () => status === undefined,
    signal: signalGroup,
    async stop({ sig = "SIGTERM", graceMs = 3_000 } = {}) {
      if (status) return status;
      signalGroup(sig);
      const timer = setTimeout(() => signalGroup("SIGKILL"), graceMs);
      const result = await exited;
      clearTimeout(timer);
      if (useGroup) {
        try {
          process.kill(-pid, "SIGKILL");
        } catch {
          // No stragglers left in the group.
        }
      }
      return result;
    },
  };
}

/**
 * A set of background processes stopped together. `stopAll` stops them in
 * reverse start order and never throws.
 */
export class ProcessGroup {
  private readonly procs: BackgroundProcess[] = [];

  start(opts: StartOptions): BackgroundProcess {
    const p = startProcess(opts);
    this.procs.push(p);
    return p;
  }

  list(): readonly BackgroundProcess[] {
    return this.procs;
  }

  async stopAll(graceMs = 3_000): Promise<void> {
    const procs = this.procs.splice(0).reverse();
    await Promise.all(procs.map((p) => p.stop({ graceMs }).catch(() => undefined)));
  }
}
