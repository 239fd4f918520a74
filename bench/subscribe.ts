/**
 * Bench: Subscribe delivery latency and agent cost. Prints figures, asserts
 * nothing.
 *
 *   make bench   (or: npx esbuild bench/subscribe.ts --bundle --platform=node
 *                 --format=esm --packages=external --outfile=dist/bench/subscribe.mjs
 *                 && node dist/bench/subscribe.mjs)     BENCH_SECONDS=30 by default
 *
 * 1. Latency from a lease event entering the (fake) lease source to its
 *    arrival at a Subscribe client, p50/p99, with one client.
 * 2. The agent process's CPU and RSS with 50 concurrent Subscribe streams
 *    (leases + counters at a 1 s interval) while lease events flow at 10/s,
 *    and the delivery latency under that load.
 *
 * The agent runs in a child process (this file with `--agent`) so its
 * figures are its own. The lease source is the in-memory fake, so this measures the
 * API path only; the figure with the real lease tracker (dnsmasq's
 * dhcp-script hook → tracker → Subscribe) is taken separately.
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { startApiServer } from "../agent/src/api/server.js";
import { RouterClient, type Watch } from "../host-client/src/router-client.js";
import { FakeRuntime } from "../test/support/api/fake-runtime.js";
import { FakeCounterSource, FakeLeaseSource, leaseFor } from "../test/support/api/fake-sources.js";

type Command = { emit: number; every: number } | { stats: true } | { stop: true };

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const STREAMS = 50;

/** Unix ms with sub-ms precision, comparable across processes. */
const now = () => performance.timeOrigin + performance.now();

interface Stats {
  cpu: NodeJS.CpuUsage;
  rss: number;
  at: number;
}

/**
 * The agent side: a real API server on a unix socket, wired to the in-memory
 * fake runtime, lease source and counter source. The parent drives it over
 * IPC: `{ emit: n, every: ms }` emits n lease events, `{ stats: true }`
 * answers with cpu/rss, `{ stop: true }` exits.
 */
async function runAgent(path: string): Promise<void> {
  if (!process.send) throw new Error("--agent runs as a forked child with an IPC channel");
  const send = (m: unknown) => process.send?.(m);

  const leases = new FakeLeaseSource(10_000);
  for (let i = 0; i < 200; i++) leases.emit("add", leaseFor(i));
  const server = await startApiServer({
    runtime: new FakeRuntime(),
    leases,
    counters: new FakeCounterSource(),
    logger: pino({ level: "silent" }),
    listeners: [{ kind: "unix", path }],
  });
  let n = 1000;
  process.on("message", (m: Command) => {
    if ("emit" in m) {
      let left = m.emit;
      const timer = setInterval(() => {
        leases.emit(left % 3 === 0 ? "old" : "add", leaseFor(n++ % 5000), now());
        if (--left <= 0) {
          clearInterval(timer);
          send({ emitted: m.emit });
        }
      }, m.every);
    } else if ("stats" in m) {
      send({ cpu: process.cpuUsage(), rss: process.memoryUsage().rss, at: performance.now() });
    } else if ("stop" in m) {
      void server.close().then(() => process.exit(0));
    }
  });
  send({ ready: true });
}

async function runBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "ra-bench-"));
  const socket = join(dir, "agent.sock");
  const agent = fork(fileURLToPath(import.meta.url), ["--agent", socket], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const inbox: Array<(m: Record<string, unknown>) => boolean> = [];
  agent.on("message", (m: Record<string, unknown>) => {
    const i = inbox.findIndex((want) => want(m));
    if (i >= 0) inbox.splice(i, 1);
  });
  function ask<T>(msg: unknown, key: string): Promise<T> {
    return new Promise((resolve) => {
      inbox.push((m) => {
        if (!(key in m)) return false;
        resolve(m as T);
        return true;
      });
      if (msg !== undefined) agent.send(msg as never);
    });
  }

  function percentile(sorted: number[], p: number): number {
    if (sorted.length === 0) return Number.NaN;
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
  }

  function summary(latencies: number[]): string {
    const s = [...latencies].sort((a, b) => a - b);
    return `n=${s.length} p50=${percentile(s, 50).toFixed(2)} ms p99=${percentile(s, 99).toFixed(2)} ms max=${(s.at(-1) ?? Number.NaN).toFixed(2)} ms`;
  }

  try {
    await ask(undefined, "ready");
    const clients: RouterClient[] = [];
    const watches: Watch[] = [];

    // 1. One client.
    const one = new RouterClient({ target: `unix://${socket}` });
    clients.push(one);
    const lat1: number[] = [];
    let synced = false;
    watches.push(
      one.watch(
        { leases: true },
        {
          onSync: () => {
            synced = true;
          },
          onLeaseEvent: (e) => lat1.push(now() - e.at),
        },
      ),
    );
    while (!synced) await new Promise((r) => setTimeout(r, 10));
    await ask({ emit: 2000, every: 2 }, "emitted");
    await new Promise((r) => setTimeout(r, 200));
    console.log(`lease event -> Subscribe client, 1 stream:    ${summary(lat1)}`);

    // 2. Fifty streams, leases + counters at 1 s.
    const lat50: number[] = [];
    let samples = 0;
    let coalesced = 0;
    for (let i = 0; i < STREAMS; i++) {
      const c = new RouterClient({ target: `unix://${socket}` });
      clients.push(c);
      watches.push(
        c.watch(
          { leases: true, counters: true, counter_interval_ms: 1000 },
          {
            onLeaseEvent: (e) => lat50.push(now() - e.at),
            onCounters: (s) => {
              samples++;
              coalesced += s.duplicates;
            },
          },
        ),
      );
    }
    await new Promise((r) => setTimeout(r, 2000)); // let the streams settle
    const before = await ask<Stats>({ stats: true }, "cpu");
    let peakRss = before.rss;
    const poll = setInterval(() => {
      void ask<Stats>({ stats: true }, "cpu").then((s) => {
        peakRss = Math.max(peakRss, s.rss);
      });
    }, 1000);
    await ask({ emit: SECONDS * 10, every: 100 }, "emitted");
    await new Promise((r) => setTimeout(r, 200)); // the last event in flight
    clearInterval(poll);
    const after = await ask<Stats>({ stats: true }, "cpu");
    const wallMs = after.at - before.at;
    const cpuMs = (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / 1000;
    console.log(`lease event -> Subscribe client, ${STREAMS} streams:  ${summary(lat50)}`);
    console.log(
      `agent with ${STREAMS} Subscribe streams (leases + counters @1s, 10 lease events/s) over ${(wallMs / 1000).toFixed(1)} s: ` +
        `CPU ${((100 * cpuMs) / wallMs).toFixed(1)}% of one core, RSS ${(after.rss / 2 ** 20).toFixed(1)} MiB (peak ${(peakRss / 2 ** 20).toFixed(1)} MiB); ` +
        `${samples} counter samples delivered, ${coalesced} coalesced`,
    );
    for (const w of watches) w.cancel();
    for (const c of clients) c.close();
    agent.send({ stop: true });
    await new Promise((r) => agent.once("exit", r));
  } finally {
    agent.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--agent") await runAgent(process.argv[3] as string);
else await runBench();
