/**
 * `make demo`: brings up the router lab, starts the real agent in its router
 * namespace, applies examples/lab/router.yaml from the host namespace, starts
 * a client, and shows the lease arriving, the internet reachable through NAT,
 * the DMZ block holding and the counters moving.
 *
 * On a terminal it then keeps the lab up, printing a probe line every few
 * seconds, until Ctrl-C (or `make demo-down` from another terminal). Without
 * a terminal (CI, a recording) it runs the same steps, prints what it saw,
 * tears down after a short while by itself and exits 1 if any step failed.
 *
 * Usage: node dist/lab/lab/demo.js [--file router.yaml] [--linger SECONDS]
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { LAB_ADDR, Lab, type LabClient } from "../test/lab/lab.js";
import { LabAgent, type WatchHandle } from "../test/lab/lab-agent.js";
import { sleep, waitFor } from "../test/lab/wait.js";
import { DEMO_STATE_DIR } from "./demo-state.js";

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const interactive = process.stdout.isTTY === true && !args.includes("--no-tty");
const lingerSeconds = Number(flag("--linger") ?? (interactive ? 0 : 5));

const color = interactive
  ? { ok: "\x1b[32m", bad: "\x1b[31m", dim: "\x1b[2m", bold: "\x1b[1m", off: "\x1b[0m" }
  : { ok: "", bad: "", dim: "", bold: "", off: "" };

const lab = new Lab();
const agent = new LabAgent(lab, { logLevel: "info" });
const stateFile = join(DEMO_STATE_DIR, `${lab.prefix}.json`);
const specFile = flag("--file") ?? join(lab.root, "examples", "lab", "router.yaml");
let failures = 0;
let stopping = false;

function say(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Runs one step, prints its outcome, and counts failures. Returns the step's value or undefined. */
async function step<T>(
  title: string,
  fn: () => Promise<T>,
  show?: (v: T) => string,
): Promise<T | undefined> {
  process.stdout.write(`${color.bold}==>${color.off} ${title} ... `);
  try {
    const v = await fn();
    say(`${color.ok}ok${color.off}${show ? `  ${show(v)}` : ""}`);
    return v;
  } catch (err) {
    failures++;
    say(`${color.bad}FAILED${color.off}`);
    say(indent((err as Error).message));
    return undefined;
  }
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
}

async function tearDown(): Promise<void> {
  say(`${color.bold}==>${color.off} tearing down lab ${lab.prefix}`);
  try {
    await lab.down();
  } catch (err) {
    failures++;
    say(indent((err as Error).message));
  }
  await rm(stateFile, { force: true });
}

function onSignal(sig: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  say(`\n${sig}: cleaning up`);
  void tearDown().finally(() => process.exit(failures > 0 ? 1 : 0));
}

interface Counters {
  rules?: Array<{ id: string; packets: number; bytes: number }>;
}

function blockedPackets(sample: unknown): number {
  const rules = (sample as Counters).rules ?? [];
  return rules.find((r) => r.id === "lan2.blocked")?.packets ?? 0;
}

async function probeInternet(client: LabClient): Promise<string> {
  const r = await lab.fetch(client, `http://${LAB_ADDR.internetServer}/`);
  if (!r.ok) throw new Error(`no answer from the internet server: ${r.body.trim()}`);
  const peers = await lab.httpPeers("internet");
  if (peers.at(-1) !== LAB_ADDR.wanRouter) {
    throw new Error(`the server saw ${peers.at(-1)}, not the router's WAN address`);
  }
  return `"${r.body.trim()}"`;
}

async function probeMainNetwork(client: LabClient): Promise<string> {
  const r = await lab.fetch(client, `http://${LAB_ADDR.mainHost}/`, 2);
  if (r.ok) throw new Error(`the main network answered: ${r.body.trim()}`);
  if ((await lab.httpPeers("mainnet")).length > 0)
    throw new Error("the main-network host saw a connection");
  return `no connection to ${LAB_ADDR.mainHost} (${r.body.trim().replace(/^curl: \(\d+\) /, "")})`;
}

function lookAround(client: LabClient | undefined): void {
  const env = Object.entries(agent.env())
    .map(([k, v]) => `${k}=${v}`)
    .join(" ");
  const rc = `ip netns exec ${lab.ns("host")} env ${env} ${process.execPath} ${agent.routerctlJs}`;
  say("");
  say(`${color.bold}Look around${color.off} (as root, in another terminal):`);
  say(`  alias routerctl='${rc}'`);
  say("  routerctl status");
  say("  routerctl leases");
  say("  routerctl counters --watch");
  say("  routerctl history");
  if (client) say(`  ip netns exec ${client.ns} curl http://${LAB_ADDR.internetServer}/`);
  say(`  ip netns exec ${lab.ns("router")} nft list table inet router_agent`);
  say(`  tail -f ${agent.logFile}`);
  say("");
  say(
    `${color.bold}Tear down${color.off}: Ctrl-C here, or \`make demo-down\` from another terminal.`,
  );
}

