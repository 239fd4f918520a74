/**
 * Footprint benchmark: the agent's memory as a running process. Prints
 * figures, asserts nothing. Root only: each agent runs in a throwaway network
 * namespace (random `ra<hex>-` prefix, removed at the end) with real nft and
 * dnsmasq, restored from a state directory holding the seed scenario, with
 * the packaged agent.yaml's listeners (unix socket + mTLS on
 * 192.168.130.2:7443) up.
 *
 * Two builds, each started as `ip netns exec NS <node> <flags> <script>
 * --config FILE`:
 *   - dist: `node dist/agent/src/main.js` on this machine's node, no flags
 *     (`make build`; skipped when missing);
 *   - release: the x64/arm64 tarball in release/ (its bin/node, lib/ and the
 *     node flags of its unit's ExecStart); without one, the current source
 *     bundled now (packaging/bundle.ts) on the Node.js runtime cached in
 *     .cache/node, with the flags of packaging/systemd/router-agent.service;
 *     skipped when neither exists (`make release`).
 *
 * Per build, medians of RUNS fresh starts:
 *   - RSS 3 s, 10 s and 30 s ("settled") after "API listening" (node 20's
 *     memory reducer shrinks the heap somewhere between 10 and 20 s);
 *   - anonymous and file-backed RSS (/proc/PID/status), PSS
 *     (/proc/PID/smaps_rollup), settled;
 *   - V8 heap used/total, settled, from a diagnostic report written on SIGUSR2
 *     (node runs with --report-on-signal; no --expose-gc, nothing in the agent);
 *   - RSS 3 s after a drift check (SIGHUP);
 *   - dnsmasq's RSS and PSS, separately (it is the agent's child).
 * Then once per build, for two limit specs (test/support/limit-specs.ts: 100k
 * CIDRs + 10k static leases; and every list at its limit, adding 10k host
 * records and 100k blocked domains): a fresh agent gets the spec pushed twice
 * over the API (two variants, so every entry changes); printed: how each push
 * went (time, answer, whether the agent survived), the peak RSS (VmHWM) and
 * the figures 30 s later.
 *
 * FOOTPRINT_NODE_FLAGS="--flag ..." replaces the node flags of both builds
 * (to try flags without rebuilding); FOOTPRINT_BUILDS=dist or =release runs one;
 * FOOTPRINT_LIMITS=0 skips the limit specs.
 *
 * Run (after `make build`, and `make release` for the release figures):
 *   npx esbuild bench/footprint.ts --bundle --platform=node --format=esm \
 *     --packages=external --outfile=dist/bench/footprint.mjs && node dist/bench/footprint.mjs [runs]
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RouterSpec } from "../agent/src/model/types.js";
import { initPki } from "../host-client/src/pki.js";
import { RouterClient } from "../host-client/src/router-client.js";
import { bundle } from "../packaging/bundle.js";
import { limitSpec } from "../test/support/limit-specs.js";
import { cleanupStale, randomPrefix } from "../test/support/netns.js";
import { type NsAgent, parseExecStart, startNsAgent } from "../test/support/ns-agent.js";
import { specWith } from "../test/support/runtime-specs.js";

const RUNS = Number(process.argv[2] ?? 5);
const ROOT = process.cwd();
const prefix = randomPrefix();
let agents = 0;

/** The seed, kept off the internet: no upstreams. */
const SEED = specWith((s) => {
  s.dns.upstreams = [];
});

interface Build {
  label: string;
  node: string;
  nodeFlags: string[];
  script: string;
}

/** Memory of one process, KiB. */
interface Memory {
  rss: number;
  hwm: number;
  pss: number;
  /** Anonymous pages (heaps, stacks, JIT code): what the process really costs. */
  anon: number;
  /** File-backed pages (mostly node's own binary): clean, reclaimable, shared. */
  file: number;
}

interface Heap {
  used: number;
  total: number;
}

function kib(text: string, field: string): number {
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? Number.NaN);
}

function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  return {
    rss: kib(status, "VmRSS"),
    hwm: kib(status, "VmHWM"),
    pss: kib(rollup, "Pss"),
    anon: kib(status, "RssAnon"),
    file: kib(status, "RssFile"),
  };
}

