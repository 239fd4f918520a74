/**
 * Runs dnsmasq as the agent's child and keeps it running.
 *
 * dnsmasq runs in the foreground (`--keep-in-foreground`) with the agent's own
 * config (`--conf-file`, which also names its lease file, hooks and pid file),
 * and logs to stderr (`--log-facility=-`); every line is forwarded to the
 * agent's pino log as a structured record (`dnsmasq-log.ts`). The rendered
 * config must not set `log-facility` itself: the config file overrides the
 * command line.
 *
 * The distro's `dnsmasq.service` would bind the same ports and serve from
 * /etc/dnsmasq.conf; the package masks it (see packaging/), so this
 * supervisor is the only thing that starts dnsmasq on a guest. As a last line
 * of defence, before each start it stops any dnsmasq left running with the
 * same `--conf-file` (an orphan of a previous agent killed with SIGKILL).
 *
 * If dnsmasq dies while wanted, it is restarted after an exponential backoff
 * (`backoff.ts`); `state()` and `onState` report it down in the meantime, so
 * the runtime can raise its DhcpServing condition. dnsmasq counts as running
 * once it has logged `started, version …`.
 *
 * Signals go to the child's PID. With a spawn prefix such as
 * `ip netns exec NS`, that is still dnsmasq's PID, because `ip netns exec`
 * execs the command (checked at start against the PID dnsmasq logs). A prefix
 * that forks instead would make SIGHUP reach the wrong process: don't use one.
 *
 * Node reaps its children, so no zombies are left. dnsmasq's own script
 * helper exits by itself when dnsmasq dies.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import { basename } from "node:path";
import { createInterface } from "node:readline";
import type { Logger } from "pino";
import { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF, nextFailures } from "./backoff.js";
import { type Clock, systemClock, type Timer } from "./clock.js";
import type { DnsmasqControl } from "./dnsmasq-control.js";
import { parseDnsmasqLogLine, startedPid } from "./dnsmasq-log.js";
import type { DnsmasqState } from "./router-runtime.js";

export interface DnsmasqSupervisorOptions {
  /** Absolute path of the rendered `dnsmasq.conf`. */
  confFile: string;
  /** The "dnsmasq" component logger; dnsmasq's own lines are logged through it. */
  logger: Logger;
  /** Default "dnsmasq". */
  binary?: string;
  /** Extra command-line arguments, after the supervisor's own. */
  args?: string[];
  /** Prepended to the command, e.g. ["ip", "netns", "exec", NS]; must exec, not fork. */
  spawnPrefix?: string[];
  /** Environment for dnsmasq (and so for its dhcp-script); default the agent's. */
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  backoff?: Partial<BackoffPolicy>;
  /** How long to wait for `started` before `ensureRunning` fails. Default 10 000 ms. */
  readyTimeoutMs?: number;
  /** SIGTERM grace before SIGKILL when stopping. Default 5 000 ms. */
  stopTimeoutMs?: number;
}

/** How the last dnsmasq process ended. */
export interface DnsmasqExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Unix ms. */
  at: number;
  /** Up to the last 10 lines it logged. */
  lastLines: string[];
}

interface Run {
  child: ChildProcess;
  pid: number;
  spawnedAt: number;
  ready: boolean;
  /** Settles when dnsmasq has logged `started`, or rejects when it exits first. */
  readyPromise: Promise<void>;
  exited: Promise<void>;
  lastLines: string[];
  /** Set when the supervisor itself is stopping this run. */
  stopping: boolean;
}

export class DnsmasqSupervisor implements DnsmasqControl {
  private readonly clock: Clock;
  private readonly policy: BackoffPolicy;
  private readonly listeners = new Set<(state: DnsmasqState) => void>();
  private run: Run | undefined;
  private wanted = false;
  private restarts = 0;
  private failures = 0;
  private restartTimer: Timer | undefined;
  private lastExitInfo: DnsmasqExit | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private lastState: DnsmasqState = { running: false, restarts: 0 };

  constructor(private readonly opts: DnsmasqSupervisorOptions) {
    this.clock = opts.clock ?? systemClock;
    this.policy = { ...DEFAULT_BACKOFF, ...opts.backoff };
  }

  /** running: dnsmasq has started and not exited; restarts: unplanned restarts after a death. */
  state(): DnsmasqState {
    const s: DnsmasqState = { running: this.run?.ready === true, restarts: this.restarts };
    if (this.run) s.pid = this.run.pid;
    return s;
  }

  /** How the previous dnsmasq process ended, if one has. */
  lastExit(): DnsmasqExit | undefined {
    return this.lastExitInfo;
  }

