/**
 * Network-namespace helpers for integration and lab tests: run commands,
 * create namespaces, veth pairs, bridges, addresses and routes.
 *
 * Everything is created *inside* namespaces (`ip -n NS ...`): a veth is born
 * in one namespace with its peer in another, so no interface ever appears in
 * the machine's own namespace and interface names never collide between
 * parallel runs. Namespace names carry a per-run prefix from `randomPrefix`,
 * and `cleanupStale(prefix)` removes whatever a crashed run left behind.
 *
 * Every helper throws `CommandError` (with the command's stderr) when the
 * command fails, unless told to tolerate failure.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";

/** What a finished command printed and how it ended. */
export interface RunResult {
  /** Exit code, or null when the command was killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Written to the command's stdin, which is then closed. */
  input?: string;
  /** Kill the command (SIGKILL) after this long; the result then has signal set. Default 30 s. */
  timeoutMs?: number;
  /** Return the result instead of throwing when the command fails. */
  allowFail?: boolean;
  /** Extra environment variables, merged over this process's environment. */
  env?: Record<string, string>;
}

/** A command exited non-zero (or was killed); carries its output. */
export class CommandError extends Error {
  constructor(
    readonly argv: string[],
    readonly result: RunResult,
  ) {
    const how = result.signal ? `killed by ${result.signal}` : `exit ${result.code}`;
    const detail = (result.stderr || result.stdout).trim().slice(0, 2000);
    super(`${argv.join(" ")}: ${how}${detail ? `: ${detail}` : ""}`);
    this.name = "CommandError";
  }
}

/** Runs a command to completion and collects its output. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const argv = [cmd, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      stdio: ["pipe", "pipe", "pipe"],
      env: opts.env ? { ...process.env, ...opts.env } : process.env,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 30_000);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(new Error(`${argv.join(" ")}: cannot start`, { cause: err }));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const result: RunResult = { code, signal, stdout, stderr };
      if ((code !== 0 || signal) && !opts.allowFail) reject(new CommandError(argv, result));
      else resolve(result);
    });
    child.stdin.on("error", () => {
      // The command may exit before reading its input; that is its business.
    });
    child.stdin.end(opts.input ?? "");
  });
}

/** Runs a command inside a namespace (`ip netns exec`). */
export function nsRun(
  ns: string,
  cmd: string,
  args: string[],
  opts: RunOptions = {},
): Promise<RunResult> {
  return run("ip", ["netns", "exec", ns, cmd, ...args], opts);
}

/** Runs `ip` with `-n ns` (no extra mount namespace, cheaper than nsRun). */
export function ip(ns: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return run("ip", ["-n", ns, ...args], opts);
}

/**
 * A fresh per-run prefix: "ra" plus 6 hex digits, e.g. "ra1f2e3d". Namespace
 * names are `${prefix}-${role}`; `cleanupStale` matches on `${prefix}-`.
 */
export function randomPrefix(): string {
  return `ra${randomBytes(3).toString("hex")}`;
}

/** The names of all network namespaces on the machine. */
export async function listNamespaces(): Promise<string[]> {
  const { stdout } = await run("ip", ["-j", "netns", "list"]);
  if (!stdout.trim()) return [];
  const rows = JSON.parse(stdout) as Array<{ name: string }>;
  return rows.map((r) => r.name);
}

/** Creates a namespace with loopback up. Fails if it already exists. */
export async function addNamespace(name: string): Promise<void> {
  await run("ip", ["netns", "add", name]);
  await ip(name, ["link", "set", "lo", "up"]);
}

/** The pids of every process whose network namespace is `ns`; [] if it is gone. */
export async function namespacePids(ns: string): Promise<number[]> {
  const r = await run("ip", ["netns", "pids", ns], { allowFail: true });
  if (r.code !== 0) return [];
  return r.stdout
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0 && n !== process.pid);
}

/**
 * Kills every process inside `ns`: SIGTERM, then SIGKILL for those still
 * alive after `graceMs`. Never throws.
 */
export async function killNamespacePids(ns: string, graceMs = 2_000): Promise<void> {
  const pids = await namespacePids(ns);
  if (pids.length === 0) return;
  for (const pid of pids) signal(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  let alive = pids;
  while (alive.length > 0 && Date.now() < deadline) {
    await sleep(50);
    alive = alive.filter(isAlive);
  }
  for (const pid of alive) signal(pid, "SIGKILL");
  // Give the kernel a moment to reap them, so the namespace can go.
  const reapDeadline = Date.now() + 2_000;
  while (alive.some(isAlive) && Date.now() < reapDeadline) await sleep(20);
}

/**
 * Kills the namespace's processes and deletes it. Idempotent: a missing
 * namespace is fine. Throws only if the namespace exists and cannot be deleted.
 */
export async function deleteNamespace(ns: string): Promise<void> {
  if (!(await listNamespaces()).includes(ns)) return;
  await killNamespacePids(ns);
  await run("ip", ["netns", "del", ns], { allowFail: true });
  if ((await listNamespaces()).includes(ns)) {
    await run("ip", ["netns", "del", ns]);
  }
}

/**
 * Deletes every namespace named `${prefix}-*`, killing their processes first.
 * Collects all failures and throws one error listing them.
 */
export async function cleanupStale(prefix: string): Promise<string[]> {
  if (!/^[a-z0-9-]{3,}$/.test(prefix)) throw new Error(`cleanupStale: unsafe prefix "${prefix}"`);
  const doomed = (await listNamespaces()).filter((n) => n.startsWith(`${prefix}-`));
  const errors: unknown[] = [];
  for (const ns of doomed) {
    try {
      await deleteNamespace(ns);
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length > 0)
    throw new AggregateError(errors, `cleanupStale(${prefix}): some namespaces remain`);
  return doomed;
}

export interface VethEnd {
  ns: string;
  ifname: string;
  /** Lower-case MAC; random if absent. */
  mac?: string;
}

/** Creates a veth pair directly between two namespaces and sets both ends up. */
export async function addVeth(a: VethEnd, b: VethEnd): Promise<void> {
  const args = ["link", "add", a.ifname];
  if (a.mac) args.push("address", a.mac);
  args.push("type", "veth", "peer", "name", b.ifname);
  if (b.mac) args.push("address", b.mac);
  args.push("netns", b.ns);
  await ip(a.ns, args);
  await ip(a.ns, ["link", "set", a.ifname, "up"]);
  await ip(b.ns, ["link", "set", b.ifname, "up"]);
}

/** Creates a bridge in `ns` and sets it up. */
export async function addBridge(ns: string, name: string): Promise<void> {
  await ip(ns, ["link", "add", name, "type", "bridge"]);
  await ip(ns, ["link", "set", name, "up"]);
}

/** Enslaves `ifname` to `bridge` (both in `ns`). */
export async function setMaster(ns: string, ifname: string, bridge: string): Promise<void> {
  await ip(ns, ["link", "set", ifname, "master", bridge]);
}

/** Adds an address with prefix (e.g. "10.88.0.1/24") to an interface. */
export async function addAddress(ns: string, ifname: string, cidr: string): Promise<void> {
  await ip(ns, ["addr", "add", cidr, "dev", ifname]);
}

/** Adds a route; `dest` may be "default". */
export async function addRoute(ns: string, dest: string, via: string): Promise<void> {
  await ip(ns, ["route", "add", dest, "via", via]);
}

/** Sets a sysctl inside the namespace, e.g. ("net.ipv4.ip_forward", "1"). */
export async function setSysctl(ns: string, key: string, value: string): Promise<void> {
  await nsRun(ns, "sysctl", ["-q", "-w", `${key}=${value}`]);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
