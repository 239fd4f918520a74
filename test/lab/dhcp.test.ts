/**
 * End to end, with real packets: DHCP from the agent's dnsmasq to busybox
 * udhcpc clients, and the leases reaching the host through the API.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LAB_ADDR, Lab } from "./lab.js";
import { type LabAgent, startLabWithAgent, type WatchHandle } from "./lab-agent.js";
import { seedSpec, withStaticLease } from "./lab-specs.js";

const FIXED_MAC = "02:1a:b0:00:00:99";
const FIXED_IP = "10.88.0.10";

interface LeaseJson {
  mac: string;
  ip: string;
  hostname?: string;
  kind: string;
  lan?: string;
  expiresAt: number;
}

function ipNumber(ip: string): number {
  return ip.split(".").reduce((n, p) => n * 256 + Number(p), 0);
}

describe("DHCP in the router lab", () => {
  const lab = new Lab();
  let agent: LabAgent;
  let watch: WatchHandle;

  beforeAll(async () => {
    agent = await startLabWithAgent(withStaticLease(seedSpec(), FIXED_MAC, FIXED_IP, "fixed"), lab);
    // Subscribed before any client asks, so the lease must arrive as an event.
    watch = agent.watch(["leases"]);
    await watch.waitForLine((l) => typeof l === "object" && l !== null && "leases" in l);
  });

  afterEach(async ({ task }) => {
    if (task.result?.state === "fail") console.log(`agent log tail:\n${await agent?.logTail(60)}`);
  });

  afterAll(async () => {
    await lab.down();
  });

  it("gives a client a lease inside the range, with the router and DNS options", async () => {
    const pi = await lab.addClient("pi");
    lab.startDhcp(pi);
    const lease = await lab.waitForLease(pi);
    expect(ipNumber(lease.ip)).toBeGreaterThanOrEqual(ipNumber("10.88.0.50"));
    expect(ipNumber(lease.ip)).toBeLessThanOrEqual(ipNumber("10.88.0.200"));
    expect(lease.subnet).toBe("255.255.255.0");
    expect(lease.routers).toEqual([LAB_ADDR.lan1Router]);
    expect(lease.dns).toEqual([LAB_ADDR.lan1Router]);
    expect(lease.serverId).toBe(LAB_ADDR.lan1Router);
    expect(lease.leaseSeconds).toBe(12 * 3600);
    // The lease is usable: the router answers on it.
    expect(await lab.ping(pi, LAB_ADDR.lan1Router)).toBe(true);
  });

  it("shows the lease to the host: routerctl leases --json, and a Subscribe event", async () => {
    const pi = lab.clients.find((c) => c.name === "pi");
    if (!pi) throw new Error("the previous test made no client");
    const lease = await lab.waitForLease(pi);

    const event = (await watch.waitForLine(
      (l) => (l as { event?: string; lease?: LeaseJson }).lease?.ip === lease.ip,
      20_000,
    )) as { event: string; lease: LeaseJson };
    expect(event.event).toBe("add");
    expect(event.lease).toMatchObject({
      mac: pi.mac,
      ip: lease.ip,
      hostname: "pi",
      kind: "dynamic",
      lan: "lan2",
    });

    const { leases } = await agent.routerctlJson<{ leases: LeaseJson[] }>(["leases"]);
    const row = leases.find((l) => l.mac === pi.mac);
    expect(row).toMatchObject({ ip: lease.ip, hostname: "pi", kind: "dynamic", lan: "lan2" });
    expect(row?.expiresAt).toBeGreaterThan(Date.now() / 1000);
  });

  it("gives a client with a static lease its fixed IP", async () => {
    const fixed = await lab.addClient("fixed", { mac: FIXED_MAC });
    lab.startDhcp(fixed);
    const lease = await lab.waitForLease(fixed);
    expect(lease.ip).toBe(FIXED_IP);
    expect(lease.routers).toEqual([LAB_ADDR.lan1Router]);

    await watch.waitForLine((l) => (l as { lease?: LeaseJson }).lease?.ip === FIXED_IP, 20_000);
    const { leases } = await agent.routerctlJson<{ leases: LeaseJson[] }>(["leases"]);
    expect(leases.find((l) => l.mac === FIXED_MAC)).toMatchObject({ ip: FIXED_IP, kind: "static" });
  });
});
