/**
 * The counter source against the real kernel: the rendered nft document is
 * loaded into a throwaway router namespace, a client namespace sends
 * traffic, and a sample taken through `ip netns exec` sees the rule counter,
 * the interface counters and the conntrack entries move. Root only.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { BoundSpec } from "../../agent/src/model/types.js";
import { renderNft } from "../../agent/src/render/nft.js";
import { SystemCounterSource } from "../../agent/src/runtime/counters.js";
import { RealExec } from "../../agent/src/runtime/exec.js";
import { createMetrics } from "../../agent/src/runtime/metrics.js";
import { memoryLogger } from "../support/memory-logger.js";
import {
  addAddress,
  addNamespace,
  addVeth,
  cleanupStale,
  nsRun,
  randomPrefix,
} from "../support/netns.js";
import { seedSpec } from "../support/runtime-specs.js";

const ROOT = process.getuid?.() === 0;

function spec(): BoundSpec {
  const s = seedSpec();
  const lan = s.lans[0];
  if (!lan) throw new Error("seed spec has no LAN");
  s.firewall.rules.push({
    id: "lan-ssh-alt",
    chain: "input",
    action: "accept",
    from: "lan",
    to: "any",
    protocol: "tcp",
    source_cidrs: [],
    destination_cidrs: [],
    ports: ["2222"],
    log: false,
  });
  return {
    ...s,
    wan: { ...s.wan, interface: "wan0" },
    lans: [{ ...lan, name: "lan", ifname: "lan0" }],
  };
}

describe.skipIf(!ROOT)("SystemCounterSource (real nft, netns)", () => {
  const prefixes: string[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
    for (const p of prefixes.splice(0)) await cleanupStale(p);
  });

  it("reads the agent's named counters, interface traffic and conntrack entries inside a namespace", async () => {
    const prefix = randomPrefix();
    prefixes.push(prefix);
    const dir = mkdtempSync(join(tmpdir(), "ra-counters-"));
    dirs.push(dir);
    const r = `${prefix}-r`;
    const c = `${prefix}-c`;
    await addNamespace(r);
    await addNamespace(c);
    await addVeth({ ns: r, ifname: "lan0" }, { ns: c, ifname: "eth0" });
    await addAddress(r, "lan0", "10.88.0.1/24");
    await addAddress(c, "eth0", "10.88.0.2/24");
    // A file, not stdin: nft 1.0.6 cannot read `-f -` from a socketpair, which is what Node's stdio pipes are.
    const doc = join(dir, "ruleset.json");
    writeFileSync(doc, JSON.stringify(renderNft(spec())));
    await nsRun(r, "nft", ["-j", "-f", doc]);

    const exec = new RealExec({ prefix: ["ip", "netns", "exec", r] });
    const source = new SystemCounterSource({ exec, logger: memoryLogger().logger });
    const before = await source.sample();
    expect(before.rules.find((x) => x.id === "lan-ssh-alt")).toEqual({
      id: "lan-ssh-alt",
      packets: 0,
      bytes: 0,
    });
    expect(before.rules.map((x) => x.id)).toContain("input.drop");
    expect(before.interfaces.map((i) => i.ifname)).toEqual(["lan0"]);

    // Three SYNs to the counted port (refused: nothing listens), and pings for conntrack.
    for (let i = 0; i < 3; i++) {
      await nsRun(c, "bash", ["-c", "exec 3<>/dev/tcp/10.88.0.1/2222"], { allowFail: true });
    }
    await nsRun(c, "busybox", ["ping", "-c", "2", "-W", "1", "10.88.0.1"]);

    const after = await source.sample();
    expect(after.rules.find((x) => x.id === "lan-ssh-alt")?.packets).toBe(3);
    const lan0 = after.interfaces.find((i) => i.ifname === "lan0");
    const lan0Before = before.interfaces.find((i) => i.ifname === "lan0");
    expect(lan0?.rxPackets).toBeGreaterThanOrEqual((lan0Before?.rxPackets ?? 0) + 5);
    expect(lan0?.txPackets).toBeGreaterThan(lan0Before?.txPackets ?? 0);
    expect(after.conntrackCount).toBeGreaterThan(0);

    const text = await createMetrics({ counters: source }).metrics();
    expect(text).toContain('router_agent_rule_packets_total{rule="lan-ssh-alt"} 3');
  });
});
