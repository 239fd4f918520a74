/**
 * End to end, with real packets: the router keeps routing through bad input
 * and through its own restarts. An invalid apply changes nothing while a
 * ping flows; an agent restart loses at most one ping; a killed dnsmasq is
 * restarted and clients renew; an unconfirmed commit rolls back and traffic
 * follows the old rules again.
 */
import { writeFile } from "node:fs/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { LAB_ADDR, Lab, type LabClient } from "./lab.js";
import { type LabAgent, startLabWithAgent } from "./lab-agent.js";
import { seedSpec } from "./lab-specs.js";
import { waitFor } from "./wait.js";

interface StatusJson {
  appliedRevision: number;
  appliedHash: string;
  dnsmasq: { running: boolean; pid?: number; restarts: number };
  pendingCommit?: { commitId: string; deadline: string; rollbackTo: number };
}

describe("resilience of the running router", () => {
  const lab = new Lab();
  let agent: LabAgent;
  let pi: LabClient;

  const status = () => agent.routerctlJson<StatusJson>(["status"]);
  /** The agent's table without counter values, so traffic does not change it. */
  const ruleset = async () =>
    (await lab.exec("router", "nft", ["-s", "list", "table", "inet", "router_agent"])).stdout;

  beforeAll(async () => {
    agent = await startLabWithAgent(seedSpec(), lab);
    pi = await lab.addClient("pi");
    lab.startDhcp(pi);
    await lab.waitForLease(pi);
    expect((await lab.fetch(pi, `http://${LAB_ADDR.internetServer}/`)).ok).toBe(true);
  });

  afterEach(async ({ task }) => {
    if (task.result?.state === "fail") console.log(`agent log tail:\n${await agent?.logTail(60)}`);
  });

  afterAll(async () => {
    await lab.down();
  });

  it("changes nothing on an invalid apply, while a ping keeps flowing", async () => {
    const before = await status();
    const rulesBefore = await ruleset();
    const ping = lab.startPing(pi, LAB_ADDR.internetServer, "ping-invalid");
    const first = await waitFor(
      async () => (await ping.report()).answered >= 3 && (await ping.report()),
      {
        what: "the ping to flow",
      },
    );

    // Invalid by the schema: routerctl refuses it with the field path.
    const broken = seedSpec();
    broken.lans[0].address = "10.88.0.1/33";
    const brokenFile = lab.path("broken.yaml");
    await writeFile(brokenFile, stringify(broken));
    const r1 = await agent.apply(brokenFile);
    expect(r1.code).toBe(1);
    expect(r1.stdout).toContain("lans[0].address");

    // Valid, but impossible on this router: the agent itself rejects it.
    const impossible = seedSpec();
    impossible.lans[0].interface = "ens99";
    const impossibleFile = lab.path("impossible.yaml");
    await writeFile(impossibleFile, stringify(impossible));
    const r2 = await agent.apply(impossibleFile);
    expect(r2.code).toBe(1);
    expect(r2.stdout).toContain("rejected by the agent");

    const after = await status();
    expect(after.appliedRevision).toBe(before.appliedRevision);
    expect(after.appliedHash).toBe(before.appliedHash);
    expect(after.dnsmasq.pid).toBe(before.dnsmasq.pid);
    expect(await ruleset()).toBe(rulesBefore);

    // Replies kept coming after both applies, and none went missing.
    await waitFor(async () => (await ping.report()).answered >= first.answered + 3, {
      what: "more ping replies after the applies",
    });
    const report = await ping.stop();
    expect(report.lost).toEqual([]);
  });

  it("keeps forwarding across an agent restart (SIGTERM, then start): at most one lost ping", async () => {
    const before = await status();
    const rulesBefore = await ruleset();
    const ping = lab.startPing(pi, LAB_ADDR.internetServer, "ping-restart");
    await waitFor(async () => (await ping.report()).answered >= 3, { what: "the ping to flow" });

    const exit = await agent.process?.stop({ sig: "SIGTERM", graceMs: 15_000 });
    expect(exit).toEqual({ code: 0, signal: null });
    await agent.stop();
    // With the agent gone the rules stay and packets still flow.
    expect(await ruleset()).toBe(rulesBefore);
    const whileDown = (await ping.report()).answered;
    await waitFor(async () => (await ping.report()).answered >= whileDown + 3, {
      what: "ping replies while the agent is stopped",
    });

    await agent.start();
    const after = await status();
    expect(after.appliedHash).toBe(before.appliedHash);
    expect(after.dnsmasq.running).toBe(true);
    const restarted = (await ping.report()).answered;
    await waitFor(async () => (await ping.report()).answered >= restarted + 3, {
      what: "ping replies after the restart",
    });
    const report = await ping.stop();
    expect(report.lost.length).toBeLessThanOrEqual(1);
    expect(await ruleset()).toBe(rulesBefore);
  });

  it("restarts a killed dnsmasq, and clients can renew", async () => {
    const before = await status();
    const pid = before.dnsmasq.pid;
    expect(before.dnsmasq.running).toBe(true);
    if (!pid) throw new Error("status shows no dnsmasq pid");
    const lease = await lab.waitForLease(pi);
    process.kill(pid, "SIGKILL");

    const after = await waitFor(
      async () => {
        const s = await status();
        return s.dnsmasq.running && s.dnsmasq.pid !== pid && s;
      },
      { timeoutMs: 30_000, what: "the agent to restart dnsmasq" },
    );
    expect(after.dnsmasq.restarts).toBeGreaterThan(before.dnsmasq.restarts);

    // A renew is a unicast DHCPREQUEST that only a running server answers.
    const event = await lab.renew(pi);
    expect(event).toMatch(new RegExp(`^renew ip=${lease.ip.replace(/\./g, "\\.")} `));
    expect(await lab.resolve(pi, "example.test", LAB_ADDR.lan1Router)).toEqual([
      LAB_ADDR.internetServer,
    ]);
  });

  it("rolls back an unconfirmed commit, and traffic follows the old rules again", async () => {
    const before = await status();
    const mainUrl = `http://${LAB_ADDR.mainHost}/`;
    expect((await lab.fetch(pi, mainUrl, 2)).ok).toBe(false);

    const open = seedSpec();
    open.lans[0].blocked_destinations = [];
    const openFile = lab.path("open.yaml");
    await writeFile(openFile, stringify(open));
    const r = await agent.apply(openFile, [
      "--confirm-within",
      "10s",
      "--reason",
      "try without the DMZ block",
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("pending commit");

    // Inside the window the new rules are live: the main network answers.
    const pending = await status();
    expect(pending.pendingCommit?.rollbackTo).toBe(before.appliedRevision);
    expect(pending.appliedHash).not.toBe(before.appliedHash);
    expect(await lab.fetch(pi, mainUrl)).toEqual({
      ok: true,
      body: `mainnet says hello to ${LAB_ADDR.wanRouter}\n`,
    });

    // No confirm: the agent rolls back by itself.
    const rolledBack = await waitFor(
      async () => {
        const s = await status();
        return !s.pendingCommit && s.appliedHash === before.appliedHash && s;
      },
      { timeoutMs: 40_000, intervalMs: 500, what: "the rollback after the confirm window" },
    );
    expect(rolledBack.appliedHash).toBe(before.appliedHash);
    expect((await lab.fetch(pi, mainUrl, 2)).ok).toBe(false);
    expect((await lab.fetch(pi, `http://${LAB_ADDR.internetServer}/`)).ok).toBe(true);
  });
});
