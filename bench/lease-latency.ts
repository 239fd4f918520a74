/**
 * Bench: the REAL lease path and the real agent under 50 Subscribe streams.
 * Prints figures, asserts nothing. Needs root and `make build`.
 *
 *   make bench   (or: make build && npx esbuild bench/lease-latency.ts --bundle
 *                 --platform=node --format=esm --packages=external
 *                 --outfile=dist/bench/lease-latency.mjs
 *                 && node dist/bench/lease-latency.mjs 5)
 *
 * The argument is RUNS (default 5): N = clamp(10 × RUNS, 30, 100) leases for
 * the latency figure. BENCH_SECONDS (default 20) is the 50-stream window.
 *
 * It brings up the router lab (test/lab), starts the built agent in the router
 * namespace as the unit would (log level info) and applies the lab's seed
 * state. Then:
 *
 * 1. One `routerctl leases --watch --json` runs in the host namespace over
 *    mTLS to 192.168.130.2:7443, as a child process whose stdout this process
 *    reads line by line. A client namespace on ens7 takes N leases one after
 *    the other, each with a fresh MAC (`ip link set dev eth0 address`) and a
 *    one-shot `busybox udhcpc -q`. The path is dnsmasq → dhcp-script hook
 *    (sh) → FIFO → LeaseWatcher/LeaseTracker → gRPC Subscribe (TLS) →
 *    routerctl → its stdout, where each `add` line is stamped on arrival.
 * 2. The agent with no subscriber, then with 50 concurrent Subscribe streams
 *    (leases + counters at 1 s) from one client process in the host namespace
 *    (50 RouterClients, the code routerctl uses), while the client namespace
 *    takes a new lease about every second: the agent's CPU (utime + stime
 *    from /proc/<pid>/stat) and RSS, dnsmasq's RSS, and the lease latency to
 *    all 50 streams, stamped in the client process.
 *
 * The lease event's start is the DHCPACK entering the client namespace,
 * stamped through `nft monitor trace` (see `AckTracer`): dnsmasq commits the
 * lease and queues the hook when it sends that ACK. The udhcpc script's
 * "bound" (`date +%s%N`) is printed too, as the brief's first anchor, but
 * busybox udhcpc runs it 15–35 ms after the ACK, later than the agent
 * usually has the event, so "bound → client" is small or negative and
 * mostly measures udhcpc. Also printed: the agent's own event time (`at`,
 * `Date.now()` in whole ms, taken by the tracker in the same tick the FIFO
 * bytes arrive), which splits the path into hook and API halves.
 *
 * All stamps are unix ms from the one machine clock: `date +%s%N`,
 * `performance.timeOrigin + performance.now()` in Node (monotonic, which NTP
 * slews like the wall clock; only a clock step would skew it) and the agent's
 * `Date.now()`. A clock check line says whether `date` in a namespace falls
 * between two of this process's stamps.
 * The lab is torn down in `finally` and on SIGINT/SIGTERM.
 */
import { type ChildProcessByStdio, execFile, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Lease } from "../agent/src/runtime/router-runtime.js";
import { RouterClient, type Watch } from "../host-client/src/router-client.js";
import { Lab, type LabClient } from "../test/lab/lab.js";
import { LabAgent } from "../test/lab/lab-agent.js";
import { seedSpec } from "../test/lab/lab-specs.js";
import { sleep, waitFor } from "../test/lab/wait.js";
import { namespacePids } from "../test/support/netns.js";

const STREAMS = 50;
const COUNTER_INTERVAL_MS = 1000;
const WINDOW_SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const IDLE_SECONDS = Math.max(5, Math.round(WINDOW_SECONDS / 2));

/** Unix ms with sub-ms precision (the monotonic clock anchored to the wall clock at start). */
const now = () => performance.timeOrigin + performance.now();

/** `date +%s%N` output to unix ms; a double keeps the µs. */
const nsToMs = (ns: string) => Number(ns.slice(0, -6)) + Number(ns.slice(-6)) / 1e6;

