import { describe, expect, it } from "vitest";
import { FakeExec } from "../../../agent/src/runtime/fake-exec.js";
import {
  describeDrift,
  type NftDocument,
  NftRunner,
  normalizeListing,
  tablesIn,
} from "../../../agent/src/runtime/nft-runner.js";

const T = { family: "inet", table: "router_agent" };

function listing(order: "a" | "b", packets = 0): NftDocument {
  const counter = { counter: { ...T, name: "x", handle: 3, packets, bytes: packets * 60 } };
  const set = { set: { ...T, name: "s", type: "ipv4_addr", handle: 9, elem: ["10.0.0.1"] } };
  const rules = [
    { rule: { ...T, chain: "forward", handle: order === "a" ? 5 : 50, expr: [{ accept: null }] } },
    { rule: { ...T, chain: "forward", handle: order === "a" ? 6 : 51, expr: [{ drop: null }] } },
  ];
  const objects = order === "a" ? [counter, set] : [set, counter];
  return {
    nftables: [
      { metainfo: { version: "1.0.6" } },
      { table: { family: "inet", name: "router_agent", handle: 1 } },
      ...objects,
      { chain: { ...T, name: "forward", handle: 4, hook: "forward" } },
      ...rules,
    ],
  };
}

describe("normalizeListing", () => {
  it("ignores handles, counter values and object order, but not rule order", () => {
    expect(normalizeListing(listing("a"))).toBe(normalizeListing(listing("b", 7)));
    const swapped = listing("a");
    const [r1, r2] = swapped.nftables.splice(-2);
    swapped.nftables.push(r2 as never, r1 as never);
    expect(normalizeListing(swapped)).not.toBe(normalizeListing(listing("a")));
  });
});

describe("describeDrift", () => {
  const base = normalizeListing(listing("a"));

  it("names what changed", () => {
    const changed = listing("a");
    changed.nftables.push({ rule: { ...T, chain: "forward", expr: [{ accept: null }] } });
    (changed.nftables[3] as { set: { elem: string[] } }).set.elem = [];
    changed.nftables.push({ chain: { ...T, name: "sneaky" } });
    expect(describeDrift(base, normalizeListing(changed))).toEqual([
      "rules inet router_agent forward: 3 rules differ from the 2 applied",
      "set inet router_agent s: changed",
      "chain inet router_agent sneaky: unexpected",
    ]);
  });

  it("reports a deleted table once", () => {
    expect(describeDrift(base, "")).toEqual(["table inet router_agent: missing"]);
  });
});

describe("NftRunner", () => {
  const owned = [
    { family: "inet", name: "router_agent" },
    { family: "ip", name: "router_agent_old" },
  ];

  it("applies one transaction that also drops owned tables the document does not create", async () => {
    const exec = new FakeExec();
    const doc: NftDocument = {
      nftables: [{ add: { table: { family: "inet", name: "router_agent" } } }],
    };
    await new NftRunner(exec, owned).apply(doc);
    expect(exec.dump()).toMatch(/^\$ nft -j -f - <<stdin/);
    expect(JSON.parse(exec.calls[0]?.input as string).nftables).toEqual([
      { add: { table: { family: "ip", name: "router_agent_old" } } },
      { delete: { table: { family: "ip", name: "router_agent_old" } } },
      { add: { table: { family: "inet", name: "router_agent" } } },
    ]);
    expect(tablesIn(doc)).toEqual([{ family: "inet", name: "router_agent" }]);
  });

  it("fails with nft's stderr", async () => {
    const exec = new FakeExec().on("nft", ["--check"], { code: 1, stderr: "Error: syntax error" });
    await expect(new NftRunner(exec, owned).check({ nftables: [] })).rejects.toMatchObject({
      stderr: "Error: syntax error",
    });
  });

  it("lists only owned tables that exist, and snapshots them without handles", async () => {
    const exec = new FakeExec()
      .on("nft", ["-j", "list", "tables"], {
        stdout: JSON.stringify({
          nftables: [
            { metainfo: {} },
            { table: { family: "inet", name: "router_agent" } },
            { table: { family: "ip", name: "docker" } },
          ],
        }),
      })
      .on("nft", ["-j", "list", "table", "inet", "router_agent"], {
        stdout: JSON.stringify(listing("a")),
      });
    const runner = new NftRunner(exec, owned);
    const snap = await runner.snapshot();
    expect(JSON.stringify(snap)).not.toMatch(/handle|metainfo/);
    expect(
      exec.callsOf("nft", ["-j", "list", "table"]).map((c) => c.args.slice(3).join(" ")),
    ).toEqual(["inet router_agent"]);
    // Re-applying a snapshot replaces the tables it holds instead of merging into them.
    await runner.apply(snap);
    const sent = JSON.parse(exec.calls.at(-1)?.input as string).nftables;
    expect(sent.slice(0, 4)).toEqual([
      { add: { table: { family: "inet", name: "router_agent" } } },
      { delete: { table: { family: "inet", name: "router_agent" } } },
      { add: { table: { family: "ip", name: "router_agent_old" } } },
      { delete: { table: { family: "ip", name: "router_agent_old" } } },
    ]);
  });
});