/** The agent's dnsmasq child, if it runs. */
function dnsmasqOf(pid: number): number | undefined {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/);
  for (const c of children) {
    if (c === "") continue;
    try {
      if (readFileSync(`/proc/${c}/comm`, "utf8").trim() === "dnsmasq") return Number(c);
    } catch {
      // exited meanwhile
    }
  }
  return undefined;
}

/** The V8 heap from a diagnostic report: SIGUSR2, then the newest report in `dir`. */
async function heapOf(agent: NsAgent, dir: string): Promise<Heap> {
  const before = new Set(readdirSync(dir));
  process.kill(agent.pid, "SIGUSR2");
  const deadline = Date.now() + 10_000;
  for (;;) {
    const fresh = readdirSync(dir).filter((f) => f.startsWith("report.") && !before.has(f));
    if (fresh.length > 0) {
      const path = join(dir, fresh[0] as string);
      // The report is written in one go; retry until it parses.
      try {
        const r = JSON.parse(readFileSync(path, "utf8")) as {
          javascriptHeap: { usedMemory: number; totalMemory: number };
        };
        rmSync(path);
        return {
          used: r.javascriptHeap.usedMemory / 1024,
          total: r.javascriptHeap.totalMemory / 1024,
        };
      } catch {
        // not complete yet
      }
    }
    if (Date.now() > deadline) throw new Error("no diagnostic report from the agent in 10 s");
    await sleep(50);
  }
}