// ---- figures ----------------------------------------------------------------

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function summary(values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  const f = (v: number) => v.toFixed(2);
  return `n=${s.length} p50=${f(percentile(s, 50))} ms p99=${f(percentile(s, 99))} ms min=${f(s[0] ?? Number.NaN)} ms max=${f(s.at(-1) ?? Number.NaN)} ms`;
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

// ---- /proc ------------------------------------------------------------------

const CLK_TCK = 100; // USER_HZ on Linux; checked against `getconf CLK_TCK` at start.

/** utime + stime of a process in ms, or undefined if it is gone. */
function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields after "(comm)": state is [0], utime [11], stime [12].
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return undefined;
  }
}

/** VmRSS / VmHWM (bytes) and Pss (bytes, from smaps_rollup) of a process. */
function memory(pid: number): { rss: number; hwm: number; pss: number } {
  const kb = (text: string, key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(text);
    return m ? Number(m[1]) * 1024 : Number.NaN;
  };
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  let pss = Number.NaN;
  try {
    pss = kb(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"), "Pss");
  } catch {
    // Older kernels have no smaps_rollup.
  }
  return { rss: kb(status, "VmRSS"), hwm: kb(status, "VmHWM"), pss };
}

function ppidOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
}

/** dnsmasq processes in the router namespace, the agent's child first. */
async function dnsmasqPids(lab: Lab, agentPid: number): Promise<number[]> {
  const pids: number[] = [];
  for (const pid of await namespacePids(lab.ns("router"))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "dnsmasq") pids.push(pid);
    } catch {
      // Exited meanwhile.
    }
  }
  return pids.sort((a, b) => Number(ppidOf(b) === agentPid) - Number(ppidOf(a) === agentPid));
}

// ---- the DHCPACK on the wire ----------------------------------------------------

/**
 * Stamps each DHCPACK as it enters the client namespace: an nft rule there
 * (prerouting, before anything else) marks UDP 67→68 packets whose first DHCP
 * option is message type 5 (dnsmasq puts it first) for tracing, and
 * `nft monitor trace` (line-buffered) reports each one; the line is stamped
 * when it reaches this process, so the stamp is at most a fraction of a ms
 * late. The client namespace is the bench's own; the agent's ruleset is not
 * touched.
 */
class AckTracer {
  private readonly stamps: number[] = [];
  private proc: ChildProcessByStdio<null, Readable, null> | undefined;

  constructor(
    private readonly lab: Lab,
    private readonly client: LabClient,
  ) {}

  async start(): Promise<void> {
    await this.lab.exec(this.client, "nft", ["-f", "-"], {
      input: `table ip bench_ack {
  chain pre {
    type filter hook prerouting priority -300; policy accept;
    udp sport 67 udp dport 68 @th,2000,8 5 meta nftrace set 1
  }
}
`,
    });
    this.proc = spawn(
      "ip",
      ["netns", "exec", this.client.ns, "stdbuf", "-oL", "nft", "monitor", "trace"],
      { stdio: ["ignore", "pipe", "ignore"] },
    );
    createInterface({ input: this.proc.stdout }).on("line", (line) => {
      const t = now();
      if (line.includes(" packet: ")) this.stamps.push(t);
    });
    await sleep(300); // the monitor subscribes to the trace group
  }

  /** The first ACK stamped in (from, to], if any. */
  firstBetween(from: number, to: number): number | undefined {
    return this.stamps.find((t) => t > from && t <= to);
  }

  stop(): void {
    if (this.proc?.exitCode === null) this.proc.kill("SIGTERM");
  }
}

// ---- the lease maker ----------------------------------------------------------

/**
 * The udhcpc script: stamps the wall clock (ns) first thing on "bound", then
 * appends "<ns> <ip>" to `file`. It configures nothing: the client only takes
 * leases.
 */
function boundScript(file: string): string {
  return `#!/bin/sh
[ "$1" = bound ] || exit 0
t=$(date +%s%N)
echo "$t $ip" >> '${file}'
`;
}

interface Bound {
  mac: string;
  ip: string;
  /** Unix ms when udhcpc ran its script for "bound". */
  boundAt: number;
  /** Unix ms just before udhcpc was started. */
  startedAt: number;
  /** Unix ms when the DHCPACK entered the client namespace; undefined if not traced. */
  ackAt: number | undefined;
}

/** Takes one lease after another in one client namespace, each with a fresh MAC. */
class LeaseMaker {
  private n = 0;
  private readonly stamps: string;
  private readonly script: string;

