/**
 * The real agent as a process inside a throwaway network namespace, started
 * the way the systemd unit starts it: `<node> <node flags> <script> --config
 * FILE`, with the unit's flags taken from its `ExecStart=` line
 * (`parseExecStart`). For the footprint bench and the limit tests.
 *
 * The namespace (`<prefix>-<tag>`) gets the seed's links: `eth0`
 * (192.168.130.2/24, up) and `ens7`, both veths with their peers inside the
 * same namespace. The state directory can be preloaded with a last-good
 * revision, so the agent restores it at start as it does after a reboot.
 * `stop()` removes the namespace, the process and the directory, even after
 * a failed start.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { specHash } from "../../agent/src/model/spec-hash.js";
import type { RouterSpec } from "../../agent/src/model/types.js";
import { deleteNamespace } from "./netns.js";
import { addRouterNamespace } from "./router-netns.js";

/** An `ExecStart=` line split into what the agent's process is made of. */
export interface ExecStart {
  node: string;
  /** Flags for node itself, before the script. */
  nodeFlags: string[];
  script: string;
  /** The agent's own arguments, after the script. */
  args: string[];
}

/**
 * Splits the `ExecStart=` of a unit file (its text). Throws when there is
 * none, or when it has no script after node's flags. Quoting is not
 * supported (the unit uses none).
 */
export function parseExecStart(unitText: string): ExecStart {
  const line = /^ExecStart=(.+)$/m.exec(unitText)?.[1];
  if (line === undefined) throw new Error("the unit has no ExecStart= line");
  const [node, ...rest] = line.trim().split(/\s+/);
  const at = rest.findIndex((t) => !t.startsWith("-"));
  if (node === undefined || at < 0) throw new Error(`ExecStart=${line}: no script after node`);
  return {
    node,
    nodeFlags: rest.slice(0, at),
    script: rest[at] as string,
    args: rest.slice(at + 1),
  };
}

export interface NsAgentOptions {
  /** Namespace and directory name prefix, e.g. `randomPrefix()`. */
  prefix: string;
  /** Distinguishes agents of one prefix: the namespace is `<prefix>-<tag>`. */
  tag: string;
  node: string;
  nodeFlags: string[];
  script: string;
  /** Restored at start as the last-good revision; absent: an empty state directory. */
  spec?: RouterSpec;
  /**
   * A directory with `ca.crt`, `server.crt` and `server.key`: adds the
   * mTLS listener on 192.168.130.2:7443 that the packaged agent.yaml has.
   */
  pkiDir?: string;
  /** Appended to agent.yaml, e.g. a `metrics:` section. */
  extraYaml?: string;
  /** Extra environment for the agent. */
  env?: Record<string, string>;
  /** How long to wait for "API listening". Default 30 s. */
  startTimeoutMs?: number;
}

export interface NsAgent {
  readonly ns: string;
  readonly dir: string;
  readonly pid: number;
  /** The agent's unix socket, as a gRPC target. */
  readonly target: string;
  /** Everything the agent printed so far (its pino log and stderr). */
  output(): string;
  /** Resolves when `text` appears in the output; rejects after `timeoutMs` or when the agent exits. */
  waitForOutput(text: string, timeoutMs: number): Promise<void>;
  running(): boolean;
  /** SIGTERM (SIGKILL after 15 s), then removes the namespace and the directory. Idempotent. */
  stop(): Promise<void>;
}

/** The packaged agent.yaml's shape, pointed at a private directory. */
function agentYaml(dir: string, pkiDir: string | undefined): string {
  const lines = [
    `state_dir: ${join(dir, "state")}`,
    `runtime_dir: ${join(dir, "run")}`,
    "wan_interface: eth0",
    "log_level: info",
    "drift_interval: 60s",
    "listen:",
    `  unix: ${join(dir, "run", "agent.sock")}`,
  ];
  if (pkiDir !== undefined) {
    lines.push(
      "  tcp:",
      "    - address: 192.168.130.2",
      "      port: 7443",
      "      auth: mtls",
      "      tls:",
      `        ca: ${join(pkiDir, "ca.crt")}`,
      `        cert: ${join(pkiDir, "server.crt")}`,
      `        key: ${join(pkiDir, "server.key")}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

function restore(stateDir: string, spec: RouterSpec): void {
  const rev = {
    revision: 1,
    hash: specHash(spec),
    generation: 1,
    appliedAt: new Date().toISOString(),
    actor: "ns-agent",
    reason: "restored at start",
    spec,
  };
  mkdirSync(join(stateDir, "revisions"), { recursive: true });
  writeFileSync(join(stateDir, "revisions/00000001.json"), JSON.stringify(rev));
  writeFileSync(join(stateDir, "last-good.json"), JSON.stringify(rev));
}

/**
 * Creates the namespace and the directory, starts the agent and waits for
 * "API listening". Throws with the agent's output when it exits or does not
 * get there in time; everything created is removed first.
 */
export async function startNsAgent(o: NsAgentOptions): Promise<NsAgent> {
  const ns = `${o.prefix}-${o.tag}`;
  const dir = mkdtempSync(join(tmpdir(), `${ns}-`));
  // dnsmasq drops to "nobody" and re-reads its files: the state stays world-readable.
  chmodSync(dir, 0o755);
  let child: ChildProcess | undefined;
  let out = "";
  let exited = false;
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      try {
        if (child !== undefined && !exited) {
          const gone = new Promise<void>((r) => child?.once("exit", () => r()));
          child.kill("SIGTERM");
          const timer = setTimeout(() => child?.kill("SIGKILL"), 15_000);
          await gone;
          clearTimeout(timer);
        }
      } finally {
        await deleteNamespace(ns);
        rmSync(dir, { recursive: true, force: true });
      }
    })();
    return stopped;
  };
  try {
    await addRouterNamespace(ns, ["ens7"]);
    if (o.spec !== undefined) restore(join(dir, "state"), o.spec);
    const config = join(dir, "agent.yaml");
    writeFileSync(config, agentYaml(dir, o.pkiDir) + (o.extraYaml ?? ""));
    const proc = spawn(
      "ip",
      ["netns", "exec", ns, o.node, ...o.nodeFlags, o.script, "--config", config],
      { stdio: ["ignore", "pipe", "pipe"], cwd: dir, env: { ...process.env, ...o.env } },
    );
    child = proc;
    proc.once("exit", () => {
      exited = true;
    });
    const collect = (b: Buffer) => {
      out += b.toString();
    };
    proc.stdout?.on("data", collect);
    proc.stderr?.on("data", collect);
    const waitForOutput = async (text: string, timeoutMs: number): Promise<void> => {
      const deadline = Date.now() + timeoutMs;
      while (!out.includes(text)) {
        if (exited) throw new Error(`the agent exited before "${text}":\n${out.slice(-4000)}`);
        if (Date.now() > deadline) {
          throw new Error(`no "${text}" from the agent in ${timeoutMs} ms:\n${out.slice(-4000)}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await waitForOutput('"API listening"', o.startTimeoutMs ?? 30_000);
    return {
      ns,
      dir,
      pid: proc.pid as number,
      target: `unix://${join(dir, "run", "agent.sock")}`,
      output: () => out,
      waitForOutput,
      running: () => !exited,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
