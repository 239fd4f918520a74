import { describe, expect, it } from "vitest";
import { renderNft } from "../../../agent/src/render/nft.js";
import {
  staleObjectDeletes,
  withStaleObjectsDeleted,
} from "../../../agent/src/render/nft-prune.js";
import { richSpec, seedSpec } from "./bound-specs.js";

const T = { family: "inet", table: "router_agent" };

/** What `nft -j list table inet router_agent` would show after loading `doc` (the named objects). */
function listingOf(doc: ReturnType<typeof renderNft>): { nftables: Record<string, unknown>[] } {
  return {
    nftables: doc.nftables.flatMap((c) => {
      const add = c.add as Record<string, Record<string, unknown>> | undefined;
      if (add === undefined || add.rule || add.element || add.table) return [];
      const [kind, body] = Object.entries(add)[0] as [string, Record<string, unknown>];
      return [{ [kind]: { ...body, handle: 1 } }];
    }),
  };
}

describe("staleObjectDeletes", () => {
  it("deletes the sets and counters of a richer state that the new one drops, chains last", () => {
    const deletes = staleObjectDeletes(renderNft(seedSpec()), {
      nftables: [
        ...listingOf(renderNft(richSpec())).nftables,
        { chain: { ...T, name: "old_chain", handle: 9 } },
      ],
    });
    const named = deletes.map((d) => {
      const [kind, body] = Object.entries(d.delete as object)[0] as [string, { name: string }];
      return `${kind} ${body.name}`;
    });
    expect(named).toContain("set office.blocked_v6");
    expect(named).toContain("set pf.web.src_v4");
    expect(named).toContain("counter rule.web");
    expect(named).toContain("counter office.blocked");
    expect(named).not.toContain("set lan2.blocked_v4");
    expect(named).not.toContain("counter input.drop");
    expect(named.at(-1)).toBe("chain old_chain");
    expect(deletes[0]).toEqual({ delete: { set: { ...T, name: "rule.ssh-from-office.ports" } } });
  });

  it("never names another table's objects and is empty when nothing is stale", () => {
    const doc = renderNft(richSpec());
    const live = listingOf(doc);
    live.nftables.push({ set: { family: "ip", table: "other", name: "x", handle: 1 } });
    live.nftables.push({ counter: { family: "inet", table: "fw4", name: "y", handle: 2 } });
    expect(staleObjectDeletes(doc, live)).toEqual([]);
    expect(withStaleObjectsDeleted(doc, live)).toBe(doc);
  });

  it("inserts the deletes right after the flush of the table", () => {
    const doc = renderNft(seedSpec());
    const out = withStaleObjectsDeleted(doc, listingOf(renderNft(richSpec())));
    expect(out.nftables.slice(0, 3)).toEqual(doc.nftables.slice(0, 3));
    expect(out.nftables[3]).toHaveProperty("delete");
    expect(out.nftables.slice(-doc.nftables.length + 3)).toEqual(doc.nftables.slice(3));
  });
});