  constructor(
    private readonly lab: Lab,
    private readonly client: LabClient,
    private readonly macPrefix: string,
    private readonly acks: AckTracer,
  ) {
    this.stamps = join(client.dir, "bound.log");
    this.script = join(client.dir, "bound.sh");
  }

  async init(): Promise<void> {
    await writeFile(this.script, boundScript(this.stamps), { mode: 0o755 });
    await writeFile(this.stamps, "");
  }

  /** Sets a new MAC, runs udhcpc until bound, and returns what it got. Throws if no lease. */
  async next(): Promise<Bound> {
    const i = ++this.n;
    const mac = `${this.macPrefix}:${((i >> 8) & 0xff).toString(16).padStart(2, "0")}:${(i & 0xff).toString(16).padStart(2, "0")}`;
    await this.lab.exec(this.client, "ip", ["link", "set", "dev", "eth0", "address", mac]);
    const before = (await readFile(this.stamps, "utf8")).split("\n").filter(Boolean).length;
    const startedAt = now();
    const r = await this.lab.exec(
      this.client,
      "busybox",
      [
        "udhcpc",
        ...["-f", "-q", "-n", "-i", "eth0", "-s", this.script],
        ...["-x", `hostname:bench${i}`, "-t", "5", "-T", "1"],
      ],
      { allowFail: true, timeoutMs: 20_000 },
    );
    const line = (await readFile(this.stamps, "utf8")).split("\n").filter(Boolean)[before];
    if (!line) throw new Error(`udhcpc got no lease for ${mac} (exit ${r.code}): ${r.stderr}`);
    const [ns, ip] = line.split(" ") as [string, string];
    const boundAt = nsToMs(ns);
    await sleep(5); // the trace line of the ACK, should it trail udhcpc's exit
    return { mac, ip, boundAt, startedAt, ackAt: this.acks.firstBetween(startedAt, now()) };
  }
}

// ---- the routerctl watch (part 1) ----------------------------------------------

interface Arrival {
  /** Unix ms when the line reached this process. */
  t: number;
  /** The agent's event time (unix ms). */
  at: number;
  ip: string;
}

/** `routerctl leases --watch --json` in the host namespace, stdout piped here. */
class RouterctlWatch {
  private readonly arrivals = new Map<string, Arrival>();
  private readonly waiters = new Map<string, (a: Arrival) => void>();
  private snapshot = false;
  readonly proc: ChildProcessByStdio<null, Readable, Readable>;
  private stderr = "";

  constructor(lab: Lab, agent: LabAgent) {
    this.proc = spawn(
      "ip",
      [
        "netns",
        "exec",
        lab.ns("host"),
        process.execPath,
        agent.routerctlJs,
        "leases",
        "--watch",
        "--json",
      ],
      { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...agent.env() } },
    );
    this.proc.stderr.setEncoding("utf8").on("data", (d: string) => {
      this.stderr += d;
    });
    createInterface({ input: this.proc.stdout }).on("line", (line) => this.onLine(line));
  }

  private onLine(line: string): void {
    const t = now();
    let doc: { leases?: unknown; event?: string; at?: string; lease?: Lease };
    try {
      doc = JSON.parse(line) as typeof doc;
    } catch {
      return;
    }
    if (doc.leases) this.snapshot = true;
    if (doc.event !== "add" || !doc.lease || !doc.at) return;
    const a: Arrival = { t, at: Date.parse(doc.at), ip: doc.lease.ip };
    this.arrivals.set(doc.lease.mac, a);
    this.waiters.get(doc.lease.mac)?.(a);
  }

  ready(): Promise<boolean> {
    return waitFor(
      () => {
        if (this.proc.exitCode !== null) throw new Error(`routerctl exited: ${this.stderr}`);
        return this.snapshot;
      },
      { timeoutMs: 20_000, intervalMs: 20, what: "routerctl leases --watch to print the table" },
    );
  }

  /** The `add` event for `mac`; rejects after `timeoutMs`. */
  arrival(mac: string, timeoutMs = 40_000): Promise<Arrival> {
    const seen = this.arrivals.get(mac);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(mac);
        reject(new Error(`no add event for ${mac} within ${timeoutMs} ms; ${this.stderr}`));
      }, timeoutMs);
      this.waiters.set(mac, (a) => {
        clearTimeout(timer);
        this.waiters.delete(mac);
        resolve(a);
      });
    });
  }

  stop(): void {
    if (this.proc.exitCode === null) this.proc.kill("SIGTERM");
  }
}