  /** Called whenever `state()` changes. Returns an unsubscribe. */
  onState(listener: (state: DnsmasqState) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Starts dnsmasq if it is not running (cutting a pending backoff short) and
   * waits until it has started. Rejects if this attempt exits or does not
   * start in time, with its last log lines; the supervisor keeps retrying in
   * the background, since dnsmasq stays wanted until `stop()`.
   */
  ensureRunning(): Promise<void> {
    return this.serialize(async () => {
      this.wanted = true;
      if (!this.run) {
        const planned = this.restartTimer === undefined;
        this.cancelRestartTimer();
        await this.spawnRun(planned ? "start" : "restart");
      }
      await this.awaitReady(this.run);
    });
  }

  /**
   * Makes dnsmasq re-read its hosts, servers and dhcp-hosts files (SIGHUP).
   * Waits for a starting dnsmasq to be ready first, since SIGHUP before its
   * handlers are installed would kill it. When dnsmasq is not running, starts
   * it instead (it reads the new files anyway); rejects like `ensureRunning`.
   */
  reload(): Promise<void> {
    return this.serialize(async () => {
      const run = this.run;
      if (!run) {
        this.wanted = true;
        const planned = this.restartTimer === undefined;
        this.cancelRestartTimer();
        await this.spawnRun(planned ? "start" : "restart");
        await this.awaitReady(this.run);
        return;
      }
      await this.awaitReady(run);
      if (run.child.exitCode === null && run.child.signalCode === null) {
        run.child.kill("SIGHUP");
        this.opts.logger.info({ dnsmasqPid: run.pid }, "dnsmasq reloaded (SIGHUP)");
      }
    });
  }

  /**
   * Stops dnsmasq cleanly and starts it again, for changes to its main
   * config. Not counted in `restarts`. Rejects like `ensureRunning`.
   */
  restart(): Promise<void> {
    return this.serialize(async () => {
      this.wanted = true;
      this.cancelRestartTimer();
      await this.stopRun();
      await this.spawnRun("start");
      await this.awaitReady(this.run);
    });
  }

  /**
   * Stops dnsmasq: SIGTERM, then SIGKILL after `stopTimeoutMs`, and waits for
   * it to exit. No restart follows. Idempotent; never rejects.
   */
  stop(): Promise<void> {
    return this.serialize(async () => {
      this.wanted = false;
      this.cancelRestartTimer();
      await this.stopRun();
    });
  }

  private serialize<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async awaitReady(run: Run | undefined): Promise<void> {
    if (!run) throw new Error("dnsmasq is not running");
    if (run.ready) return;
    const timeoutMs = this.opts.readyTimeoutMs ?? 10_000;
    let timer: Timer | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = this.clock.after(timeoutMs, () =>
        reject(new Error(`dnsmasq did not report "started" within ${timeoutMs} ms`)),
      );
    });
    try {
      await Promise.race([run.readyPromise, timeout]);
    } finally {
      timer?.cancel();
    }
  }

  private argv(): string[] {
    return [
      ...(this.opts.spawnPrefix ?? []),
      this.opts.binary ?? "dnsmasq",
      "--keep-in-foreground",
      `--conf-file=${this.opts.confFile}`,
      "--log-facility=-",
      ...(this.opts.args ?? []),
    ];
  }

  private async spawnRun(why: "start" | "restart"): Promise<void> {
    await this.killStrays();
    const [file, ...args] = this.argv() as [string, ...string[]];
    const log = this.opts.logger;
    const child = spawn(file, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: this.opts.env ?? process.env,
    });
    const spawnError = await new Promise<Error | undefined>((resolve) => {
      child.once("spawn", () => resolve(undefined));
      child.once("error", (err) => resolve(err));
    });
    if (spawnError || child.pid === undefined) {
      // Treated like a death, so the backoff keeps trying.
      log.error({ err: spawnError }, "cannot start dnsmasq");
      this.lastExitInfo = { code: null, signal: null, at: this.clock.now(), lastLines: [] };
      this.failures = nextFailures(this.policy, this.failures, 0);
      this.scheduleRestart(backoffDelay(this.policy, this.failures - 1));
      throw new Error(`cannot start ${file}`, { cause: spawnError });
    }
    // After a successful spawn, "error" means a signal could not be sent; an
    // unhandled one would crash the agent.
    child.on("error", (err) => log.warn({ err }, "dnsmasq child process error"));
    if (why === "restart") this.restarts++;

    let settleReady: { resolve: () => void; reject: (e: Error) => void } | undefined;
    const readyPromise = new Promise<void>((resolve, reject) => {
      settleReady = { resolve, reject };
    });
    readyPromise.catch(() => undefined);
    let markExited: () => void = () => {};
    const exited = new Promise<void>((resolve) => {
      markExited = resolve;
    });
    const run: Run = {
      child,
      pid: child.pid,
      spawnedAt: this.clock.now(),
      ready: false,
      readyPromise,
      exited,
      lastLines: [],
      stopping: false,
    };
    this.run = run;
    log.info({ dnsmasqPid: run.pid, argv: this.argv(), why }, "dnsmasq spawned");

    const onLine = (line: string) => {
      if (line.trim() === "") return;
      run.lastLines.push(line);
      if (run.lastLines.length > 10) run.lastLines.shift();
      const record = parseDnsmasqLogLine(line);
      log[record.level](record.fields, record.msg);
      const pid = startedPid(record);
      if (pid !== undefined && !run.ready) {
        if (pid !== run.pid) {
          log.warn(
            { dnsmasqPid: pid, childPid: run.pid },
            "dnsmasq reports another PID than its child: the spawn prefix forks; signals may miss",
          );
        }
        run.ready = true;
        settleReady?.resolve();
        this.emitState();
      }
    };
    if (child.stdout)
      createInterface({ input: child.stdout, crlfDelay: Infinity }).on("line", onLine);
    if (child.stderr)
      createInterface({ input: child.stderr, crlfDelay: Infinity }).on("line", onLine);

    child.on("exit", (code, signal) => {
      const uptime = this.clock.now() - run.spawnedAt;
      this.lastExitInfo = { code, signal, at: this.clock.now(), lastLines: [...run.lastLines] };
      if (!run.ready) {
        const tail = run.lastLines.slice(-5).join("\n");
        settleReady?.reject(
          new Error(
            `dnsmasq exited (${signal ?? `code ${code}`}) before it started${tail ? `:\n${tail}` : ""}`,
          ),
        );
      }
      if (this.run === run) this.run = undefined;
      markExited();
      if (run.stopping) {
        log.info({ dnsmasqPid: run.pid, code, signal }, "dnsmasq stopped");
        this.emitState();
        return;
      }
      this.failures = nextFailures(this.policy, this.failures, uptime);
      log.error(
        { dnsmasqPid: run.pid, code, signal, uptimeMs: uptime, lastLines: run.lastLines },
        "dnsmasq died",
      );
      this.emitState();
      if (this.wanted) this.scheduleRestart(backoffDelay(this.policy, this.failures - 1));
    });
    this.emitState();
  }

  private scheduleRestart(delayMs: number): void {
    if (!this.wanted || this.restartTimer) return;
    this.opts.logger.info({ delayMs }, "restarting dnsmasq after backoff");
    this.restartTimer = this.clock.after(delayMs, () => {
      this.restartTimer = undefined;
      void this.serialize(async () => {
        if (!this.wanted || this.run) return;
        await this.spawnRun("restart");
      }).catch(() => undefined);
    });
  }

  private cancelRestartTimer(): void {
    this.restartTimer?.cancel();
    this.restartTimer = undefined;
  }

  private async stopRun(): Promise<void> {
    const run = this.run;
    if (!run) return;
    run.stopping = true;
    run.child.kill("SIGTERM");
    const grace = this.opts.stopTimeoutMs ?? 5_000;
    const killer = this.clock.after(grace, () => {
      this.opts.logger.warn(
        { dnsmasqPid: run.pid, graceMs: grace },
        "dnsmasq ignored SIGTERM; sending SIGKILL",
      );
      run.child.kill("SIGKILL");
    });
    await run.exited;
    killer.cancel();
  }

  /**
   * Stops dnsmasq processes that are not our child but run our config: the
   * orphans of a previous agent. Best effort; logs what it did.
   */
  private async killStrays(): Promise<void> {
    const strays = await findDnsmasqByConf(this.opts.confFile);
    if (strays.length === 0) return;
    this.opts.logger.warn({ pids: strays }, "stopping dnsmasq processes left over with our config");
    for (const pid of strays) signal(pid, "SIGTERM");
    // Real time on purpose: this polls real processes, whatever clock drives the backoff.
    const deadline = Date.now() + (this.opts.stopTimeoutMs ?? 5_000);
    let alive = strays;
    while (alive.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      alive = alive.filter((pid) => signal(pid, 0));
    }
    for (const pid of alive) signal(pid, "SIGKILL");
  }

  private emitState(): void {
    const s = this.state();
    const prev = this.lastState;
    if (prev.running === s.running && prev.pid === s.pid && prev.restarts === s.restarts) return;
    this.lastState = s;
    for (const listener of [...this.listeners]) {
      try {
        listener({ ...s });
      } catch (err) {
        this.opts.logger.error({ err }, "dnsmasq state listener failed");
      }
    }
  }
}

/** PIDs of processes named dnsmasq whose argv contains `--conf-file=<confFile>`. */
export async function findDnsmasqByConf(confFile: string): Promise<number[]> {
  const marker = `--conf-file=${confFile}`;
  const out: number[] = [];
  const entries = await readdir("/proc").catch(() => [] as string[]);
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, "latin1").catch(() => "");
    const argv = cmdline.split("\0");
    if (argv[0] && basename(argv[0]) === "dnsmasq" && argv.includes(marker))
      out.push(Number(entry));
  }
  return out;
}

/** Sends a signal (0: probe); false if the process is gone. */
function signal(pid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}
