/**
 * The router lab: the seed's topology built from network namespaces on one
 * machine, for end-to-end tests and `make demo`.
 *
 * ```
 *  inet (203.0.113.10: HTTP + DNS)    main (192.168.1.10: HTTP, ICMP)
 *        │ 203.0.113.1                        │ 192.168.1.1
 *        └──────────────── host ──────────────┘      (ip_forward=1; runs routerctl)
 *                           │ br-wan 192.168.130.1/24
 *             ┌─────────────┴──────────────┐
 *    router eth0 192.168.130.2      stranger eth0 192.168.130.3
 *    router ens7 ── sw1 (bridge) ── client namespaces (udhcpc)
 *    router ens8 ── sw2 (bridge) ── client namespaces (udhcpc)
 * ```
 *
 * Every namespace is named `${prefix}-${role}`; no interface ever touches the
 * machine's own namespace. The router namespace starts with only the WAN
 * configured: the agent puts the LAN addresses on ens7/ens8 from the desired
 * state. `up()` and `down()` are idempotent, and `down()` kills every process
 * the lab started (and anything else left in its namespaces) and deletes every
 * namespace, even after a partial `up()`.
 */
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  addAddress,
  addBridge,
  addNamespace,
  addRoute,
  addVeth,
  cleanupStale,
  listNamespaces,
  nsRun,
  type RunOptions,
  type RunResult,
  randomPrefix,
  setMaster,
  setSysctl,
} from "../support/netns.js";
import { type BackgroundProcess, ProcessGroup, type StartOptions } from "../support/processes.js";
import { parseLeaseEnv, RESPONDER_JS, udhcpcScript } from "./scripts.js";
import { waitFor } from "./wait.js";

/** The lab's fixed addresses, taken from the seed document. */
export const LAB_ADDR = {
  wanGateway: "192.168.130.1",
  wanRouter: "192.168.130.2",
  wanStranger: "192.168.130.3",
  internetGateway: "203.0.113.1",
  internetServer: "203.0.113.10",
  mainGateway: "192.168.1.1",
  mainHost: "192.168.1.10",
  mainNet: "192.168.1.0/24",
  lan1Router: "10.88.0.1",
  lan2Router: "10.88.1.1",
  apiPort: 7443,
} as const;

/** Names the pretend internet's DNS server answers, all with 203.0.113.10. */
export const INTERNET_NAMES = ["example.test", "www.example.test", "pretend.internet"] as const;

export type Role = "host" | "router" | "inet" | "main" | "stranger" | "sw1" | "sw2";
const ROLES: Role[] = ["host", "router", "inet", "main", "stranger", "sw1", "sw2"];

/** The router interface a client's switch hangs off. */
export type LanPort = "ens7" | "ens8";

export interface LabOptions {
  /** Namespace prefix; default a fresh `randomPrefix()`. */
  prefix?: string;
  /** Parent of the lab directory; default the OS temp dir. */
  baseDir?: string;
  /** Keep the lab directory (logs, state) after `down()`. Default: env LAB_KEEP=1. */
  keepDir?: boolean;
}

export interface LabClient {
  name: string;
  ns: string;
  mac: string;
  lan: LanPort;
  /** Holds the udhcpc script, its events.log and lease.env. */
  dir: string;
}

/** A client's current lease as its udhcpc script recorded it. */
export interface ClientLease {
  ip: string;
  subnet: string;
  routers: string[];
  dns: string[];
  domain: string;
  leaseSeconds: number;
  serverId: string;
}

export interface RouterctlOptions extends RunOptions {
  /** Namespace role to run from. Default "host". */
  from?: Role;
  /** Override ROUTERCTL_TARGET (default 192.168.130.2:7443). */
  target?: string;
}

