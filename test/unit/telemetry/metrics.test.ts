import { afterEach, describe, expect, it } from "vitest";
import {
  createMetrics,
  type MetricsServer,
  serveMetrics,
} from "../../../agent/src/runtime/metrics.js";
import type {
  CounterSample,
  CounterSource,
  Lease,
  LeaseSource,
} from "../../../agent/src/runtime/router-runtime.js";

const SAMPLE: CounterSample = {
  at: 1,
  rules: [
    { id: "allow-ssh", packets: 3, bytes: 180 },
    { id: "input.drop", packets: 0, bytes: 0 },
  ],
  interfaces: [{ ifname: "lan0", rxBytes: 10, rxPackets: 1, txBytes: 20, txPackets: 2 }],
  conntrackCount: 5,
};

function counters(): CounterSource & { calls: number; next: CounterSample } {
  const src = {
    calls: 0,
    next: SAMPLE,
    async sample() {
      src.calls++;
      return src.next;
    },
  };
  return src;
}

const LEASES: Lease[] = [
  { mac: "aa:bb:cc:00:00:01", ip: "10.88.0.10", expiresAt: 0, kind: "static", lan: "lan" },
  { mac: "aa:bb:cc:00:00:02", ip: "10.88.0.50", expiresAt: 0, kind: "dynamic", lan: "lan" },
  { mac: "aa:bb:cc:00:00:03", ip: "10.88.0.51", expiresAt: 0, kind: "dynamic", lan: "lan" },
];
const leases: LeaseSource = {
  snapshot: () => LEASES,
  lastSeq: () => 0,
  since: () => [],
  subscribe: () => () => {},
};

describe("createMetrics", () => {
  let server: MetricsServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("exposes counters, leases and dnsmasq state, sampling once per scrape", async () => {
    const src = counters();
    let t = 0;
    const reg = createMetrics({
      counters: src,
      leases,
      dnsmasq: { state: () => ({ running: true, pid: 9, restarts: 2 }) },
      now: () => t,
    });
    const text = await reg.metrics();
    expect(src.calls).toBe(1);
    for (const line of [
      'router_agent_rule_packets_total{rule="allow-ssh"} 3',
      'router_agent_rule_bytes_total{rule="allow-ssh"} 180',
      'router_agent_rule_packets_total{rule="input.drop"} 0',
      'router_agent_interface_receive_bytes_total{interface="lan0"} 10',
      'router_agent_interface_transmit_packets_total{interface="lan0"} 2',
      "router_agent_conntrack_entries 5",
      'router_agent_dhcp_leases{lan="lan",kind="static"} 1',
      'router_agent_dhcp_leases{lan="lan",kind="dynamic"} 2',
      "router_agent_dnsmasq_up 1",
      "router_agent_dnsmasq_restarts_total 2",
    ]) {
      expect(text.split("\n")).toContain(line);
    }
    // Values follow the source, and vanished label sets disappear.
    t += 5_000;
    src.next = { ...SAMPLE, rules: [{ id: "allow-ssh", packets: 4, bytes: 240 }] };
    const again = await reg.metrics();
    expect(src.calls).toBe(2);
    expect(again).toContain('router_agent_rule_packets_total{rule="allow-ssh"} 4');
    expect(again).not.toContain("input.drop");
  });

  it("serves /metrics over HTTP and 404s elsewhere", async () => {
    const reg = createMetrics({ counters: counters() });
    server = await serveMetrics(reg, "127.0.0.1", 0);
    const base = `http://127.0.0.1:${server.address.port}`;
    const ok = await fetch(`${base}/metrics`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("router_agent_conntrack_entries 5");
    expect((await fetch(`${base}/other`)).status).toBe(404);
  });

  it("survives a failing counter source", async () => {
    const reg = createMetrics({
      counters: {
        sample: async () => {
          throw new Error("nft gone");
        },
      },
    });
    const text = await reg.metrics();
    expect(text).toContain("# TYPE router_agent_rule_packets_total counter");
    expect(text).not.toMatch(/^router_agent_rule_packets_total\{/m);
    // An unlabelled gauge cannot be absent in prom-client: it reads 0, like
    // CounterSample.conntrackCount when conntrack is unavailable.
    expect(text).toMatch(/^router_agent_conntrack_entries 0$/m);
  });
});