async function main(): Promise<void> {
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  say(
    `${color.bold}router-agent lab demo${color.off} (namespaces ${lab.prefix}-*, files in ${lab.dir})`,
  );
  await mkdir(DEMO_STATE_DIR, { recursive: true });
  await writeFile(
    stateFile,
    `${JSON.stringify({ ...lab.describe(), pid: process.pid }, null, 2)}\n`,
  );

  const up = await step("lab up: host, router, internet, main network, switches", () => lab.up());
  if (up === undefined && failures > 0) return;
  const started = await step(
    `agent started in ${lab.ns("router")}`,
    () => agent.start(),
    () => `log: ${agent.logFile}`,
  );
  if (!started) {
    say(indent(await agent.logTail(20)));
    return;
  }
  const watch: WatchHandle = agent.watch(["leases"]);
  const applied = await step(
    `routerctl apply -f ${specFile.replace(`${lab.root}/`, "")}`,
    async () => {
      const r = await agent.apply(specFile, ["--reason", "make demo"]);
      if (r.code !== 0) throw new Error(`${r.stdout}${r.stderr}`);
      return r.stdout;
    },
    (out) => out.split("\n").find((l) => l.startsWith("applied:")) ?? "",
  );
  if (applied === undefined) return;
  const before = await agent.routerctlJson(["counters"]).catch(() => undefined);

  const client = await step(`client "pi" on ens7 runs udhcpc`, async () => {
    const c = await lab.addClient("pi");
    lab.startDhcp(c);
    return c;
  });
  if (!client) return;
  await step(
    "the host sees the lease arrive (routerctl leases --watch)",
    async () => {
      const lease = await lab.waitForLease(client);
      const event = await watch.waitForLine((l) => JSON.stringify(l).includes(lease.ip), 20_000);
      return { lease, event };
    },
    ({ lease, event }) =>
      `${lease.ip} for ${client.mac}, router ${lease.routers.join(",")}, dns ${lease.dns.join(",")}\n${indent(
        `watch: ${JSON.stringify(event)}`,
      )}`,
  );
  await step(
    `pi -> http://${LAB_ADDR.internetServer}/ (the pretend internet, through NAT)`,
    () => probeInternet(client),
    (v) => v,
  );
  await step(
    `pi resolves www.example.test through the router`,
    async () => {
      const a = await lab.resolve(client, "www.example.test", LAB_ADDR.lan1Router);
      if (!a.includes(LAB_ADDR.internetServer)) throw new Error(`answer: ${JSON.stringify(a)}`);
      return a.join(", ");
    },
    (v) => v,
  );
  await step(
    `pi -> http://${LAB_ADDR.mainHost}/ (the main network: the DMZ block)`,
    () => probeMainNetwork(client),
    (v) => v,
  );
  await step(
    "counters moved (routerctl counters)",
    async () => {
      const after = await waitFor(
        async () => {
          const s = await agent.routerctlJson(["counters"]);
          return blockedPackets(s) > blockedPackets(before) ? s : undefined;
        },
        { timeoutMs: 10_000, what: "lan2.blocked to grow" },
      );
      return { b: blockedPackets(before), a: blockedPackets(after) };
    },
    ({ b, a }) => `lan2.blocked: ${b} -> ${a} packets`,
  );
  await watch.stop();

  if (!interactive) {
    for (let i = 0; i < Math.max(1, Math.ceil(lingerSeconds / 2)); i++) {
      await sleep(2_000);
      await step(`probe ${i + 1}: internet reachable, main network blocked`, async () => {
        await probeInternet(client);
        await probeMainNetwork(client);
        return "";
      });
    }
    return;
  }

  lookAround(client);
  say("");
  say(`${color.dim}Live probes every 3 s (internet / main network / lan2.blocked):${color.off}`);
  while (!stopping) {
    const inet = await probeInternet(client).then(
      () => `${color.ok}internet ok${color.off}`,
      (e: Error) => `${color.bad}internet FAILED: ${e.message}${color.off}`,
    );
    const main = await probeMainNetwork(client).then(
      () => `${color.ok}main network blocked${color.off}`,
      (e: Error) => `${color.bad}main network NOT blocked: ${e.message}${color.off}`,
    );
    const blocked = blockedPackets(await agent.routerctlJson(["counters"]).catch(() => undefined));
    if (!stopping)
      say(`  ${new Date().toISOString().slice(11, 19)}  ${inet}  ${main}  lan2.blocked=${blocked}`);
    await sleep(3_000);
  }
}

try {
  await main();
} catch (err) {
  failures++;
  say(`${color.bad}demo failed:${color.off} ${(err as Error).stack ?? String(err)}`);
}
if (!stopping) {
  if (failures > 0) {
    say(`${color.bad}${failures} step(s) failed.${color.off} Agent log tail:`);
    say(indent(await agent.logTail(30)));
  }
  await tearDown();
  say(failures > 0 ? `${color.bad}demo FAILED${color.off}` : `${color.ok}demo passed${color.off}`);
  process.exit(failures > 0 ? 1 : 0);
}
