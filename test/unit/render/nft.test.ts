import { describe, expect, it } from "vitest";
import {
  AGENT_TABLES,
  BUILTIN_COUNTERS,
  blockedCounterName,
  counterId,
  renderNft,
  ruleCounterName,
} from "../../../agent/src/render/nft.js";
import { richSpec, seedSpec, userRule } from "./bound-specs.js";
import { counters, references, rules, sets, text } from "./nft-doc.js";

describe("renderNft: the transaction", () => {
  it("adds and flushes the agent's table before anything else", () => {
    const doc = renderNft(seedSpec());
    const table = { family: "inet", name: "router_agent" };
    expect(AGENT_TABLES).toEqual([table]);
    expect(doc.nftables.slice(0, 3)).toEqual([
      { metainfo: { json_schema_version: 1 } },
      { add: { table } },
      { flush: { table } },
    ]);
  });

  it("flushes every set right after declaring it and before adding its complete element list", () => {
    const doc = renderNft(richSpec());
    const cmds = doc.nftables;
    const declared = cmds.flatMap((c, i) =>
      (c.add as { set?: { name: string } })?.set ? [i] : [],
    );
    expect(declared.length).toBeGreaterThan(5);
    for (const i of declared) {
      const name = (cmds[i]?.add as { set: { name: string } } | undefined)?.set.name;
      expect(cmds[i + 1]).toEqual({
        flush: { set: { family: "inet", table: "router_agent", name } },
      });
      expect((cmds[i + 2]?.add as { element?: { name: string } } | undefined)?.element?.name).toBe(
        name,
      );
    }
  });

  it("declares every set and counter a rule references, and no unused one", () => {
    for (const spec of [seedSpec(), richSpec()]) {
      const doc = renderNft(spec);
      const refs = references(doc);
      expect([...sets(doc).keys()].sort()).toEqual([...refs.sets].sort());
      expect([...counters(doc)].sort()).toEqual([...refs.counters].sort());
    }
  });

  it("declares the base chains with drop policies on input and forward", () => {
    const chains = renderNft(seedSpec())
      .nftables.map((c) => (c.add as { chain?: Record<string, unknown> })?.chain)
      .filter((c) => c !== undefined);
    expect(chains.map((c) => [c.name, c.hook, c.type, c.policy])).toEqual([
      ["input", "input", "filter", "drop"],
      ["forward", "forward", "filter", "drop"],
      ["prerouting", "prerouting", "nat", "accept"],
      ["postrouting", "postrouting", "nat", "accept"],
      ["handle_reject", undefined, undefined, undefined],
    ]);
  });

  it("is deterministic and ignores the order of CIDR and port lists", () => {
    const a = richSpec();
    const b = richSpec();
    b.lans[1]?.blocked_destinations.reverse();
    b.firewall.rules[0]?.ports.reverse();
    expect(JSON.stringify(renderNft(a))).toBe(JSON.stringify(renderNft(a)));
    expect(JSON.stringify(renderNft(b))).toBe(JSON.stringify(renderNft(a)));
  });
});