// ---- the 50-stream subscriber (part 2, a child process in the host namespace) --

interface SubscriberLine {
  ready?: number;
  tick?: number;
  samples?: number;
  duplicates?: number;
  reconnects?: number;
  resets?: number;
  lease?: { s: number; mac: string; ip: string; at: number; t: number };
}

/**
 * `--subscriber STREAMS INTERVAL_MS`: opens STREAMS RouterClient watches
 * (leases + counters) to ROUTERCTL_TARGET with the ROUTERCTL_CA/CERT/KEY
 * files, prints one JSON line per lease `add` per stream (stamped on arrival),
 * `{"ready"}` once every stream has its snapshot, and totals every second.
 * Exits on SIGTERM.
 */
async function runSubscriber(streams: number, intervalMs: number): Promise<void> {
  const env = (k: string) => {
    const v = process.env[k];
    if (!v) throw new Error(`--subscriber needs ${k}`);
    return v;
  };
  const opts = {
    target: env("ROUTERCTL_TARGET"),
    ca: readFileSync(env("ROUTERCTL_CA")),
    cert: readFileSync(env("ROUTERCTL_CERT")),
    key: readFileSync(env("ROUTERCTL_KEY")),
  };
  const print = (doc: SubscriberLine) => process.stdout.write(`${JSON.stringify(doc)}\n`);
  const clients: RouterClient[] = [];
  const watches: Watch[] = [];
  let synced = 0;
  let samples = 0;
  let duplicates = 0;
  let reconnects = 0;
  let resets = 0;
  for (let s = 0; s < streams; s++) {
    const client = new RouterClient(opts);
    clients.push(client);
    watches.push(
      client.watch(
        { leases: true, counters: true, counter_interval_ms: intervalMs },
        {
          onSync: () => {
            if (++synced === streams) print({ ready: now() });
          },
          onLeaseEvent: (e) => {
            const t = now();
            if (e.action === "add")
              print({ lease: { s, mac: e.lease.mac, ip: e.lease.ip, at: e.at, t } });
          },
          onCounters: (c) => {
            samples++;
            duplicates += c.duplicates;
          },
          onReset: () => {
            resets++;
          },
          onReconnect: () => {
            reconnects++;
          },
        },
      ),
    );
  }
  const tick = setInterval(
    () => print({ tick: now(), samples, duplicates, reconnects, resets }),
    1000,
  );
  process.once("SIGTERM", () => {
    clearInterval(tick);
    print({ tick: now(), samples, duplicates, reconnects, resets });
    for (const w of watches) w.cancel();
    for (const c of clients) c.close();
    process.exit(0);
  });
}

async function subscriberLines(file: string): Promise<SubscriberLine[]> {
  const text = await readFile(file, "utf8").catch(() => "");
  return text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as SubscriberLine];
      } catch {
        return [];
      }
    });
}

// ---- the bench ----------------------------------------------------------------

interface CpuWindow {
  cpuPercent: number;
  seconds: number;
}

/** Agent CPU over a window in which `during` runs (and at least `seconds` pass). */
async function cpuOver(
  pid: number,
  seconds: number,
  during: () => Promise<void>,
  onSecond: () => void,
): Promise<CpuWindow> {
  const c0 = cpuMs(pid) ?? Number.NaN;
  const w0 = now();
  const poll = setInterval(onSecond, 1000);
  try {
    await Promise.all([during(), sleep(seconds * 1000)]);
  } finally {
    clearInterval(poll);
  }
  const c1 = cpuMs(pid) ?? Number.NaN;
  const w1 = now();
  return { cpuPercent: (100 * (c1 - c0)) / (w1 - w0), seconds: (w1 - w0) / 1000 };
}

/** One lease: its stamps along the path (unix ms). */
interface Sample {
  bound: Bound;
  /** The agent's event time (whole ms). */
  at: number;
  /** Arrival at the Subscribe client. */
  t: number;
}

