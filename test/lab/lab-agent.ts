/**
 * The real, built agent inside a lab's router namespace, and `routerctl`
 * inside its host namespace: what a Slicer host and its router microVM do,
 * with every file in the lab directory.
 *
 * The agent runs as the unit would (`node dist/agent/src/main.js --config
 * FILE`), listening on the WAN address with mTLS from `routerctl pki init`
 * and on a unix socket; its log goes to `<lab>/agent.log`. Needs `npm run
 * build` first; throws with the missing path otherwise.
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import type { RunResult } from "../support/netns.js";
import type { BackgroundProcess } from "../support/processes.js";
import { LAB_ADDR, Lab, type RouterctlOptions } from "./lab.js";
import { waitFor } from "./wait.js";

export interface LabAgentOptions {
  /** Agent log level. Default "debug". */
  logLevel?: string;
}

/** A `routerctl ... --watch --json` running in the background. */
export interface WatchHandle {
  proc: BackgroundProcess;
  /** Every JSON line printed so far, parsed. Non-JSON lines are skipped. */
  lines(): Promise<unknown[]>;
  /** Waits for a printed line for which `match` is true, and returns it. */
  waitForLine(match: (line: unknown) => boolean, timeoutMs?: number): Promise<unknown>;
  stop(): Promise<void>;
}

export class LabAgent {
  readonly stateDir: string;
  readonly runtimeDir: string;
  readonly pkiDir: string;
  readonly configFile: string;
  readonly logFile: string;
  readonly socketPath: string;
  readonly mainJs: string;
  readonly routerctlJs: string;
  private proc: BackgroundProcess | undefined;
  private watches = 0;

  constructor(
    readonly lab: Lab,
    private readonly opts: LabAgentOptions = {},
  ) {
    this.stateDir = lab.path("agent", "state");
    this.runtimeDir = lab.path("agent", "run");
    this.pkiDir = lab.path("pki");
    this.configFile = lab.path("agent", "agent.yaml");
    this.logFile = lab.path("agent.log");
    this.socketPath = join(this.runtimeDir, "agent.sock");
    this.mainJs = join(lab.root, "dist", "agent", "src", "main.js");
    this.routerctlJs = join(lab.root, "dist", "host-client", "src", "cli", "routerctl.js");
  }

  /** The environment that points routerctl at the agent over mTLS. */
  env(target = `${LAB_ADDR.wanRouter}:${LAB_ADDR.apiPort}`): Record<string, string> {
    return {
      ROUTERCTL_TARGET: target,
      ROUTERCTL_CA: join(this.pkiDir, "ca.crt"),
      ROUTERCTL_CERT: join(this.pkiDir, "host.crt"),
      ROUTERCTL_KEY: join(this.pkiDir, "host.key"),
    };
  }

  /** The running agent process, if any. */
  get process(): BackgroundProcess | undefined {
    return this.proc?.running() ? this.proc : undefined;
  }

  /**
   * Creates the CA, the agent's certificate (SAN 192.168.130.2) and a write
   * client certificate "host" with `routerctl pki`, then writes agent.yaml.
   * Idempotent.
   */
  async prepare(): Promise<void> {
    for (const f of [this.mainJs, this.routerctlJs]) {
      if (!existsSync(f)) throw new Error(`lab: ${f} is missing; run the build first`);
    }
    await mkdir(this.stateDir, { recursive: true });
    await mkdir(this.runtimeDir, { recursive: true });
    if (!existsSync(join(this.pkiDir, "ca.crt"))) {
      await this.routerctl(
        ["pki", "init", "--dir", this.pkiDir, "--server-ip", LAB_ADDR.wanRouter],
        { from: "host" },
      );
    }
    if (!existsSync(join(this.pkiDir, "host.crt"))) {
      await this.routerctl(
        ["pki", "issue", "--dir", this.pkiDir, "--name", "host", "--scope", "write"],
        { from: "host" },
      );
    }
    const config = {
      state_dir: this.stateDir,
      runtime_dir: this.runtimeDir,
      wan_interface: "eth0",
      log_level: this.opts.logLevel ?? "debug",
      listen: {
        unix: this.socketPath,
        tcp: [
          {
            address: LAB_ADDR.wanRouter,
            port: LAB_ADDR.apiPort,
            tls: {
              ca: join(this.pkiDir, "ca.crt"),
              cert: join(this.pkiDir, "server.crt"),
              key: join(this.pkiDir, "server.key"),
            },
          },
        ],
      },
    };
    await writeFile(this.configFile, stringify(config));
  }

