/**
 * End to end, with real packets: what the WAN side may open. Nothing towards
 * LAN clients (even with a route to them), and the agent API only from the
 * management allow-list (192.168.130.1/32): a second WAN address holding
 * valid credentials is still refused by the firewall.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LAB_ADDR, Lab, type LabClient } from "./lab.js";
import { type LabAgent, startLabWithAgent } from "./lab-agent.js";
import { seedSpec, withStaticLease } from "./lab-specs.js";

const PI_MAC = "02:1a:b0:00:00:10";
const PI_IP = "10.88.0.10";

describe("management access from the WAN", () => {
  const lab = new Lab();
  let agent: LabAgent;
  let pi: LabClient;

  beforeAll(async () => {
    agent = await startLabWithAgent(withStaticLease(seedSpec(), PI_MAC, PI_IP, "pi"), lab);
    pi = await lab.addClient("pi", { mac: PI_MAC });
    lab.startDhcp(pi);
    expect((await lab.waitForLease(pi)).ip).toBe(PI_IP);
    await lab.startResponder(pi, "pi-service", PI_IP, 8080);
  });

  afterEach(async ({ task }) => {
    if (task.result?.state === "fail") console.log(`agent log tail:\n${await agent?.logTail(60)}`);
  });

  afterAll(async () => {
    await lab.down();
  });

  it("does not let the WAN side open connections to LAN clients", async () => {
    // The service is up and reachable from inside (the router itself).
    expect((await lab.fetch("router", `http://${PI_IP}:8080/`)).ok).toBe(true);
    // The host has a route to 10.88.0.0/16 via the router; the firewall says no.
    const route = await lab.exec("host", "ip", ["route", "get", PI_IP]);
    expect(route.stdout).toContain(`via ${LAB_ADDR.wanRouter}`);
    expect((await lab.fetch("host", `http://${PI_IP}:8080/`, 2)).ok).toBe(false);
    expect((await lab.fetch("stranger", `http://${PI_IP}:8080/`, 2)).ok).toBe(false);
    expect(await lab.httpPeers("pi-service")).toEqual([LAB_ADDR.lan1Router]);
    // Replies to connections the client opened do come back.
    expect((await lab.fetch(pi, `http://${LAB_ADDR.internetServer}/`)).ok).toBe(true);
  });

  it("serves the API to the management allow-list and refuses a second WAN address", async () => {
    const fromHost = await agent.routerctlJson<{ appliedRevision: number }>(["status"], {
      from: "host",
    });
    expect(fromHost.appliedRevision).toBeGreaterThanOrEqual(1);

    // The stranger shares the WAN segment and reaches the router (ICMP)...
    expect(await lab.ping("stranger", LAB_ADDR.wanRouter)).toBe(true);
    // ...and the API listens on that address (seen from inside the router)...
    const ss = await lab.exec("router", "ss", ["-Htln", `sport = :${LAB_ADDR.apiPort}`]);
    expect(ss.stdout).toContain(`${LAB_ADDR.wanRouter}:${LAB_ADDR.apiPort}`);
    // ...but its TCP handshake is dropped, so even valid credentials fail.
    const tcp = await lab.exec(
      "stranger",
      "busybox",
      ["nc", "-w", "2", LAB_ADDR.wanRouter, String(LAB_ADDR.apiPort)],
      { allowFail: true, input: "" },
    );
    expect(tcp.code).not.toBe(0);
    // routerctl reports the failure after --timeout and exits 3 by itself,
    // although its SYN is still unanswered (the lab would kill it at 30 s).
    const fromStranger = await agent.routerctl(["status", "--json", "--timeout", "3s"], {
      from: "stranger",
      allowFail: true,
      timeoutMs: 30_000,
    });
    expect(fromStranger.code).toBe(3);
    expect(JSON.parse(fromStranger.stdout)).toMatchObject({ error: { kind: "unreachable" } });
  });
});
