/**
 * Watching the router: `routerctl leases [--watch]` and
 * `routerctl counters [--watch] [--interval 1s]`.
 *
 * Hostnames come from DHCP clients and are printed escaped. With --watch the
 * stream resumes by itself after a disconnect; Ctrl-C ends it with exit 0.
 * With --json every line is one JSON document.
 */
import type { Command } from "commander";
import type { Lease } from "../../../../agent/src/runtime/router-runtime.js";
import { RouterClientError } from "../../client-errors.js";
import type { Watch } from "../../router-client.js";
import type { CounterSampleInfo } from "../../wire-decode.js";
import { parseDuration } from "../duration.js";
import { bytes, printJson, rate, safeText, table } from "../output.js";
import { type RemoteOptions, remote, runRemote } from "../remote.js";

interface WatchFlags extends RemoteOptions {
  watch?: boolean;
  interval: string;
}

export function registerTelemetryCommands(program: Command): void {
  remote(
    program
      .command("leases")
      .description("The DHCP leases: IP, MAC, hostname, expiry, static or dynamic.")
      .option("-w, --watch", "then print lease events as they happen"),
  ).action((flags: WatchFlags) =>
    runRemote(flags, async (client) => {
      if (!flags.watch) {
        printLeases(await client.leases(), flags.json ?? false);
        return 0;
      }
      return untilInterrupted(
        client.watch(
          { leases: true },
          {
            onSnapshot: (leases) => printLeases(leases, flags.json ?? false),
            onReset: (reason) =>
              flags.json
                ? printJson({ reset: reason })
                : process.stdout.write(`reset: ${reason}; a fresh table follows\n`),
            onLeaseEvent: (e) => {
              if (flags.json)
                printJson({ event: e.action, at: new Date(e.at).toISOString(), lease: e.lease });
              else
                process.stdout.write(
                  `${new Date(e.at).toISOString()}  ${e.action.toUpperCase()}  ${leaseRow(e.lease).join("  ")}\n`,
                );
            },
            onReconnect: (err) => process.stderr.write(`routerctl: ${err.message}; reconnecting\n`),
          },
        ),
      );
    }),
  );

  remote(
    program
      .command("counters")
      .description("Per rule id: packets, bytes and rates; per interface: rx and tx.")
      .option("-w, --watch", "keep printing samples")
      .option("--interval <duration>", "time between samples (rates are over it)", "1s"),
  ).action((flags: WatchFlags) =>
    runRemote(flags, async (client) => {
      let intervalMs: number;
      try {
        intervalMs = parseDuration(flags.interval);
      } catch (err) {
        throw new RouterClientError("usage", `--interval: ${(err as Error).message}`);
      }
      if (!flags.watch) {
        const [a, b] = await client.counters(intervalMs, 2);
        if (!a || !b) throw new RouterClientError("rejected", "the agent sent no counter samples");
        printCounters(a, b, flags.json ?? false);
        return 0;
      }
      let previous: CounterSampleInfo | undefined;
      return untilInterrupted(
        client.watch(
          { counters: true, counter_interval_ms: intervalMs },
          {
            onCounters: (s) => {
              if (previous) printCounters(previous, s, flags.json ?? false);
              previous = s;
            },
            onReconnect: (err) => process.stderr.write(`routerctl: ${err.message}; reconnecting\n`),
          },
        ),
      );
    }),
  );
}

async function untilInterrupted(watch: Watch): Promise<number> {
  const stop = () => watch.cancel();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    await watch.done;
    return 0;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}

function expiry(lease: Lease): string {
  if (lease.expiresAt === 0) return "never";
  return new Date(lease.expiresAt * 1000).toISOString();
}

function leaseRow(l: Lease): string[] {
  return [l.ip, l.mac, l.hostname ? safeText(l.hostname) : "-", expiry(l), l.kind, l.lan ?? "-"];
}

function printLeases(leases: Lease[], json: boolean): void {
  if (json) {
    printJson({ leases });
    return;
  }
  const sorted = [...leases].sort((a, b) => ipKey(a.ip) - ipKey(b.ip));
  process.stdout.write(
    table(["IP", "MAC", "HOSTNAME", "EXPIRES", "KIND", "LAN"], sorted.map(leaseRow)),
  );
}

function ipKey(ip: string): number {
  return ip.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

/** Rates over the two samples `a` then `b`. */
function printCounters(a: CounterSampleInfo, b: CounterSampleInfo, json: boolean): void {
  const seconds = Math.max(0.001, (b.at - a.at) / 1000);
  const before = new Map(a.rules.map((r) => [r.id, r]));
  const rules = b.rules.map((r) => {
    const p = before.get(r.id);
    return {
      id: r.id,
      packets: r.packets,
      bytes: r.bytes,
      packetsPerSecond: p ? Math.max(0, r.packets - p.packets) / seconds : 0,
      bytesPerSecond: p ? Math.max(0, r.bytes - p.bytes) / seconds : 0,
    };
  });
  const ifBefore = new Map(a.interfaces.map((i) => [i.ifname, i]));
  const interfaces = b.interfaces.map((i) => {
    const p = ifBefore.get(i.ifname);
    return {
      ...i,
      rxBytesPerSecond: p ? Math.max(0, i.rxBytes - p.rxBytes) / seconds : 0,
      txBytesPerSecond: p ? Math.max(0, i.txBytes - p.txBytes) / seconds : 0,
    };
  });
  if (json) {
    printJson({
      at: new Date(b.at).toISOString(),
      seconds,
      rules,
      interfaces,
      conntrackCount: b.conntrackCount,
      duplicates: b.duplicates,
    });
    return;
  }
  const out = [
    `${new Date(b.at).toISOString()}  over ${seconds.toFixed(1)}s  conntrack ${b.conntrackCount}${b.duplicates ? `  (${b.duplicates} samples skipped: slow reader)` : ""}`,
    table(
      ["RULE", "PACKETS", "BYTES", "PKT/S", "BYTES/S"],
      rules.map((r) => [
        safeText(r.id),
        r.packets,
        bytes(r.bytes),
        rate(r.packetsPerSecond),
        bytes(Math.round(r.bytesPerSecond)),
      ]),
    ),
    table(
      ["INTERFACE", "RX", "RX PKTS", "TX", "TX PKTS", "RX/S", "TX/S"],
      interfaces.map((i) => [
        safeText(i.ifname),
        bytes(i.rxBytes),
        i.rxPackets,
        bytes(i.txBytes),
        i.txPackets,
        bytes(Math.round(i.rxBytesPerSecond)),
        bytes(Math.round(i.txBytesPerSecond)),
      ]),
    ),
  ];
  process.stdout.write(`${out.join("\n")}\n`);
}
