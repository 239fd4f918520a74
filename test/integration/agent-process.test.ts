/**
 * The built agent as a process, started with the node flags of the packaged
 * unit's `ExecStart=` (packaging/systemd/router-agent.service), in a throwaway
 * namespace: it holds the documented list limits under those flags, and what
 * it loads only on demand still works. Needs `make build` (dist/).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { RouterClient } from "../../host-client/src/router-client.js";
import { limitSpec } from "../support/limit-specs.js";
import { cleanupStale, nsRun, randomPrefix } from "../support/netns.js";
import { type NsAgent, parseExecStart, startNsAgent } from "../support/ns-agent.js";
import { specWith } from "../support/runtime-specs.js";

const REPO = join(import.meta.dirname, "../..");
const UNIT = parseExecStart(
  readFileSync(join(REPO, "packaging/systemd/router-agent.service"), "utf8"),
);
const MAIN = join(REPO, "dist/agent/src/main.js");
const SEED = specWith((s) => {
  s.dns.upstreams = [];
});

const prefix = randomPrefix();
let agent: NsAgent | undefined;
let client: RouterClient | undefined;

afterEach(async () => {
  try {
    client?.close();
    await agent?.stop();
  } finally {
    client = undefined;
    agent = undefined;
    await cleanupStale(prefix);
  }
});

async function start(tag: string, extraYaml = ""): Promise<NsAgent> {
  agent = await startNsAgent({
    prefix,
    tag,
    node: process.execPath,
    nodeFlags: UNIT.nodeFlags,
    script: MAIN,
    spec: SEED,
    extraYaml,
  });
  return agent;
}

/** The elements of one of the agent's nft sets, in the agent's namespace. */
async function setSize(ns: string, set: string): Promise<number> {
  const r = await nsRun(ns, "nft", ["-j", "list", "set", "inet", "router_agent", set]);
  const doc = JSON.parse(r.stdout) as { nftables: Array<{ set?: { elem?: unknown[] } }> };
  return doc.nftables.find((o) => o.set)?.set?.elem?.length ?? 0;
}

describe("the agent process under the unit's node flags", () => {
  it("applies 100k CIDRs + 10k static leases, then replaces every entry, and stays up", async () => {
    const a = await start("limits");
    client = new RouterClient({ target: a.target, timeoutMs: 300_000 });
    const first = await client.apply(limitSpec(0), { reason: "limits" });
    expect(first.accepted, JSON.stringify(first.error)).toBe(true);
    expect(await setSize(a.ns, "lan2.blocked_v4")).toBe(90_000);
    expect(await setSize(a.ns, "lan2.blocked_v6")).toBe(10_000);
    const leases = readFileSync(join(a.dir, "state/dnsmasq/dhcp-hosts.d/static"), "utf8").trim();
    expect(leases.split("\n")).toHaveLength(10_000);

    // The replacement is the heap's worst case: both states and the plan live
    // at once. Its full diffs (~29 MB) would not fit the 16 MiB message limit;
    // the Ack carries them cut to MAX_PLAN_DIFF_CHARS each, so it arrives.
    const second = limitSpec(1);
    const replaced = await client.apply(second, { reason: "limits, replaced" });
    expect(replaced.accepted, JSON.stringify(replaced.error)).toBe(true);
    expect(replaced.plan?.nftDiff).toMatch(/diff truncated: \d+ more lines/);
    expect(a.running(), a.output().slice(-2000)).toBe(true);
    const state = await client.status();
    expect(state.status.appliedRevision).toBe(3);
    expect(state.spec?.lans).toMatchObject([
      {
        blocked_destinations: expect.arrayContaining(
          second.lans[0]?.blocked_destinations.slice(0, 3) ?? [],
        ),
      },
    ]);
    expect(await setSize(a.ns, "lan2.blocked_v4")).toBe(90_000);
  }, 300_000);

  it("serves /metrics when configured (prom-client and node:http are loaded on demand)", async () => {
    const a = await start("metrics", "metrics:\n  address: 127.0.0.1\n  port: 9100\n");
    await a.waitForOutput('"metrics listening"', 10_000);
    const r = await nsRun(a.ns, process.execPath, [
      "-e",
      "fetch('http://127.0.0.1:9100/metrics').then(async (r) => console.log(r.status, await r.text()))",
    ]);
    expect(r.stdout).toMatch(/^200 /);
    expect(r.stdout).toContain("router_agent_dnsmasq_up 1");
    expect(r.stdout).toMatch(/router_agent_rule_packets_total|router_agent_conntrack_entries/);
  }, 60_000);
});
