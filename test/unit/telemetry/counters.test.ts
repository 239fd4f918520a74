import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  parseConntrackCount,
  parseIpLinkStats,
  parseNftCounters,
} from "../../../agent/src/runtime/counter-parsers.js";
import { SystemCounterSource } from "../../../agent/src/runtime/counters.js";
import { FakeExec } from "../../../agent/src/runtime/fake-exec.js";
import { memoryLogger } from "../../support/memory-logger.js";

const fixture = (name: string) => readFileSync(join(import.meta.dirname, "fixtures", name), "utf8");
const TABLE = { family: "inet", name: "router_agent" };

describe("parseNftCounters (captured nft 1.0.6 output)", () => {
  it("maps counter names to ids, sorted", () => {
    expect(parseNftCounters(fixture("nft-list-counters.json"), TABLE)).toEqual([
      { id: "allow-ssh", packets: 0, bytes: 0 },
      { id: "input.drop", packets: 12, bytes: 840 },
      { id: "lan.blocked", packets: 3, bytes: 180 },
    ]);
  });

  it("ignores other tables and malformed entries", () => {
    const json = JSON.stringify({
      nftables: [
        { metainfo: { version: "1.0.6" } },
        { counter: { family: "ip", table: "other", name: "foo", packets: 1, bytes: 2 } },
        { counter: { family: "inet", table: "router_agent", name: "x", packets: -1, bytes: 2 } },
        { counter: { family: "inet", table: "router_agent", packets: 1, bytes: 2 } },
        null,
        { counter: { family: "inet", table: "router_agent", name: "ok", packets: 1, bytes: 2 } },
      ],
    });
    expect(parseNftCounters(json, TABLE)).toEqual([{ id: "ok", packets: 1, bytes: 2 }]);
  });

  it("throws on output that is not an nft document", () => {
    expect(() => parseNftCounters("Error: No such file", TABLE)).toThrow(/not JSON/);
    expect(() => parseNftCounters("{}", TABLE)).toThrow(/nftables array/);
  });
});

describe("parseIpLinkStats (captured iproute2 output)", () => {
  it("reads stats64 rx/tx per interface, sorted", () => {
    expect(parseIpLinkStats(fixture("ip-s-link.json"))).toEqual([
      { ifname: "lan0", rxBytes: 516, rxPackets: 6, txBytes: 510, txPackets: 7 },
      { ifname: "lan0p", rxBytes: 510, rxPackets: 7, txBytes: 516, txPackets: 6 },
      { ifname: "lo", rxBytes: 168, rxPackets: 2, txBytes: 168, txPackets: 2 },
    ]);
  });

  it("falls back to stats and skips links without statistics", () => {
    const json = JSON.stringify([
      { ifname: "old0", stats: { rx: { bytes: 1, packets: 2 }, tx: { bytes: 3, packets: 4 } } },
      { ifname: "none0" },
      { ifname: "bad0", stats64: { rx: { bytes: "1", packets: 2 }, tx: { bytes: 3, packets: 4 } } },
    ]);
    expect(parseIpLinkStats(json)).toEqual([
      { ifname: "old0", rxBytes: 1, rxPackets: 2, txBytes: 3, txPackets: 4 },
    ]);
    expect(() => parseIpLinkStats("{}")).toThrow(/array/);
  });
});

describe("parseConntrackCount", () => {
  it("reads the number and rejects anything else", () => {
    expect(parseConntrackCount("42\n")).toBe(42);
    expect(() => parseConntrackCount("cat: no such file")).toThrow(/not a number/);
  });
});

describe("SystemCounterSource", () => {
  it("samples all three parts through Exec", async () => {
    const exec = new FakeExec()
      .on("nft", ["-j", "list", "counters"], { stdout: fixture("nft-list-counters.json") })
      .on("ip", ["-j", "-s", "link"], { stdout: fixture("ip-s-link.json") })
      .on("cat", ["/proc/sys/net/netfilter/nf_conntrack_count"], { stdout: "7\n" });
    const src = new SystemCounterSource({ exec, logger: memoryLogger().logger, now: () => 1234 });
    const s = await src.sample();
    expect(s.at).toBe(1234);
    expect(s.rules.map((r) => r.id)).toEqual(["allow-ssh", "input.drop", "lan.blocked"]);
    expect(s.interfaces.map((i) => i.ifname)).toEqual(["lan0", "lan0p"]);
    expect(s.conntrackCount).toBe(7);
    expect(exec.dump()).toBe(
      [
        "$ nft -j list counters table inet router_agent",
        "$ ip -j -s link show",
        "$ cat /proc/sys/net/netfilter/nf_conntrack_count",
      ].join("\n"),
    );
  });

  it("returns empty parts instead of failing when a command fails", async () => {
    const exec = new FakeExec()
      .on("nft", [], { code: 1, stderr: "Error: No such file or directory" })
      .on("ip", [], { stdout: "not json" })
      .on("cat", [], { code: 1, stderr: "No such file" });
    const mem = memoryLogger();
    const s = await new SystemCounterSource({ exec, logger: mem.logger }).sample();
    expect(s).toMatchObject({ rules: [], interfaces: [], conntrackCount: 0 });
    expect(mem.records().filter((r) => String(r.msg).endsWith("unavailable"))).toHaveLength(3);
  });
});