/** The latency lines for a set of samples; `to` names the receiving end. */
function report(samples: Sample[], to: string): string[] {
  const acked = samples.flatMap((x) =>
    x.bound.ackAt === undefined ? [] : [{ ...x, ack: x.bound.ackAt }],
  );
  const out: string[] = [];
  if (acked.length > 0) {
    out.push(
      `  DHCPACK → ${to}:  ${summary(acked.map((x) => x.t - x.ack))}   ← the lease event as the host sees it`,
      `    DHCPACK → agent event:       ${summary(acked.map((x) => x.at - x.ack))}   (dnsmasq, hook script, FIFO, tracker)`,
      `    agent event → ${to}:  ${summary(samples.map((x) => x.t - x.at))}   (gRPC over mTLS to the host ns and the client; whole-ms agent stamp)`,
    );
  } else {
    out.push(
      "  DHCPACK not traced (nft monitor trace gave nothing): only the udhcpc-anchored figures",
      `    agent event → ${to}:  ${summary(samples.map((x) => x.t - x.at))}`,
    );
  }
  out.push(
    `    client bound → ${to}:  ${summary(samples.map((x) => x.t - x.bound.boundAt))}   (udhcpc's bound script runs late, so this is small or < 0)`,
  );
  if (acked.length > 0)
    out.push(
      `    DHCPACK → udhcpc bound script: ${summary(acked.map((x) => x.bound.boundAt - x.ack))}   (the client's own delay, for the line above)`,
    );
  return out;
}

