/**
 * The API end to end on the real runtime: RouterClient → gRPC (unix socket)
 * → the real Router, real nft, ip and dnsmasq inside a throwaway network
 * namespace, and the real counter source reading the namespace's nft
 * counters. Leases come from the in-memory fake (the real lease path needs a
 * DHCP client; the lab tests cover it).
 *
 * Root only. The namespace carries a random prefix and is removed in
 * afterAll, with dnsmasq and the temp dir, whatever happened.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeStatus } from "../../agent/src/api/rpc-status.js";
import { type ApiServer, startApiServer } from "../../agent/src/api/server.js";
import { SystemCounterSource } from "../../agent/src/runtime/counters.js";
import type { DnsmasqSupervisor } from "../../agent/src/runtime/dnsmasq-supervisor.js";
import { Router } from "../../agent/src/runtime/router.js";
import { RouterClient } from "../../host-client/src/router-client.js";
import type { ReconcileResponse__Output } from "../../proto/gen/router/v1/ReconcileResponse.js";
import { FakeLeaseSource } from "../support/api/fake-sources.js";
import { Inbox, rawClient } from "../support/api/harness.js";
import { cleanupStale, nsRun, randomPrefix } from "../support/netns.js";
import { makeRouterNetns } from "../support/router-netns.js";

const ROOT = process.getuid?.() === 0;

/** The seed scenario without upstreams (nothing may leave the namespace), plus one counted rule. */
const SPEC = {
  wan: { interface: "eth0", management: { cidrs: ["203.0.113.0/24"] } },
  lans: [
    {
      name: "lan2",
      interface: "ens7",
      address: "10.88.0.1/24",
      blocked_destinations: ["192.168.1.0/24"],
      dhcp: { ranges: [{ start: "10.88.0.50", end: "10.88.0.200" }], lease_time: "12h" },
    },
  ],
  firewall: {
    rules: [
      {
        id: "lan-ssh",
        chain: "input",
        action: "accept",
        from: "lan2",
        protocol: "tcp",
        ports: [22],
      },
    ],
  },
};

describe.skipIf(!ROOT)("API on the real runtime (netns)", () => {
  const prefix = randomPrefix();
  const ns = `${prefix}-api`;
  let dir = "";
  let supervisor: DnsmasqSupervisor | undefined;
  let router: Router | undefined;
  let server: ApiServer | undefined;
  let client: RouterClient | undefined;

  beforeAll(async () => {
    const rn = await makeRouterNetns(prefix, ns, ["ens7"]);
    dir = rn.dir;
    const exec = rn.exec;
    const logger = pino({ level: "silent" });
    supervisor = rn.newSupervisor(logger);
    router = new Router(rn.routerOptions({ exec, dnsmasq: supervisor, logger }));
    await router.start();
    server = await startApiServer({
      runtime: router,
      leases: new FakeLeaseSource(),
      counters: new SystemCounterSource({ exec, logger }),
      logger,
      listeners: [{ kind: "unix", path: join(dir, "agent.sock") }],
    });
    client = new RouterClient({ target: `unix://${join(dir, "agent.sock")}` });
  }, 120_000);

  afterAll(async () => {
    try {
      client?.close();
      await server?.close();
      await router?.stop();
      await supervisor?.stop();
    } finally {
      await cleanupStale(prefix);
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  });

  const sh = async (args: string[]) => (await nsRun(ns, args[0] as string, args.slice(1))).stdout;

  it("a dry run plans without touching the kernel", async () => {
    const c = client as RouterClient;
    const r = await c.apply(SPEC, { dryRun: true });
    expect(r.error).toBeUndefined();
    expect(r.accepted).toBe(true);
    expect(r.plan?.nftDiff).toContain("router_agent");
    expect(r.plan?.linkOps).toContainEqual({
      op: "addr-add",
      ifname: "ens7",
      address: "10.88.0.1/24",
    });
    expect(await sh(["nft", "list", "tables"])).not.toContain("router_agent");
  });

  it("applies through the API: the table and the LAN address are live, generation and hash acked", async () => {
    const c = client as RouterClient;
    const r = await c.apply(SPEC, { reason: "api integration" });
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ accepted: true, applied: { generation: 1, revision: 1 } });
    expect(r.applied.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await sh(["nft", "list", "tables"])).toContain("table inet router_agent");
    expect(await sh(["ip", "-br", "-4", "addr", "show", "ens7"])).toContain("10.88.0.1/24");
    const { status, spec } = await c.status();
    expect(status).toMatchObject({
      appliedGeneration: 1,
      appliedRevision: 1,
      appliedHash: r.applied.hash,
    });
    expect(status.dnsmasq.running).toBe(true);
    expect(spec?.wan).toMatchObject({ interface: "eth0" });
    const history = await c.history();
    expect(history[0]).toMatchObject({ revision: 1, actor: "local", reason: "api integration" });
  });

  it("the agent's own validator NACKs a raw push with field paths; the kernel keeps the last good state", async () => {
    const before = await sh(["nft", "-j", "list", "table", "inet", "router_agent"]);
    const raw = rawClient(`unix:${join(dir, "agent.sock")}`);
    try {
      const stream = raw.Reconcile();
      const inbox = new Inbox<ReconcileResponse__Output>(stream);
      await inbox.next(); // hello
      stream.write({
        desired_state: {
          nonce: "bad",
          generation: 2,
          spec: {
            wan: { interface: "eth0" },
            lans: [
              {
                name: "lan2",
                interface: { name: "ens7" },
                address: "10.88.0.1/24",
                dhcp: { ranges: [{ start: "10.88.0.50", end: "10.88.1.5" }] },
              },
            ],
          },
        },
      });
      const ack = (await inbox.until((m) => m.kind === "ack")).ack;
      stream.end();
      expect(ack?.accepted).toBe(false);
      expect(ack?.applied_generation).toBe(1);
      const violations = decodeStatus(ack?.error ?? {}).fieldViolations;
      expect(violations.map((v) => v.path)).toContain("lans[0].dhcp.ranges[0].end");
    } finally {
      raw.close();
    }
    expect(await sh(["nft", "-j", "list", "table", "inet", "router_agent"])).toBe(before);
  });

  it("streams real counters: named rule counters and interface statistics", async () => {
    const [sample] = await (client as RouterClient).counters(200, 1);
    expect(sample?.rules.map((r) => r.id)).toContain("lan-ssh");
    expect(sample?.interfaces.map((i) => i.ifname)).toEqual(
      expect.arrayContaining(["eth0", "ens7"]),
    );
  });
});
