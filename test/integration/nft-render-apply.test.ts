/**
 * Rendered nft documents loaded into the real kernel, inside a throwaway
 * network namespace: re-applying a state replaces the agent's table exactly
 * (set elements included), leaves other tables alone, keeps counter values,
 * and, with the stale-object deletes, leaves no set or counter of an older
 * state behind. Needs root.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BoundSpec } from "../../agent/src/model/types.js";
import { type NftDocument, renderNft } from "../../agent/src/render/nft.js";
import { withStaleObjectsDeleted } from "../../agent/src/render/nft-prune.js";
import { addNamespace, deleteNamespace, nsRun, randomPrefix } from "../support/netns.js";
import { richSpec, seedSpec } from "../unit/render/bound-specs.js";

const prefix = randomPrefix();
const ns = `${prefix}-nft`;

let tmp = "";

async function nft(args: string[]): Promise<string> {
  return (await nsRun(ns, "nft", args, { timeoutMs: 60_000 })).stdout;
}

/**
 * Loads a document from a file: nft 1.0.6 opens "/dev/stdin" for `-f -`,
 * which fails (ENXIO) when stdin is the socket Node gives a child.
 */
async function apply(doc: NftDocument): Promise<void> {
  const file = join(tmp, "doc.json");
  writeFileSync(file, JSON.stringify(doc));
  await nft(["-j", "-f", file]);
}

async function listing(args: string[]): Promise<Record<string, Record<string, unknown>>[]> {
  return (JSON.parse(await nft(["-j", "list", ...args])) as { nftables: never[] }).nftables;
}

async function elements(set: string): Promise<unknown[]> {
  const items = await listing(["set", "inet", "router_agent", set]);
  return (items.find((o) => o.set)?.set?.elem as unknown[] | undefined) ?? [];
}

async function named(kind: "set" | "counter"): Promise<string[]> {
  const items = await listing(["table", "inet", "router_agent"]);
  return items.flatMap((o) => (o[kind] ? [o[kind].name as string] : [])).sort();
}

function withBlocked(cidrs: string[]): BoundSpec {
  const spec = seedSpec();
  spec.lans[0] = { ...(spec.lans[0] as BoundSpec["lans"][0]), blocked_destinations: cidrs };
  return spec;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), `${prefix}-`));
  await addNamespace(ns);
});

afterAll(async () => {
  rmSync(tmp, { recursive: true, force: true });
  await deleteNamespace(ns);
});

describe("applying rendered documents to the real nft", () => {
  it("leaves exactly the desired set elements when a list shrinks and grows, and other tables survive", async () => {
    await nft(["add", "table", "ip", "bystander"]);
    await nft([
      "add",
      "set",
      "ip",
      "bystander",
      "keep",
      "{ type ipv4_addr; elements = { 192.0.2.1 } ; }",
    ]);

    await apply(renderNft(withBlocked(["192.168.1.0/24", "192.168.2.0/24", "10.99.0.0/16"])));
    expect(await elements("lan2.blocked_v4")).toHaveLength(3);

    await apply(renderNft(withBlocked(["192.168.2.0/24"])));
    expect(await elements("lan2.blocked_v4")).toEqual([
      { prefix: { addr: "192.168.2.0", len: 24 } },
    ]);

    await apply(renderNft(withBlocked(["192.168.0.0/16", "10.99.0.0/16"])));
    expect(await elements("lan2.blocked_v4")).toEqual([
      { prefix: { addr: "10.99.0.0", len: 16 } },
      { prefix: { addr: "192.168.0.0", len: 16 } },
    ]);

    const bystander = await listing(["set", "ip", "bystander", "keep"]);
    expect(bystander.find((o) => o.set)?.set?.elem).toEqual(["192.0.2.1"]);
    await nft(["delete", "table", "ip", "bystander"]);
  });

  it("loads the same document twice without error and keeps counter values", async () => {
    await nft(["delete", "table", "inet", "router_agent"]);
    await nft(["add", "table", "inet", "router_agent"]);
    await nft([
      "add",
      "counter",
      "inet",
      "router_agent",
      "input.drop",
      "{ packets 7 bytes 700 ; }",
    ]);
    const doc = renderNft(richSpec());
    await apply(doc);
    await apply(doc);
    const counters = await listing(["counter", "inet", "router_agent", "input.drop"]);
    expect(counters.find((o) => o.counter)?.counter).toMatchObject({ packets: 7, bytes: 700 });
  });

  it("loads rules whose ids are also protocol names (ah, esp, tcp)", async () => {
    const spec = seedSpec();
    spec.firewall.rules = ["ah", "esp", "tcp"].map((id) => ({
      id,
      chain: "input" as const,
      action: "accept" as const,
      from: "any",
      to: "any",
      protocol: "any" as const,
      source_cidrs: [],
      destination_cidrs: [],
      ports: [],
      log: false,
    }));
    await apply(renderNft(spec));
    expect(await named("counter")).toEqual(
      expect.arrayContaining(["rule.ah", "rule.esp", "rule.tcp"]),
    );
  });

  it("removes the sets and counters of an older state only with the stale-object deletes", async () => {
    await apply(renderNft(richSpec()));
    const seedDoc = renderNft(seedSpec());
    await apply(seedDoc);
    expect(await named("set")).toContain("pf.web.src_v4"); // flush table alone keeps it

    await apply(renderNft(richSpec()));
    const live = { nftables: await listing(["table", "inet", "router_agent"]) };
    await apply(withStaleObjectsDeleted(seedDoc, live));
    expect(await named("set")).toEqual(
      ["lan2.blocked_v4", "wan.management_ports", "wan.management_v4", "wan.masquerade_v4"].sort(),
    );
    expect(await named("counter")).toEqual(
      ["forward.drop", "input.drop", "lan2.blocked", "wan.management", "wan.masquerade"].sort(),
    );
  });

  it("loads a 100k-entry blocklist as one set", async () => {
    const cidrs: string[] = [];
    for (let i = 0; i < 100_000; i++)
      cidrs.push(`${10 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.0/24`);
    await apply(renderNft(withBlocked(cidrs)));
    expect(await elements("lan2.blocked_v4")).toHaveLength(100_000);
    await apply(renderNft(withBlocked(["192.168.1.0/24"])));
    expect(await elements("lan2.blocked_v4")).toHaveLength(1);
  });
});