describe("renderNft: the seed's firewall", () => {
  const doc = renderNft(seedSpec());

  it("drops LAN traffic to the DMZ through a counted interval set", () => {
    expect(sets(doc).get("lan2.blocked_v4")).toEqual({
      type: "ipv4_addr",
      elem: [{ prefix: { addr: "192.168.1.0", len: 24 } }],
    });
    const blocked = rules(doc, "forward").filter((r) => r.comment === "lan2.blocked");
    expect(blocked.map(text)).toEqual([
      JSON.stringify([
        { match: { op: "==", left: { meta: { key: "iifname" } }, right: "ens7" } },
        {
          match: {
            op: "==",
            left: { payload: { protocol: "ip", field: "daddr" } },
            right: "@lan2.blocked_v4",
          },
        },
        { counter: "lan2.blocked" },
        { drop: null },
      ]),
    ]);
  });

  it("orders forward: established, invalid, blocked, LAN to WAN, counted drop", () => {
    const fwd = rules(doc, "forward").map(text);
    expect(fwd).toHaveLength(5);
    expect(fwd[0]).toContain('"established","related"');
    expect(fwd[1]).toContain('"invalid"');
    expect(fwd[2]).toContain("@lan2.blocked_v4");
    expect(fwd[3]).toContain('"oifname"');
    expect(fwd[3]).toContain('"addr":"10.88.0.0","len":24');
    expect(fwd[4]).toBe(JSON.stringify([{ counter: "forward.drop" }, { drop: null }]));
  });

  it("accepts DHCP and DNS on the LAN and the management port from its CIDRs on the WAN", () => {
    const input = rules(doc, "input").map(text);
    expect(input.some((r) => r.includes('"ens7"') && r.includes('"dport"}},"right":67'))).toBe(
      true,
    );
    expect(input.some((r) => r.includes('"ens7"') && r.includes('"dport"}},"right":53'))).toBe(
      true,
    );
    expect(sets(doc).get("wan.management_v4")?.elem).toEqual(["192.168.130.1"]);
    expect(sets(doc).get("wan.management_ports")?.elem).toEqual([7443]);
    const mgmt = rules(doc, "input").filter((r) => r.comment === BUILTIN_COUNTERS.management);
    expect(mgmt).toHaveLength(1);
    expect(text(mgmt[0] as never)).toContain('"eth0"');
    expect(input.at(-1)).toBe(JSON.stringify([{ counter: "input.drop" }, { drop: null }]));
  });

  it("masquerades the LAN subnet out of the WAN", () => {
    expect(rules(doc, "postrouting").map(text)).toEqual([
      JSON.stringify([
        { match: { op: "==", left: { meta: { key: "oifname" } }, right: "eth0" } },
        {
          match: {
            op: "==",
            left: { payload: { protocol: "ip", field: "saddr" } },
            right: "@wan.masquerade_v4",
          },
        },
        { counter: "wan.masquerade" },
        { masquerade: null },
      ]),
    ]);
    expect(sets(doc).get("wan.masquerade_v4")?.elem).toEqual([
      { prefix: { addr: "10.88.0.0", len: 24 } },
    ]);
  });

  it("has no NAT, management or log rules when those are off or empty", () => {
    const spec = seedSpec();
    spec.wan.masquerade = false;
    spec.wan.management.cidrs = [];
    spec.lans[0] = { ...spec.lans[0], blocked_destinations: [] } as never;
    const bare = renderNft(spec);
    expect(rules(bare, "postrouting")).toEqual([]);
    expect(
      rules(bare).some((r) => r.comment === "wan.management" || r.comment === "lan2.blocked"),
    ).toBe(false);
    expect([...sets(bare).keys()]).toEqual([]);
    expect(rules(bare).some((r) => text(r).includes('"log"'))).toBe(false);
  });
});

describe("renderNft: counters", () => {
  it("names user counters by id and built-ins with a dot", () => {
    const names = counters(renderNft(richSpec()));
    const ids = ["ssh-from-office", "deny-iot-smtp", "mixed", "web", "dns-udp"].map(
      ruleCounterName,
    );
    for (const id of ids) expect(names).toContain(id);
    for (const name of names.filter((n) => !ids.includes(n))) expect(name).toContain(".");
    expect(names).toContain(blockedCounterName("office"));
    expect(new Set(names).size).toBe(names.length);
  });

  it("puts the id in the comment of every rule that counts into it", () => {
    for (const r of rules(renderNft(richSpec()))) {
      const counter = r.expr.find((e) => "counter" in e)?.counter;
      if (counter !== undefined) expect(r.comment).toBe(counterId(counter as string));
    }
  });
});