async function runBench(runs: number): Promise<void> {
  const n = Math.min(100, Math.max(30, 10 * runs));
  const tck = (await promisify(execFile)("getconf", ["CLK_TCK"])).stdout.trim();
  if (tck !== String(CLK_TCK)) throw new Error(`CLK_TCK is ${tck}, this bench assumes 100`);

  const lab = new Lab();
  const agent = new LabAgent(lab, { logLevel: "info" });
  let watch: RouterctlWatch | undefined;
  let acks: AckTracer | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = () => {
    cleaning ??= (async () => {
      watch?.stop();
      acks?.stop();
      await lab.down().catch((err) => console.error(`lab teardown: ${(err as Error).message}`));
    })();
    return cleaning;
  };
  const onSignal = (sig: NodeJS.Signals) => {
    console.error(`\n${sig}: tearing the lab down`);
    void cleanup().then(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    await lab.up();
    await agent.start();
    await agent.applySpec(seedSpec(), "initial", ["--reason", "bench"]);
    const agentPid = agent.process?.pid;
    if (!agentPid) throw new Error("the agent is not running");
    const client = await lab.addClient("bench", { mac: "02:be:0c:00:00:01" });
    acks = new AckTracer(lab, client);
    await acks.start();
    const maker = new LeaseMaker(lab, client, "02:be:0c:00", acks);
    await maker.init();

    // Same clock everywhere? `date +%s%N` in a namespace must fall between two stamps here.
    const c0 = now();
    const dateMs = nsToMs((await lab.exec(client, "date", ["+%s%N"])).stdout.trim());
    const c1 = now();
    const clockOk = dateMs >= c0 && dateMs <= c1;

    // ---- 1. lease → one routerctl --watch over mTLS ----
    watch = new RouterctlWatch(lab, agent);
    await watch.ready();
    const one: Sample[] = [];
    const exchange: number[] = [];
    let mismatched = 0;
    for (let i = 0; i < n; i++) {
      const bound = await maker.next();
      const a = await watch.arrival(bound.mac);
      if (a.ip !== bound.ip) mismatched++;
      one.push({ bound, at: a.at, t: a.t });
      exchange.push(bound.boundAt - bound.startedAt);
    }
    watch.stop();

    console.log(
      `real lease path, ${n} new leases one at a time: dnsmasq → dhcp-script hook (sh) → FIFO → LeaseTracker → Subscribe over mTLS → \`routerctl leases --watch --json\` in the host ns`,
    );
    for (const line of report(one, "routerctl line")) console.log(line);
    console.log(
      `    udhcpc start → bound (context): ${summary(exchange)}   (the whole exchange; the ~3 s ones look like dnsmasq's ping check of a fresh address)`,
    );
    if (mismatched > 0)
      console.log(`  ${mismatched} events carried another IP than the client got`);
    console.log(
      `  clock check: \`date +%s%N\` in a lab namespace ${clockOk ? "fell between" : "did NOT fall between"} two stamps of this process`,
    );

    // ---- 2. the agent with no subscriber, then with 50 streams ----
    await sleep(1000);
    const memIdle = memory(agentPid);
    const idle = await cpuOver(
      agentPid,
      IDLE_SECONDS,
      async () => undefined,
      () => undefined,
    );
    console.log(
      `agent with no Subscribe stream over ${idle.seconds.toFixed(1)} s: CPU ${idle.cpuPercent.toFixed(1)}% of one core, RSS ${mib(memIdle.rss)} (PSS ${mib(memIdle.pss)})`,
    );

    const subLog = lab.path("subscriber.jsonl");
    const sub = lab.spawn("host", {
      name: "subscriber",
      cmd: process.execPath,
      args: [
        fileURLToPath(import.meta.url),
        "--subscriber",
        String(STREAMS),
        String(COUNTER_INTERVAL_MS),
      ],
      logFile: subLog,
      env: agent.env(),
    });
    await waitFor(
      async () => {
        if (!sub.running()) throw new Error(`subscriber exited: ${await lab.readLog(subLog)}`);
        return (await subscriberLines(subLog)).some((l) => l.ready !== undefined);
      },
      { timeoutMs: 60_000, intervalMs: 100, what: `${STREAMS} Subscribe streams to sync` },
    );
    await sleep(2000); // let the streams settle
    const conns = (
      await lab.exec("host", "ss", ["-Htn", "state", "established", "( dport = :7443 )"])
    ).stdout
      .split("\n")
      .filter(Boolean).length;

    const bounds: Bound[] = [];
    let peakRss = memory(agentPid).rss;
    const rss0 = peakRss;
    const deadline = now() + WINDOW_SECONDS * 1000;
    const busy = await cpuOver(
      agentPid,
      WINDOW_SECONDS,
      async () => {
        // A new lease about every second, until the window closes.
        while (now() + 1000 < deadline) {
          const next = now() + 1000;
          bounds.push(await maker.next());
          await sleep(Math.max(0, next - now()));
        }
      },
      () => {
        peakRss = Math.max(peakRss, memory(agentPid).rss);
      },
    );
    const memBusy = memory(agentPid);
    const dnsmasq = (await dnsmasqPids(lab, agentPid)).map((pid) => ({ pid, mem: memory(pid) }));
    await sleep(1000); // the last event in flight
    await sub.stop({ graceMs: 3000 });

    const lines = await subscriberLines(subLog);
    const last = lines.filter((l) => l.tick !== undefined).at(-1);
    const byMac = new Map(bounds.map((b) => [b.mac, b]));
    const fifty: Sample[] = [];
    for (const l of lines) {
      const e = l.lease;
      const bound = e && byMac.get(e.mac);
      if (e && bound) fifty.push({ bound, at: e.at, t: e.t });
    }

    console.log(
      `agent with ${STREAMS} Subscribe streams (leases + counters @${COUNTER_INTERVAL_MS / 1000}s from one RouterClient process in the host ns, ${conns} TCP connection${conns === 1 ? "" : "s"}) and ${bounds.length} new leases over ${busy.seconds.toFixed(1)} s:`,
    );
    console.log(
      `  agent: CPU ${busy.cpuPercent.toFixed(1)}% of one core, RSS ${mib(memBusy.rss)} (${mib(rss0)} at start, peak ${mib(peakRss)} sampled each second, PSS ${mib(memBusy.pss)}, lifetime high-water ${mib(memBusy.hwm)})`,
    );
    for (const d of dnsmasq) {
      const role =
        ppidOf(d.pid) === agentPid ? "dnsmasq (the agent's child)" : "dnsmasq's script helper";
      console.log(`  ${role}: RSS ${mib(d.mem.rss)} (PSS ${mib(d.mem.pss)})`);
    }
    for (const line of report(fifty, `${STREAMS} streams`)) console.log(line);
    console.log(
      `    udhcpc start → bound (context): ${summary(bounds.map((b) => b.boundAt - b.startedAt))}`,
    );
    console.log(
      `    deliveries: ${fifty.length} of ${bounds.length * STREAMS}; counter samples ${last?.samples ?? 0}, coalesced ${last?.duplicates ?? 0}, reconnects ${last?.reconnects ?? 0}, resets ${last?.resets ?? 0}`,
    );
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await cleanup();
  }
}

if (process.argv[2] === "--subscriber")
  await runSubscriber(Number(process.argv[3]), Number(process.argv[4]));
else await runBench(Number(process.argv[2] ?? 5) || 5);