/** Finds the repository root (the directory with router-agent's package.json). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && existsSync(join(dir, "agent"))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error("lab: cannot find the repository root above this file");
    dir = up;
  }
}

export class Lab {
  readonly prefix: string;
  readonly dir: string;
  readonly root: string;
  private readonly keepDir: boolean;
  private readonly procs = new ProcessGroup();
  private readonly clientsByName = new Map<string, LabClient>();
  private state: "down" | "up" = "down";

  constructor(opts: LabOptions = {}) {
    this.prefix = opts.prefix ?? randomPrefix();
    this.dir = join(opts.baseDir ?? tmpdir(), `router-agent-lab-${this.prefix}`);
    this.keepDir = opts.keepDir ?? process.env.LAB_KEEP === "1";
    this.root = repoRoot();
  }

  /** The namespace name for a role. */
  ns(role: Role): string {
    return `${this.prefix}-${role}`;
  }

  get isUp(): boolean {
    return this.state === "up";
  }

  get clients(): LabClient[] {
    return [...this.clientsByName.values()];
  }

  /**
   * Builds the topology and starts the pretend internet (HTTP + DNS) and the
   * main-network host. Does nothing if already up. On failure tears down
   * whatever was built and rethrows.
   */
  async up(): Promise<void> {
    if (this.state === "up") return;
    try {
      await this.build();
      this.state = "up";
    } catch (err) {
      await this.down().catch(() => undefined);
      throw err;
    }
  }

  private async build(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, "responder.mjs"), RESPONDER_JS);
    await writeFile(join(this.dir, "lab.json"), `${JSON.stringify(this.describe(), null, 2)}\n`);
    for (const role of ROLES) await addNamespace(this.ns(role));
    const host = this.ns("host");

    // WAN segment: the host's bridge (Slicer's brrouter0) with the router and a stranger.
    await addBridge(host, "br-wan");
    await addAddress(host, "br-wan", `${LAB_ADDR.wanGateway}/24`);
    await addVeth({ ns: host, ifname: "wan-router" }, { ns: this.ns("router"), ifname: "eth0" });
    await setMaster(host, "wan-router", "br-wan");
    await addVeth(
      { ns: host, ifname: "wan-stranger" },
      { ns: this.ns("stranger"), ifname: "eth0" },
    );
    await setMaster(host, "wan-stranger", "br-wan");
    await addAddress(this.ns("router"), "eth0", `${LAB_ADDR.wanRouter}/24`);
    await addRoute(this.ns("router"), "default", LAB_ADDR.wanGateway);
    await addAddress(this.ns("stranger"), "eth0", `${LAB_ADDR.wanStranger}/24`);
    await addRoute(this.ns("stranger"), "default", LAB_ADDR.wanGateway);

    // The pretend internet and the main network behind the host.
    await addVeth({ ns: host, ifname: "inet0" }, { ns: this.ns("inet"), ifname: "eth0" });
    await addAddress(host, "inet0", `${LAB_ADDR.internetGateway}/24`);
    await addAddress(this.ns("inet"), "eth0", `${LAB_ADDR.internetServer}/24`);
    await addRoute(this.ns("inet"), "default", LAB_ADDR.internetGateway);
    await addVeth({ ns: host, ifname: "main0" }, { ns: this.ns("main"), ifname: "eth0" });
    await addAddress(host, "main0", `${LAB_ADDR.mainGateway}/24`);
    await addAddress(this.ns("main"), "eth0", `${LAB_ADDR.mainHost}/24`);
    await addRoute(this.ns("main"), "default", LAB_ADDR.mainGateway);
    await setSysctl(host, "net.ipv4.ip_forward", "1");
    // A route into the LANs, so "the WAN cannot open connections to LAN
    // clients" is decided by the router's firewall, not by a missing route.
    await addRoute(host, "10.88.0.0/16", LAB_ADDR.wanRouter);

    // The LAN switches: router ens7/ens8 each hang off a bridge in sw1/sw2.
    for (const [sw, port] of [
      ["sw1", "ens7"],
      ["sw2", "ens8"],
    ] as const) {
      await addBridge(this.ns(sw), "br0");
      await addVeth({ ns: this.ns(sw), ifname: "up0" }, { ns: this.ns("router"), ifname: port });
      await setMaster(this.ns(sw), "up0", "br0");
    }

    await this.startResponder("inet", "internet", LAB_ADDR.internetServer, 80);
    await this.startResponder("main", "mainnet", LAB_ADDR.mainHost, 80);
    await this.startInternetDns();
  }

  /**
   * Kills every process the lab started and everything else still inside its
   * namespaces, deletes all `${prefix}-*` namespaces and (unless keepDir) the
   * lab directory. Idempotent; tries every step and throws one error listing
   * all failures.
   */
  async down(): Promise<void> {
    const errors: unknown[] = [];
    await this.procs.stopAll(2_000).catch((e) => errors.push(e));
    await cleanupStale(this.prefix).catch((e) => errors.push(e));
    this.clientsByName.clear();
    if (!this.keepDir)
      await rm(this.dir, { recursive: true, force: true }).catch((e) => errors.push(e));
    this.state = "down";
    if (errors.length > 0)
      throw new AggregateError(errors, `lab ${this.prefix}: teardown incomplete`);
  }

  /** What a person or `make demo-down` needs to find this lab again. */
  describe(): { prefix: string; dir: string; namespaces: Record<Role, string> } {
    const namespaces = Object.fromEntries(ROLES.map((r) => [r, this.ns(r)])) as Record<
      Role,
      string
    >;
    return { prefix: this.prefix, dir: this.dir, namespaces };
  }

  /** Runs a command inside a role's (or a client's) namespace. */
  exec(
    where: Role | LabClient,
    cmd: string,
    args: string[],
    opts: RunOptions = {},
  ): Promise<RunResult> {
    return nsRun(this.nsOf(where), cmd, args, opts);
  }

  /** Starts a background process inside a namespace; stopped by `down()`. */
  spawn(where: Role | LabClient, opts: Omit<StartOptions, "ns">): BackgroundProcess {
    return this.procs.start({ ...opts, ns: this.nsOf(where) });
  }

  /** A file path inside the lab directory. */
  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  private nsOf(where: Role | LabClient): string {
    return typeof where === "string" ? this.ns(where) : where.ns;
  }

  // ---- services -----------------------------------------------------------

  /**
   * Starts the HTTP responder on address:port inside a namespace; it logs
   * each peer to `<dir>/http-<label>.log` (see `httpPeers`). Resolves once it
   * listens.
   */
  async startResponder(
    where: Role | LabClient,
    label: string,
    address: string,
    port: number,
  ): Promise<BackgroundProcess> {
    const log = this.path(`http-${label}.log`);
    await writeFile(log, "", { flag: "a" });
    const proc = this.spawn(where, {
      name: `http-${label}`,
      cmd: process.execPath,
      args: [this.path("responder.mjs"), label, address, String(port), log],
      logFile: this.path(`http-${label}.out`),
    });
    await waitFor(
      async () => {
        if (!proc.running())
          throw new Error(`responder ${label} exited: ${await this.readLog(proc.logFile)}`);
        return (await this.readLog(proc.logFile)).includes("listening");
      },
      { what: `HTTP responder ${label} to listen`, timeoutMs: 10_000, intervalMs: 50 },
    );
    return proc;
  }

  /** The peer addresses the responder `label` has seen, oldest first. */
  async httpPeers(label: string): Promise<string[]> {
    const text = await this.readLog(this.path(`http-${label}.log`));
    return text
      .split("\n")
      .filter(Boolean)
      .map((l) => l.split(" ")[0] ?? "");
  }

  private async startInternetDns(): Promise<void> {
    const args = [
      "--keep-in-foreground",
      "--conf-file=/dev/null",
      "--no-resolv",
      "--no-hosts",
      "--bind-interfaces",
      `--listen-address=${LAB_ADDR.internetServer}`,
      `--pid-file=${this.path("inet-dns.pid")}`,
      "--log-queries",
      "--log-facility=-",
      ...INTERNET_NAMES.map((n) => `--address=/${n}/${LAB_ADDR.internetServer}`),
    ];
    const proc = this.spawn("inet", {
      name: "inet-dns",
      cmd: "dnsmasq",
      args,
      logFile: this.path("inet-dns.log"),
    });
    await waitFor(
      async () => {
        if (!proc.running()) throw new Error(`dnsmasq exited: ${await this.readLog(proc.logFile)}`);
        const r = await this.exec("inet", "ss", ["-Hlun", `sport = :53`], { allowFail: true });
        return r.stdout.includes(LAB_ADDR.internetServer);
      },
      { what: "internet DNS server to listen", timeoutMs: 10_000, intervalMs: 50 },
    );
  }

  // ---- clients ------------------------------------------------------------

  /**
   * Adds a client namespace `${prefix}-c-${name}` whose eth0 (with `mac`)
   * plugs into the switch behind the router's `lan` port. Names are 1..10
   * chars of [a-z0-9]. The client has no address until `startDhcp`.
   */
  async addClient(name: string, opts: { lan?: LanPort; mac?: string } = {}): Promise<LabClient> {
    if (!/^[a-z0-9]{1,10}$/.test(name)) throw new Error(`lab: bad client name "${name}"`);
    const existing = this.clientsByName.get(name);
    if (existing) return existing;
    const lan = opts.lan ?? "ens7";
    const index = this.clientsByName.size + 1;
    const mac = opts.mac ?? `02:1a:b0:00:00:${index.toString(16).padStart(2, "0")}`;
    const client: LabClient = {
      name,
      ns: `${this.prefix}-c-${name}`,
      mac,
      lan,
      dir: this.path("clients", name),
    };
    await mkdir(client.dir, { recursive: true });
    await addNamespace(client.ns);
    this.clientsByName.set(name, client);
    const sw = this.ns(lan === "ens7" ? "sw1" : "sw2");
    await addVeth({ ns: client.ns, ifname: "eth0", mac }, { ns: sw, ifname: `p-${name}` });
    await setMaster(sw, `p-${name}`, "br0");
    const script = join(client.dir, "udhcpc.sh");
    await writeFile(script, udhcpcScript(client.dir));
    await chmod(script, 0o755);
    return client;
  }

  /** Starts busybox udhcpc in the client (hostname option = client name). */
  startDhcp(client: LabClient): BackgroundProcess {
    return this.spawn(client, {
      name: `udhcpc-${client.name}`,
      cmd: "busybox",
      args: [
        "udhcpc",
        "-f",
        "-i",
        "eth0",
        "-s",
        join(client.dir, "udhcpc.sh"),
        "-x",
        `hostname:${client.name}`,
        "-t",
        "3",
        "-T",
        "1",
        "-A",
        "1",
        "-p",
        join(client.dir, "udhcpc.pid"),
      ],
      logFile: join(client.dir, "udhcpc.log"),
    });
  }

  /** The client's current lease, or undefined if it has none. */
  async lease(client: LabClient): Promise<ClientLease | undefined> {
    const text = await this.readLog(join(client.dir, "lease.env"));
    if (!text) return undefined;
    const v = parseLeaseEnv(text);
    const words = (s: string | undefined) => (s ?? "").split(/\s+/).filter(Boolean);
    return {
      ip: v.ip ?? "",
      subnet: v.subnet ?? "",
      routers: words(v.router),
      dns: words(v.dns),
      domain: v.domain ?? "",
      leaseSeconds: Number(v.lease ?? 0),
      serverId: v.serverid ?? "",
    };
  }

  /** Waits for the client's lease (udhcpc must be running). */
  waitForLease(client: LabClient, timeoutMs = 30_000): Promise<ClientLease> {
    return waitFor(() => this.lease(client), {
      timeoutMs,
      what: `a DHCP lease for ${client.name}`,
    });
  }

  /** The udhcpc events seen so far ("bound ip=...", "renew ip=...", ...). */
  async dhcpEvents(client: LabClient): Promise<string[]> {
    return (await this.readLog(join(client.dir, "events.log"))).split("\n").filter(Boolean);
  }

  /**
   * Asks udhcpc to renew now (SIGUSR1) and waits until it logs a new
   * bound/renew event. Throws if none arrives within `timeoutMs`.
   */
  async renew(client: LabClient, timeoutMs = 20_000): Promise<string> {
    const before = (await this.dhcpEvents(client)).length;
    const pid = Number((await this.readLog(join(client.dir, "udhcpc.pid"))).trim());
    if (!pid) throw new Error(`lab: udhcpc for ${client.name} is not running`);
    process.kill(pid, "SIGUSR1");
    return waitFor(
      async () =>
        (await this.dhcpEvents(client)).slice(before).find((e) => /^(bound|renew) /.test(e)),
      { timeoutMs, what: `a DHCP renew by ${client.name}` },
    );
  }

  // ---- probes -------------------------------------------------------------

  /** HTTP GET from a namespace; never throws on network failure. */
  async fetch(
    from: Role | LabClient,
    url: string,
    timeoutSec = 3,
  ): Promise<{ ok: boolean; body: string }> {
    const r = await this.exec(from, "curl", ["-sS", "--max-time", String(timeoutSec), url], {
      allowFail: true,
      timeoutMs: (timeoutSec + 5) * 1000,
    });
    return { ok: r.code === 0, body: r.code === 0 ? r.stdout : r.stderr };
  }

  /** One ICMP echo from a namespace; true if answered within `timeoutSec`. */
  async ping(from: Role | LabClient, address: string, timeoutSec = 2): Promise<boolean> {
    const r = await this.exec(
      from,
      "busybox",
      ["ping", "-c", "1", "-W", String(timeoutSec), address],
      {
        allowFail: true,
        timeoutMs: (timeoutSec + 5) * 1000,
      },
    );
    return r.code === 0;
  }

  /** Resolves `name` against `server` with busybox nslookup; the IPv4 answers, [] if none. */
  async resolve(from: Role | LabClient, name: string, server: string): Promise<string[]> {
    const r = await this.exec(from, "busybox", ["nslookup", "-type=a", name, server], {
      allowFail: true,
      timeoutMs: 15_000,
    });
    const answer = r.stdout
      .split(/\n\s*\n/)
      .slice(1)
      .join("\n");
    return [...answer.matchAll(/Address:\s*(\d+\.\d+\.\d+\.\d+)/g)].map((m) => m[1] ?? "");
  }

  /**
   * Starts a continuous ping (every 200 ms) from a namespace; `stop()` on the
   * returned handle ends it and reports sent, received and the lost sequence
   * numbers.
   */
  startPing(from: Role | LabClient, address: string, label = "ping"): PingHandle {
    const log = this.path(`${label}.log`);
    const proc = this.spawn(from, {
      name: label,
      cmd: "busybox",
      args: ["ping", "-i", "0.2", "-W", "1", address],
      logFile: log,
    });
    const read = async (): Promise<PingReport> => parsePing(await this.readLog(log));
    return {
      proc,
      report: read,
      async stop() {
        await proc.stop({ sig: "SIGINT", graceMs: 2_000 });
        return read();
      },
    };
  }

  async readLog(file: string): Promise<string> {
    try {
      return await readFile(file, "utf8");
    } catch {
      return "";
    }
  }

  /** Lists this lab's namespaces as they exist right now. */
  async namespaces(): Promise<string[]> {
    return (await listNamespaces()).filter((n) => n.startsWith(`${this.prefix}-`));
  }
}

export interface PingReport {
  /** How many echo requests were answered. */
  answered: number;
  /** Sequence numbers below the highest answered one that got no reply. */
  lost: number[];
}

export interface PingHandle {
  proc: BackgroundProcess;
  report(): Promise<PingReport>;
  stop(): Promise<PingReport>;
}

/** Parses busybox ping output ("64 bytes from X: seq=N ttl=..."). */
export function parsePing(text: string): PingReport {
  const seqs = new Set<number>();
  for (const m of text.matchAll(/seq=(\d+)/g)) seqs.add(Number(m[1]));
  if (seqs.size === 0) return { answered: 0, lost: [] };
  const max = Math.max(...seqs);
  const lost: number[] = [];
  for (let i = 0; i <= max; i++) if (!seqs.has(i)) lost.push(i);
  return { answered: seqs.size, lost };
}