function reportFlags(dir: string): string[] {
  return [
    "--report-on-signal",
    "--report-signal=SIGUSR2",
    `--report-directory=${dir}`,
    "--report-compact",
  ];
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1
    ? (s[mid] as number)
    : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

const mib = (k: number) => (k / 1024).toFixed(1);

function row(label: string, values: string, note = ""): void {
  console.log(`  ${label.padEnd(46)} ${values.padStart(15)} MiB${note ? `  ${note}` : ""}`);
}

function overriddenFlags(): string[] | undefined {
  const raw = process.env.FOOTPRINT_NODE_FLAGS;
  if (raw === undefined) return undefined;
  return raw.trim() === "" ? [] : raw.trim().split(/\s+/);
}

function distBuild(): Build | string {
  const script = join(ROOT, "dist/agent/src/main.js");
  if (!existsSync(script)) return "dist: skipped (run `make build` first)";
  return {
    label: `dist build, node ${process.version}`,
    node: process.execPath,
    nodeFlags: overriddenFlags() ?? [],
    script,
  };
}

function git(args: string[]): string {
  try {
    return execFileSync("git", args, {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return "";
  }
}

/** The release layout (`bin/node`, `lib/`, `systemd/`) under `into`: unpacked, or assembled now. */
async function releaseBuild(into: string): Promise<Build | string> {
  const arch = process.arch;
  const relDir = join(ROOT, "release");
  const tarball = existsSync(relDir)
    ? readdirSync(relDir).find((f) => f.endsWith(`-linux-${arch}.tar.gz`))
    : undefined;
  let top: string;
  let unitFile: string;
  let origin: string;
  if (tarball !== undefined) {
    execFileSync("tar", ["-xzf", join(relDir, tarball), "-C", into]);
    const [name] = readdirSync(into);
    top = join(into, name as string);
    unitFile = join(top, "systemd/router-agent.service");
    const env = readFileSync(join(top, "release.env"), "utf8");
    const commit = /^COMMIT=(.*)$/m.exec(env)?.[1] ?? "unknown";
    const head = git(["rev-parse", "HEAD"]);
    const node = /^NODE_VERSION=(.*)$/m.exec(env)?.[1] ?? "?";
    origin = `release/${tarball}, node ${node}, commit ${commit.slice(0, 10)}`;
    if (head !== "" && commit !== head)
      origin += ` (HEAD is ${head.slice(0, 10)}: \`make release\` for current figures)`;
  } else {
    const cache = join(ROOT, ".cache/node");
    const tgz = existsSync(cache)
      ? readdirSync(cache).find((f) => f.startsWith(`node-linux-${arch}-`) && f.endsWith(".tgz"))
      : undefined;
    if (tgz === undefined)
      return "release: skipped (no release/ tarball and no .cache/node: run `make release`)";
    top = join(into, "assembled");
    execFileSync("mkdir", ["-p", join(top, "bin")]);
    execFileSync("tar", [
      "-xzf",
      join(cache, tgz),
      "-C",
      top,
      "--strip-components=1",
      "package/bin/node",
    ]);
    const version = (
      JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }
    ).version;
    await bundle(ROOT, join(top, "lib"), version);
    unitFile = join(ROOT, "packaging/systemd/router-agent.service");
    origin = `current source bundled now, ${tgz.replace(/\.tgz$/, "")}`;
  }
  const exec = parseExecStart(readFileSync(unitFile, "utf8"));
  const at = (p: string) => p.replace(/^\/opt\/router-agent\/current/, top);
  return {
    label: `release bundle (${origin})`,
    node: at(exec.node),
    nodeFlags: overriddenFlags() ?? exec.nodeFlags,
    script: at(exec.script),
  };
}

interface IdleRun {
  at3: Memory;
  at10: Memory;
  at30: Memory;
  heap: Heap;
  afterDrift: Memory;
  dnsmasq?: Memory;
}

async function idleRun(b: Build, pkiDir: string, reports: string): Promise<IdleRun> {
  const agent = await startNsAgent({
    prefix,
    tag: `f${agents++}`,
    node: b.node,
    nodeFlags: [...b.nodeFlags, ...reportFlags(reports)],
    script: b.script,
    spec: SEED,
    pkiDir,
  });
  try {
    const t0 = Date.now();
    await sleep(3_000);
    const at3 = memoryOf(agent.pid);
    await sleep(t0 + 10_000 - Date.now());
    const at10 = memoryOf(agent.pid);
    await sleep(t0 + 30_000 - Date.now());
    const at30 = memoryOf(agent.pid);
    const dns = dnsmasqOf(agent.pid);
    const dnsmasq = dns === undefined ? undefined : memoryOf(dns);
    const heap = await heapOf(agent, reports);
    process.kill(agent.pid, "SIGHUP");
    await agent.waitForOutput("SIGHUP: running a drift check", 5_000);
    await sleep(3_000);
    const afterDrift = memoryOf(agent.pid);
    if (!agent.running()) throw new Error(`the agent died:\n${agent.output().slice(-2000)}`);
    return { at3, at10, at30, heap, afterDrift, dnsmasq };
  } finally {
    await agent.stop();
  }
}

/** The applied revision, or undefined when the agent does not answer. */
async function revisionOf(client: RouterClient): Promise<number | undefined> {
  try {
    return (await client.status()).status.appliedRevision;
  } catch {
    return undefined;
  }
}

/** What one push of a limit spec came to, as a short phrase. */
async function push(client: RouterClient, agent: NsAgent, spec: RouterSpec): Promise<string> {
  const before = await revisionOf(client);
  const start = Date.now();
  let answer: string;
  try {
    const r = await client.apply(spec, { reason: "footprint bench: limit spec" });
    answer = r.accepted ? "applied" : `refused: ${r.error?.message ?? "?"}`;
  } catch (e) {
    answer = `answered with an error: ${(e as Error).message.slice(0, 120)}`;
  }
  const took = `${((Date.now() - start) / 1000).toFixed(1)} s`;
  await sleep(500);
  if (!agent.running()) {
    const oom = /heap out of memory/i.test(agent.output())
      ? " (JavaScript heap out of memory)"
      : "";
    return `the agent died${oom} after ${took}`;
  }
  if (answer === "applied") return `applied in ${took}`;
  const after = await revisionOf(client);
  const applied = after !== undefined && before !== undefined && after > before;
  return `${answer}; ${applied ? "applied all the same" : "not applied"} (${took})`;
}

/** The limit spec, pushed twice (two variants, so every entry changes), then the figures. */
async function limitRun(
  b: Build,
  pkiDir: string,
  reports: string,
  label: string,
  dnsLists: boolean,
): Promise<void> {
  const agent = await startNsAgent({
    prefix,
    tag: `l${agents++}`,
    node: b.node,
    nodeFlags: [...b.nodeFlags, ...reportFlags(reports)],
    script: b.script,
    spec: SEED,
    pkiDir,
  });
  const client = new RouterClient({ target: agent.target, timeoutMs: 300_000 });
  try {
    console.log(`  ${label}, pushed twice over the API:`);
    for (const variant of [0, 1]) {
      const outcome = await push(client, agent, limitSpec(variant, { dnsLists }));
      console.log(`    push ${variant + 1}: ${outcome}`);
      if (!agent.running()) {
        console.log(
          `    last output: ${agent.output().trim().split("\n").slice(-3).join(" | ").slice(0, 600)}`,
        );
        return;
      }
    }
    await sleep(30_000);
    const m = memoryOf(agent.pid);
    const heap = await heapOf(agent, reports);
    row("    peak RSS (VmHWM)", mib(m.hwm));
    row("    RSS / PSS 30 s later", `${mib(m.rss)} / ${mib(m.pss)}`);
    row("    V8 heap used / total 30 s later", `${mib(heap.used)} / ${mib(heap.total)}`);
    const dns = dnsmasqOf(agent.pid);
    if (dns !== undefined) {
      const d = memoryOf(dns);
      row("    dnsmasq RSS / PSS", `${mib(d.rss)} / ${mib(d.pss)}`);
    }
  } finally {
    client.close();
    await agent.stop();
  }
}

async function measure(b: Build, pkiDir: string, reports: string): Promise<void> {
  console.log(`${b.label}`);
  console.log(`  ${b.node} ${b.nodeFlags.join(" ")} ${b.script}`.replace(/\s+/g, " "));
  const runs: IdleRun[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await idleRun(b, pkiDir, reports));
  const med = (f: (r: IdleRun) => number | undefined) =>
    median(runs.map(f).filter((x): x is number => x !== undefined));
  const n = `median of ${runs.length}`;
  row('RSS 3 s after "API listening"', mib(med((r) => r.at3.rss)), n);
  row("RSS 10 s after", mib(med((r) => r.at10.rss)), n);
  row("RSS settled (30 s)", mib(med((r) => r.at30.rss)), n);
  row(
    "anonymous / file-backed RSS, settled",
    `${mib(med((r) => r.at30.anon))} / ${mib(med((r) => r.at30.file))}`,
    n,
  );
  row("PSS, settled", mib(med((r) => r.at30.pss)), n);
  row(
    "V8 heap used / total, settled",
    `${mib(med((r) => r.heap.used))} / ${mib(med((r) => r.heap.total))}`,
    n,
  );
  row("RSS 3 s after a drift check (SIGHUP)", mib(med((r) => r.afterDrift.rss)), n);
  if (runs.some((r) => r.dnsmasq))
    row(
      "dnsmasq RSS / PSS (seed)",
      `${mib(med((r) => r.dnsmasq?.rss))} / ${mib(med((r) => r.dnsmasq?.pss))}`,
      n,
    );
  else console.log("  dnsmasq: not running");
  if (process.env.FOOTPRINT_LIMITS === "0") return;
  await limitRun(b, pkiDir, reports, "100k CIDRs + 10k static leases", false);
  await limitRun(
    b,
    pkiDir,
    reports,
    "every list at its limit (+ 10k hosts, 100k blocked domains)",
    true,
  );
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.error("bench/footprint: needs root (network namespaces, nft, dnsmasq)");
    process.exit(2);
  }
  const work = mkdtempSync(join(tmpdir(), `${prefix}-footprint-`));
  try {
    const pkiDir = join(work, "pki");
    await initPki({ dir: pkiDir, serverIps: ["192.168.130.2"], serverDns: [] });
    const reports = join(work, "reports");
    execFileSync("mkdir", ["-p", reports, join(work, "release")]);
    const only = process.env.FOOTPRINT_BUILDS;
    const builds: Array<() => Promise<Build | string>> = [];
    if (only === undefined || only === "dist") builds.push(async () => distBuild());
    if (only === undefined || only === "release")
      builds.push(() => releaseBuild(join(work, "release")));
    if (process.env.FOOTPRINT_NODE_FLAGS !== undefined)
      console.log(
        `FOOTPRINT_NODE_FLAGS="${process.env.FOOTPRINT_NODE_FLAGS}" replaces the node flags`,
      );
    for (const make of builds) {
      const b = await make();
      if (typeof b === "string") console.log(b);
      else await measure(b, pkiDir, reports);
    }
  } finally {
    await cleanupStale(prefix);
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
