/**
 * Prometheus metrics for the same telemetry the API streams: rule and
 * interface counters, the conntrack count, the lease table and dnsmasq's
 * state. `createMetrics` builds a prom-client `Registry` that anyone can serve
 * (the API, or `serveMetrics` on its own address).
 *
 * Values are read at scrape time. One scrape triggers at most one
 * `CounterSource.sample()`: the sample is shared by every metric collected in
 * that scrape (and any scrape within `sampleTtlMs`). A failing source yields
 * no samples for its labelled metrics (the conntrack gauge reads 0) rather
 * than a failed scrape.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Counter, Gauge, Registry } from "prom-client";
import type { CounterSample, CounterSource, DnsmasqState, LeaseSource } from "./router-runtime.js";

export interface MetricsOptions {
  counters?: CounterSource;
  leases?: LeaseSource;
  dnsmasq?: { state(): DnsmasqState };
  /** Register into this registry instead of a new one. */
  registry?: Registry;
  /** Metric name prefix. Default "router_agent_". */
  prefix?: string;
  /** How long a counter sample is reused, ms. Default 1 000. */
  sampleTtlMs?: number;
  /** Unix ms; default `Date.now`. */
  now?: () => number;
}

/** Creates the registry and its metrics. Throws only if a metric name is already registered. */
export function createMetrics(opts: MetricsOptions): Registry {
  const registry = opts.registry ?? new Registry();
  const p = opts.prefix ?? "router_agent_";
  const now = opts.now ?? Date.now;
  const ttl = opts.sampleTtlMs ?? 1_000;
  let cached: { at: number; sample: Promise<CounterSample | undefined> } | undefined;
  const sample = (): Promise<CounterSample | undefined> => {
    const source = opts.counters;
    if (!source) return Promise.resolve(undefined);
    if (!cached || now() - cached.at >= ttl) {
      cached = { at: now(), sample: source.sample().catch(() => undefined) };
    }
    return cached.sample;
  };
  const registers = [registry];

  /** A counter whose value is copied from the sample: reset, then set per label set. */
  const mirrored = (
    name: string,
    help: string,
    label: string,
    values: (s: CounterSample) => Array<[string, number]>,
  ) =>
    new Counter({
      name: p + name,
      help,
      labelNames: [label],
      registers,
      async collect() {
        this.reset();
        const s = await sample();
        if (!s) return;
        for (const [key, value] of values(s)) this.inc({ [label]: key }, value);
      },
    });

  if (opts.counters) {
    mirrored(
      "rule_packets_total",
      "Packets counted by a firewall rule's named counter.",
      "rule",
      (s) => s.rules.map((r) => [r.id, r.packets]),
    );
    mirrored("rule_bytes_total", "Bytes counted by a firewall rule's named counter.", "rule", (s) =>
      s.rules.map((r) => [r.id, r.bytes]),
    );
    mirrored("interface_receive_bytes_total", "Bytes received on an interface.", "interface", (s) =>
      s.interfaces.map((i) => [i.ifname, i.rxBytes]),
    );
    mirrored(
      "interface_receive_packets_total",
      "Packets received on an interface.",
      "interface",
      (s) => s.interfaces.map((i) => [i.ifname, i.rxPackets]),
    );
    mirrored("interface_transmit_bytes_total", "Bytes sent on an interface.", "interface", (s) =>
      s.interfaces.map((i) => [i.ifname, i.txBytes]),
    );
    mirrored(
      "interface_transmit_packets_total",
      "Packets sent on an interface.",
      "interface",
      (s) => s.interfaces.map((i) => [i.ifname, i.txPackets]),
    );
    new Gauge({
      name: `${p}conntrack_entries`,
      help: "Entries in the connection-tracking table.",
      registers,
      async collect() {
        this.reset();
        const s = await sample();
        if (s) this.set(s.conntrackCount);
      },
    });
  }

  const leases = opts.leases;
  if (leases) {
    new Gauge({
      name: `${p}dhcp_leases`,
      help: "Current DHCP leases, by LAN and kind.",
      labelNames: ["lan", "kind"],
      registers,
      collect() {
        this.reset();
        const counts = new Map<string, { lan: string; kind: string; n: number }>();
        for (const l of leases.snapshot()) {
          const lan = l.lan ?? "";
          const key = `${lan}|${l.kind}`;
          const entry = counts.get(key) ?? { lan, kind: l.kind, n: 0 };
          entry.n++;
          counts.set(key, entry);
        }
        for (const c of counts.values()) this.set({ lan: c.lan, kind: c.kind }, c.n);
      },
    });
  }

  const dnsmasq = opts.dnsmasq;
  if (dnsmasq) {
    new Gauge({
      name: `${p}dnsmasq_up`,
      help: "1 when dnsmasq is running, else 0.",
      registers,
      collect() {
        this.set(dnsmasq.state().running ? 1 : 0);
      },
    });
    new Counter({
      name: `${p}dnsmasq_restarts_total`,
      help: "Times dnsmasq was restarted after it died.",
      registers,
      collect() {
        this.reset();
        this.inc(dnsmasq.state().restarts);
      },
    });
  }
  return registry;
}

export interface MetricsServer {
  /** The bound address; port is the real one when 0 was asked for. */
  address: AddressInfo;
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` from the registry on `host:port` (port 0: any free
 * one). Other paths answer 404. Rejects if the address cannot be bound.
 *
 * `node:http` is imported here, on first use: as a static ESM import it
 * costs every agent ~3 MiB of heap and ~18 MiB of RSS on Node 24 (its ESM
 * wrapper reads every export, which loads undici and web streams), metrics
 * or not (docs/footprint.md).
 */
export async function serveMetrics(
  registry: Registry,
  host: string,
  port: number,
): Promise<MetricsServer> {
  const { createServer } = await import("node:http");
  const server: Server = createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    registry.metrics().then(
      (body) => res.writeHead(200, { "content-type": registry.contentType }).end(body),
      (err: unknown) =>
        res.writeHead(500, { "content-type": "text/plain" }).end(`${String(err)}\n`),
    );
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve({
        address: server.address() as AddressInfo,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}