describe("renderNft: user rules", () => {
  const render = (...r: Parameters<typeof userRule>[0][]) => {
    const spec = seedSpec();
    spec.firewall.rules = r.map(userRule);
    return renderNft(spec);
  };

  it("come after the blocked destinations and before the zone accepts, in list order", () => {
    const fwd = rules(render({ id: "b", action: "drop" }, { id: "a" }), "forward");
    const at = (comment: string) => fwd.findIndex((r) => r.comment === comment);
    const zoneAccept = fwd.findIndex((r) => text(r).includes('"oifname"'));
    expect(at("lan2.blocked")).toBeGreaterThan(-1);
    expect(at("lan2.blocked")).toBeLessThan(at("b"));
    expect(at("b")).toBeLessThan(at("a"));
    expect(at("a")).toBeLessThan(zoneAccept);
  });

  it("emit one rule per address family the CIDR lists allow, none when they exclude each other", () => {
    const both = render({ id: "x", source_cidrs: ["10.0.0.0/8", "fd00::/8"] });
    expect(rules(both).filter((r) => r.comment === "x")).toHaveLength(2);
    const v4only = render({
      id: "x",
      source_cidrs: ["10.0.0.0/8", "fd00::/8"],
      destination_cidrs: ["1.2.3.0/24"],
    });
    expect(rules(v4only).filter((r) => r.comment === "x")).toHaveLength(1);
    const none = render({
      id: "x",
      source_cidrs: ["10.0.0.0/8"],
      destination_cidrs: ["2001:db8::/32"],
    });
    expect(rules(none).filter((r) => r.comment === "x")).toEqual([]);
    expect(counters(none)).not.toContain("x");
  });

  it("never widen: an unknown zone or an unusable port list gives no rule at all", () => {
    expect(rules(render({ id: "x", from: "nowhere" })).filter((r) => r.comment === "x")).toEqual(
      [],
    );
    expect(
      rules(render({ id: "x", protocol: "icmp", ports: ["22"] })).filter((r) => r.comment === "x"),
    ).toEqual([]);
    expect(
      rules(render({ id: "x", protocol: "tcp", ports: ["0"] })).filter((r) => r.comment === "x"),
    ).toEqual([]);
  });

  it("map zones to interfaces, actions to verdicts, and log through a rate-limited twin", () => {
    const doc = render(
      {
        id: "r",
        from: "lan2",
        to: "wan",
        protocol: "tcp",
        ports: ["25"],
        action: "reject",
        log: true,
      },
      { id: "i", chain: "input", from: "wan", protocol: "udp", action: "drop" },
    );
    const r = rules(doc).filter((x) => x.comment === "r");
    expect(r).toHaveLength(2);
    expect(text(r[0] as never)).toContain(
      '{"limit":{"rate":10,"per":"minute"}},{"log":{"prefix":"router-agent r: "}}',
    );
    expect(text(r[1] as never)).toContain('"iifname"}},"right":"ens7"');
    expect(text(r[1] as never)).toContain('"oifname"}},"right":"eth0"');
    expect(text(r[1] as never)).toContain(
      '{"counter":"rule.r"},{"jump":{"target":"handle_reject"}}',
    );
    const i = rules(doc, "input").filter((x) => x.comment === "i");
    expect(i.map(text)).toEqual([
      JSON.stringify([
        { match: { op: "==", left: { meta: { key: "iifname" } }, right: "eth0" } },
        { match: { op: "==", left: { meta: { key: "l4proto" } }, right: "udp" } },
        { counter: "rule.i" },
        { drop: null },
      ]),
    ]);
  });
});

describe("renderNft: port forwards", () => {
  it("DNATs on the WAN from the source set, hairpins for LAN clients and masquerades same-LAN hairpin", () => {
    const doc = renderNft(richSpec());
    const web = rules(doc).filter((r) => r.comment === "web");
    expect(web.map((r) => r.chain)).toEqual(["prerouting", "prerouting", "postrouting"]);
    expect(text(web[0] as never)).toContain('"right":"@pf.web.src_v4"');
    expect(text(web[0] as never)).toContain(
      '{"dnat":{"family":"ip","addr":"10.88.0.10","port":80}}',
    );
    expect(text(web[1] as never)).toContain(
      '{"fib":{"result":"type","flags":["daddr"]}},"right":"local"',
    );
    expect(text(web[1] as never)).toContain(
      '"op":"!=","left":{"payload":{"protocol":"ip","field":"daddr"}},"right":{"set":["10.88.0.1","10.88.1.1","10.88.2.1"]}',
    );
    expect(text(web[2] as never)).toContain('"addr":"10.88.0.0","len":24');
    expect(rules(doc, "forward").some((r) => r.comment === "port-forwards")).toBe(true);
  });

  it("without source CIDRs matches IPv4 only; with only IPv6 sources emits no DNAT", () => {
    const spec = richSpec();
    const dns = rules(renderNft(spec)).filter((r) => r.comment === "dns-udp");
    expect(dns).toHaveLength(1);
    expect(text(dns[0] as never)).toContain('"nfproto"}},"right":"ipv4"');
    const fwd = spec.firewall.port_forwards[1];
    if (fwd) fwd.source_cidrs = ["2001:db8::/32"];
    expect(rules(renderNft(spec)).filter((r) => r.comment === "dns-udp")).toEqual([]);
  });
});

describe("renderNft: large sets", () => {
  it("keeps 100k CIDRs in one set with a constant number of rules", () => {
    const small = seedSpec();
    small.lans[0] = {
      ...small.lans[0],
      blocked_destinations: ["10.0.0.0/24", "10.0.1.0/24"],
    } as never;
    const big = seedSpec();
    const cidrs: string[] = [];
    for (let i = 0; i < 100_000; i++)
      cidrs.push(`${10 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.0/24`);
    big.lans[0] = { ...big.lans[0], blocked_destinations: cidrs } as never;

    const doc = renderNft(big);
    expect(sets(doc).get("lan2.blocked_v4")?.elem).toHaveLength(100_000);
    expect([...sets(doc).keys()]).toEqual([...sets(renderNft(small)).keys()]);
    expect(rules(doc)).toHaveLength(rules(renderNft(small)).length);
  });
});
