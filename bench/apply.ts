/**
 * Apply benchmark: prints medians, asserts nothing. Root only; everything runs
 * in throwaway network namespaces (random `ra<hex>-` prefix, removed at the
 * end) with real nft, ip and dnsmasq.
 *
 *   - apply of the seed scenario on a fresh router (cold: includes starting dnsmasq)
 *   - apply of a change to the seed scenario (warm: one rule more or less)
 *   - apply of 10k blocked CIDRs + 1k static leases on a fresh router
 *   - a no-op re-apply (same hash)
 *
 * The agent's memory (idle, after a drift check, at the list limits) is
 * bench/footprint.ts.
 *
 * Run (after `make build`):
 *   npx esbuild bench/apply.ts --bundle --platform=node --format=esm \
 *     --packages=external --outfile=dist/bench/apply.mjs && node dist/bench/apply.mjs [runs]
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import pino from "pino";
import type { RouterSpec } from "../agent/src/model/types.js";
import { DnsmasqSupervisor } from "../agent/src/runtime/dnsmasq-supervisor.js";
import { RealExec } from "../agent/src/runtime/exec.js";
import { DiskFileStore } from "../agent/src/runtime/file-store.js";
import { dnsmasqConfFile, Router } from "../agent/src/runtime/router.js";
import type { ApplyOutcome } from "../agent/src/runtime/router-runtime.js";
import { ExecSysctl } from "../agent/src/runtime/sysctl.js";
import { cleanupStale, randomPrefix } from "../test/support/netns.js";
import { addRouterNamespace } from "../test/support/router-netns.js";
import { specWith } from "../test/support/runtime-specs.js";

const RUNS = Number(process.argv[2] ?? 5);
const prefix = randomPrefix();
let nsCount = 0;

/** The seed, kept off the internet: no upstreams. */
const SEED = specWith((s) => {
  s.dns.upstreams = [];
});
const SEED_CHANGED = specWith((s) => {
  s.dns.upstreams = [];
  s.firewall.rules = [
    {
      id: "no-telnet",
      chain: "forward",
      action: "drop",
      from: "lan2",
      to: "any",
      protocol: "tcp",
      source_cidrs: [],
      destination_cidrs: [],
      ports: ["23"],
      log: false,
    },
  ];
});

function large(): RouterSpec {
  return specWith((s) => {
    s.dns.upstreams = [];
    const lan = s.lans[0];
    if (!lan?.dhcp) throw new Error("seed has no DHCP");
    lan.address = "10.88.0.1/16";
    lan.dhcp.router = "10.88.0.1";
    lan.dhcp.dns_servers = ["10.88.0.1"];
    lan.blocked_destinations = Array.from(
      { length: 10_000 },
      (_, i) => `11.${(i >> 8) & 255}.${i & 255}.0/24`,
    );
    lan.dhcp.static_leases = Array.from({ length: 1_000 }, (_, i) => ({
      mac: `02:00:00:00:${((i >> 8) & 255).toString(16).padStart(2, "0")}:${(i & 255).toString(16).padStart(2, "0")}`,
      ip: `10.88.${10 + (i >> 8)}.${(i & 255) + 0}`,
    }));
  });
}

interface Rig {
  ns: string;
  dir: string;
  router: Router;
  supervisor: DnsmasqSupervisor;
  close(): Promise<void>;
}

async function rig(): Promise<Rig> {
  const ns = `${prefix}-b${nsCount++}`;
  await addRouterNamespace(ns, ["ens7"]);
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const hook = join(dir, "lease-hook");
  writeFileSync(hook, "#!/bin/sh\nexit 0\n");
  chmodSync(hook, 0o755);
  const exec = new RealExec({ prefix: ["ip", "netns", "exec", ns] });
  const supervisor = new DnsmasqSupervisor({
    confFile: dnsmasqConfFile(join(dir, "state")),
    logger: pino({ level: "silent" }),
    spawnPrefix: ["ip", "netns", "exec", ns],
  });
  const router = new Router({
    stateDir: join(dir, "state"),
    runtimeDir: join(dir, "run"),
    leaseScript: hook,
    exec,
    files: new DiskFileStore(),
    dnsmasq: supervisor,
    sysctl: new ExecSysctl(exec),
    logger: pino({ level: "silent" }),
  });
  await router.start();
  return {
    ns,
    dir,
    router,
    supervisor,
    async close() {
      await router.stop();
      await supervisor.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function must(o: ApplyOutcome): ApplyOutcome {
  if (o.kind !== "applied")
    throw new Error(`apply did not apply: ${JSON.stringify(o).slice(0, 500)}`);
  return o;
}

async function timeApply(r: Rig, spec: RouterSpec, generation: number): Promise<number> {
  const start = performance.now();
  must(await r.router.apply({ spec, generation, dryRun: false, reason: "bench", actor: "bench" }));
  return performance.now() - start;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1
    ? (s[mid] as number)
    : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function print(label: string, xs: number[], unit = "ms"): void {
  console.log(
    `${label.padEnd(48)} ${median(xs).toFixed(1).padStart(9)} ${unit}  (median of ${xs.length})`,
  );
}

function _sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.error("bench/apply: needs root (network namespaces, nft, dnsmasq)");
    process.exit(2);
  }
  try {
    const cold: number[] = [];
    const warm: number[] = [];
    const noop: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await rig();
      try {
        cold.push(await timeApply(r, SEED, 1));
        for (let j = 0; j < 4; j++)
          warm.push(await timeApply(r, j % 2 === 0 ? SEED_CHANGED : SEED, 2 + j));
        for (let j = 0; j < 5; j++) noop.push(await timeApply(r, SEED, 10 + j));
      } finally {
        await r.close();
        await cleanupStale(prefix);
      }
    }
    print("seed scenario, fresh router (cold)", cold);
    print("seed scenario, one rule changed (warm)", warm);
    print("no-op re-apply (same hash)", noop);

    const big = large();
    const bigCold: number[] = [];
    const bigNoop: number[] = [];
    for (let i = 0; i < Math.max(3, Math.ceil(RUNS / 2)); i++) {
      const r = await rig();
      try {
        bigCold.push(await timeApply(r, big, 1));
        bigNoop.push(await timeApply(r, big, 2));
      } finally {
        await r.close();
        await cleanupStale(prefix);
      }
    }
    print("10k blocked CIDRs + 1k static leases (cold)", bigCold);
    print("10k blocked CIDRs + 1k static leases, no-op", bigNoop);
  } finally {
    await cleanupStale(prefix);
  }
}

await main();
