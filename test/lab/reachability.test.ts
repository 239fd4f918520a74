/**
 * End to end, with real packets: what a LAN client can and cannot reach
 * through the agent's ruleset. DNS forwarding, NAT to the pretend internet,
 * the seed's DMZ block with its counter, a port forward from the WAN, and
 * two LANs that stay apart unless `allow_lans` says otherwise.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LAB_ADDR, Lab, type LabClient } from "./lab.js";
import { type LabAgent, startLabWithAgent } from "./lab-agent.js";
import { type SpecObject, twoLanSpec, withPortForward, withStaticLease } from "./lab-specs.js";
import { waitFor } from "./wait.js";

const PI_MAC = "02:1a:b0:00:00:10";
const PI_IP = "10.88.0.10";
const CAM_MAC = "02:1a:b0:00:01:20";
const SERVICE_PORT = 8080;

/** Two LANs; pi has a fixed address and a port forward WAN:8080 -> pi:8080. */
function spec(allowLans: string[] = []): SpecObject {
  return withPortForward(
    withStaticLease(twoLanSpec(allowLans), PI_MAC, PI_IP, "pi"),
    "pi-web",
    SERVICE_PORT,
    PI_IP,
    SERVICE_PORT,
  );
}

interface CounterJson {
  rules: Array<{ id: string; packets: number; bytes: number }>;
}

describe("reachability through the router", () => {
  const lab = new Lab();
  let agent: LabAgent;
  let pi: LabClient;
  let cam: LabClient;
  let camIp: string;

  async function counter(id: string): Promise<number> {
    const sample = await agent.routerctlJson<CounterJson>(["counters", "--interval", "200ms"]);
    const rule = sample.rules.find((r) => r.id === id);
    if (!rule)
      throw new Error(`no counter ${id} in ${JSON.stringify(sample.rules.map((r) => r.id))}`);
    return rule.packets;
  }

  beforeAll(async () => {
    agent = await startLabWithAgent(spec(), lab);
    pi = await lab.addClient("pi", { mac: PI_MAC });
    cam = await lab.addClient("cam", { lan: "ens8", mac: CAM_MAC });
    lab.startDhcp(pi);
    lab.startDhcp(cam);
    expect((await lab.waitForLease(pi)).ip).toBe(PI_IP);
    camIp = (await lab.waitForLease(cam)).ip;
    expect(camIp).toMatch(/^10\.88\.1\.\d+$/);
    await lab.startResponder(pi, "pi-service", PI_IP, SERVICE_PORT);
    await lab.startResponder(cam, "cam-service", camIp, SERVICE_PORT);
  });

  afterEach(async ({ task }) => {
    if (task.result?.state === "fail") console.log(`agent log tail:\n${await agent?.logTail(60)}`);
  });

  afterAll(async () => {
    await lab.down();
  });

  it("resolves an internet name through the router's DNS forwarding", async () => {
    const lease = await lab.waitForLease(pi);
    expect(lease.dns).toEqual([LAB_ADDR.lan1Router]);
    expect(await lab.resolve(pi, "www.example.test", LAB_ADDR.lan1Router)).toEqual([
      LAB_ADDR.internetServer,
    ]);
    // The authoritative server got the query from the router's WAN address:
    // the router forwarded it, the client did not go around it.
    const dnsLog = await lab.readLog(lab.path("inet-dns.log"));
    expect(dnsLog).toMatch(
      new RegExp(
        `query\\[A\\] www\\.example\\.test from ${LAB_ADDR.wanRouter.replace(/\./g, "\\.")}`,
      ),
    );
  });

  it("fetches from the internet server through NAT; the server sees the router's WAN address", async () => {
    const r = await lab.fetch(pi, `http://${LAB_ADDR.internetServer}/`);
    expect(r).toEqual({ ok: true, body: `internet says hello to ${LAB_ADDR.wanRouter}\n` });
    expect((await lab.httpPeers("internet")).at(-1)).toBe(LAB_ADDR.wanRouter);
    expect(await lab.ping(pi, LAB_ADDR.internetServer)).toBe(true);
  });

  it("cannot reach the main network 192.168.1.0/24, and the block's counter grows", async () => {
    const before = await counter("lan2.blocked");
    expect((await lab.fetch(pi, `http://${LAB_ADDR.mainHost}/`, 2)).ok).toBe(false);
    expect(await lab.ping(pi, LAB_ADDR.mainHost, 1)).toBe(false);
    expect(await lab.httpPeers("mainnet")).toEqual([]);
    // The host itself reaches it: the block is the router's doing.
    expect(await lab.ping("host", LAB_ADDR.mainHost)).toBe(true);
    await waitFor(async () => (await counter("lan2.blocked")) > before, {
      what: "lan2.blocked to grow",
    });
  });

  it("forwards WAN port 8080 to the service on a client", async () => {
    const before = await counter("pi-web");
    const r = await lab.fetch("host", `http://${LAB_ADDR.wanRouter}:${SERVICE_PORT}/`);
    expect(r).toEqual({ ok: true, body: `pi-service says hello to ${LAB_ADDR.wanGateway}\n` });
    expect((await lab.httpPeers("pi-service")).at(-1)).toBe(LAB_ADDR.wanGateway);
    await waitFor(async () => (await counter("pi-web")) > before, { what: "pi-web to grow" });
  });

  it("keeps two LANs apart unless allow_lans permits, and then only in that direction", async () => {
    // Both services answer on their own LAN (the router reaches both).
    expect((await lab.fetch("router", `http://${camIp}:${SERVICE_PORT}/`)).ok).toBe(true);
    expect((await lab.fetch("router", `http://${PI_IP}:${SERVICE_PORT}/`)).ok).toBe(true);

    expect((await lab.fetch(pi, `http://${camIp}:${SERVICE_PORT}/`, 2)).ok).toBe(false);
    expect((await lab.fetch(cam, `http://${PI_IP}:${SERVICE_PORT}/`, 2)).ok).toBe(false);

    await agent.applySpec(spec(["lan3"]), "allow-lan3", ["--reason", "lan2 may reach lan3"]);
    try {
      const r = await lab.fetch(pi, `http://${camIp}:${SERVICE_PORT}/`);
      expect(r).toEqual({ ok: true, body: `cam-service says hello to ${PI_IP}\n` });
      expect((await lab.fetch(cam, `http://${PI_IP}:${SERVICE_PORT}/`, 2)).ok).toBe(false);
    } finally {
      await agent.applySpec(spec(), "isolated-again", ["--reason", "isolate again"]);
    }
    expect((await lab.fetch(pi, `http://${camIp}:${SERVICE_PORT}/`, 2)).ok).toBe(false);
  });
});