  /**
   * Starts the agent in the router namespace and waits until its API answers
   * `routerctl status` from the host. Throws with the log tail if it exits or
   * does not answer within `timeoutMs`.
   */
  async start(timeoutMs = 30_000): Promise<BackgroundProcess> {
    if (this.process) return this.process;
    await this.prepare();
    const proc = this.lab.spawn("router", {
      name: "agent",
      cmd: process.execPath,
      args: [this.mainJs, "--config", this.configFile],
      logFile: this.logFile,
      signalGroup: false,
    });
    this.proc = proc;
    await waitFor(
      async () => {
        if (!proc.running()) throw new Error(`agent exited:\n${await this.logTail()}`);
        const r = await this.routerctl(["status", "--json"], {
          allowFail: true,
          timeoutMs: 10_000,
        });
        return r.code === 0;
      },
      { timeoutMs, intervalMs: 250, what: "the agent API to answer" },
    ).catch(async (err) => {
      throw new Error(`${(err as Error).message}\nagent log:\n${await this.logTail()}`);
    });
    return proc;
  }

  /** Stops the agent with `sig` (SIGTERM: graceful, rules stay). */
  async stop(sig: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const p = this.proc;
    this.proc = undefined;
    if (p) await p.stop({ sig, graceMs: 10_000 });
  }

  /** The last `lines` lines of the agent's log. */
  async logTail(lines = 40): Promise<string> {
    return (await this.lab.readLog(this.logFile))
      .split("\n")
      .slice(-lines - 1)
      .join("\n");
  }

  /** Runs the built routerctl in a lab namespace (default: host) with the mTLS env. */
  routerctl(args: string[], opts: RouterctlOptions = {}): Promise<RunResult> {
    const { from = "host", target, env, ...rest } = opts;
    return this.lab.exec(from, process.execPath, [this.routerctlJs, ...args], {
      timeoutMs: 30_000,
      ...rest,
      env: { ...this.env(target), ...env },
    });
  }

  /** Runs routerctl with `--json` and parses its stdout. Throws if it fails. */
  async routerctlJson<T = unknown>(args: string[], opts: RouterctlOptions = {}): Promise<T> {
    const r = await this.routerctl([...args, "--json"], opts);
    try {
      return JSON.parse(r.stdout) as T;
    } catch (err) {
      throw new Error(`routerctl ${args.join(" ")}: not JSON: ${r.stdout.slice(0, 500)}`, {
        cause: err,
      });
    }
  }

  /** `routerctl apply -f FILE` plus `extra` flags; the result, failing or not. */
  apply(file: string, extra: string[] = []): Promise<RunResult> {
    return this.routerctl(["apply", "-f", file, ...extra], { allowFail: true, timeoutMs: 60_000 });
  }

  /**
   * Writes `spec` (a YAML-shaped object) into the lab directory and applies
   * it. Throws with routerctl's output unless it exits 0.
   */
  async applySpec(spec: unknown, name: string, extra: string[] = []): Promise<RunResult> {
    const file = this.lab.path(`${name}.yaml`);
    await writeFile(file, stringify(spec));
    const r = await this.apply(file, extra);
    if (r.code !== 0) {
      throw new Error(`apply ${name} failed (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
    }
    return r;
  }

  /** Starts `routerctl <args> --watch --json` in the host namespace. */
  watch(args: string[]): WatchHandle {
    const label = `watch-${++this.watches}`;
    const out = this.lab.path(`${label}.jsonl`);
    const proc = this.lab.spawn("host", {
      name: label,
      cmd: process.execPath,
      args: [this.routerctlJs, ...args, "--watch", "--json"],
      logFile: out,
      env: this.env(),
    });
    const lines = async (): Promise<unknown[]> =>
      (await this.lab.readLog(out))
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as unknown];
          } catch {
            return [];
          }
        });
    return {
      proc,
      lines,
      waitForLine: (match, timeoutMs = 20_000) =>
        waitFor(async () => (await lines()).find(match), {
          timeoutMs,
          what: `routerctl ${args.join(" ")} --watch to print a matching line`,
        }),
      stop: async () => {
        await proc.stop({ graceMs: 2_000 });
      },
    };
  }
}

/**
 * A lab with the agent running and `spec` applied: the common start of every
 * end-to-end test file. On failure, tears the lab down and rethrows.
 */
export async function startLabWithAgent(spec: unknown, lab = new Lab()): Promise<LabAgent> {
  const agent = new LabAgent(lab);
  try {
    await lab.up();
    await agent.start();
    await agent.applySpec(spec, "initial", ["--reason", "lab setup"]);
    return agent;
  } catch (err) {
    const tail = await agent.logTail(60).catch(() => "");
    await lab.down().catch(() => undefined);
    throw new Error(`${(err as Error).message}\nagent log:\n${tail}`, { cause: err });
  }
}
