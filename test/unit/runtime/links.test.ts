import { describe, expect, it } from "vitest";
import type { BoundSpec, RouterSpec } from "../../../agent/src/model/types.js";
import { bindInterfaces, type ObservedLink, planLinks } from "../../../agent/src/render/links.js";
import { lan, seedSpec, specWith } from "../../support/runtime-specs.js";

const lo: ObservedLink = {
  ifname: "lo",
  mac: "",
  linkType: "loopback",
  up: true,
  addresses: ["127.0.0.1/8"],
};
const eth0: ObservedLink = {
  ifname: "eth0",
  mac: "2e:31:2a:ff:7d:45",
  linkType: "ether",
  up: true,
  addresses: ["192.168.130.2/24"],
};
const ens7: ObservedLink = {
  ifname: "ens7",
  mac: "60:be:b4:1e:19:63",
  linkType: "ether",
  up: false,
  addresses: [],
};
const ens8: ObservedLink = { ...ens7, ifname: "ens8", mac: "60:be:b4:1e:19:64" };
const br0: ObservedLink = {
  ifname: "br0",
  mac: "02:42:ac:11:00:01",
  linkType: "ether",
  kind: "bridge",
  up: true,
  addresses: [],
};
const veth: ObservedLink = { ...ens7, ifname: "lan0", mac: "aa:00:00:00:00:01", kind: "veth" };

function withInterface(match: RouterSpec["lans"][0]["interface"]): RouterSpec {
  return specWith((s) => {
    (s.lans[0] as RouterSpec["lans"][0]).interface = match;
  });
}

describe("bindInterfaces", () => {
  const cases: {
    name: string;
    spec: RouterSpec;
    links: ObservedLink[];
    ifnames?: string[];
    errors?: string[];
  }[] = [
    { name: "by name", spec: seedSpec(), links: [lo, eth0, ens7], ifnames: ["ens7"] },
    {
      name: "by name, missing",
      spec: seedSpec(),
      links: [lo, eth0],
      errors: ["lans[0].interface: no link named ens7; links: lo, eth0"],
    },
    {
      name: "by MAC",
      spec: withInterface({ mac: "60:be:b4:1e:19:64" }),
      links: [lo, eth0, ens7, ens8],
      ifnames: ["ens8"],
    },
    {
      name: "by MAC in upper case",
      spec: withInterface({ mac: "60:BE:B4:1E:19:63" }),
      links: [eth0, ens7],
      ifnames: ["ens7"],
    },
    {
      name: "by MAC, missing",
      spec: withInterface({ mac: "60:be:b4:1e:19:99" }),
      links: [eth0, ens7],
      errors: ["lans[0].interface: no link has MAC 60:be:b4:1e:19:99; links: eth0, ens7"],
    },
    {
      name: "auto picks the only non-WAN Ethernet link",
      spec: withInterface({ auto: true }),
      links: [lo, eth0, ens7, br0],
      ifnames: ["ens7"],
    },
    {
      name: "auto accepts a veth",
      spec: withInterface({ auto: true }),
      links: [lo, eth0, veth],
      ifnames: ["lan0"],
    },
    {
      name: "auto with two candidates",
      spec: withInterface({ auto: true }),
      links: [lo, eth0, ens7, ens8],
      errors: ["lans[0].interface: auto matches 2 links: ens7, ens8"],
    },
    {
      name: "auto with none",
      spec: withInterface({ auto: true }),
      links: [lo, eth0, br0],
      errors: ["lans[0].interface: auto matches no link; links: lo, eth0, br0"],
    },
    {
      name: "auto skips a link another LAN names",
      spec: specWith((s) => {
        s.lans = [lan("a", "ens7", 1), { ...lan("b", "x", 2), interface: { auto: true } }];
      }),
      links: [lo, eth0, ens7, ens8],
      ifnames: ["ens7", "ens8"],
    },
    {
      name: "the WAN as a LAN",
      spec: withInterface({ name: "eth0" }),
      links: [eth0, ens7],
      errors: ["lans[0].interface: eth0 is the WAN interface"],
    },
    {
      name: "two LANs on one link",
      spec: specWith((s) => {
        s.lans = [lan("a", "ens7", 1), { ...lan("b", "x", 2), interface: { mac: ens7.mac } }];
      }),
      links: [eth0, ens7],
      errors: ["lans[1].interface: ens7 is already used by lans[0]"],
    },
    {
      name: "every error is reported",
      spec: specWith((s) => {
        s.lans = [
          lan("a", "nope", 1),
          { ...lan("b", "x", 2), interface: { mac: "aa:aa:aa:aa:aa:aa" } },
        ];
      }),
      links: [eth0],
      errors: [
        "lans[0].interface: no link named nope; links: eth0",
        "lans[1].interface: no link has MAC aa:aa:aa:aa:aa:aa; links: eth0",
      ],
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const result = bindInterfaces(c.spec, c.links);
      if (c.errors) {
        expect(result.ok).toBe(false);
        if (!result.ok)
          expect(result.errors.map((e) => `${e.path}: ${e.message}`)).toEqual(c.errors);
      } else {
        expect(result.ok).toBe(true);
        if (result.ok) expect(result.value.lans.map((l) => l.ifname)).toEqual(c.ifnames);
      }
    });
  }

  it("keeps the rest of the spec untouched", () => {
    const result = bindInterfaces(seedSpec(), [eth0, ens7]);
    expect(result.ok && result.value.lans[0]).toMatchObject(seedSpec().lans[0] as object);
  });
});

function bound(lans: [string, string][]): BoundSpec {
  const spec = seedSpec();
  return {
    ...spec,
    lans: lans.map(([ifname, address], i) => ({ ...lan(`l${i}`, ifname, i), address, ifname })),
  };
}

describe("planLinks", () => {
  const cases: {
    name: string;
    observed: ObservedLink[];
    desired: BoundSpec;
    previous?: BoundSpec;
    ops: string[];
  }[] = [
    {
      name: "a down link without its address",
      observed: [eth0, ens7],
      desired: bound([["ens7", "10.88.0.1/24"]]),
      ops: ["link-up ens7", "addr-add ens7 10.88.0.1/24"],
    },
    {
      name: "already converged: nothing to do",
      observed: [eth0, { ...ens7, up: true, addresses: ["10.88.0.1/24"] }],
      desired: bound([["ens7", "10.88.0.1/24"]]),
      previous: bound([["ens7", "10.88.0.1/24"]]),
      ops: [],
    },
    {
      name: "an address we never owned is left alone",
      observed: [eth0, { ...ens7, up: true, addresses: ["10.99.0.1/24", "10.88.0.1/24"] }],
      desired: bound([["ens7", "10.88.0.1/24"]]),
      ops: [],
    },
    {
      name: "a changed address replaces the one we owned",
      observed: [eth0, { ...ens7, up: true, addresses: ["10.88.0.1/24"] }],
      desired: bound([["ens7", "10.88.0.1/16"]]),
      previous: bound([["ens7", "10.88.0.1/24"]]),
      ops: ["addr-del ens7 10.88.0.1/24", "addr-add ens7 10.88.0.1/16"],
    },
    {
      name: "a LAN that moved links",
      observed: [eth0, { ...ens7, up: true, addresses: ["10.88.0.1/24"] }, ens8],
      desired: bound([["ens8", "10.88.0.1/24"]]),
      previous: bound([["ens7", "10.88.0.1/24"]]),
      ops: ["addr-del ens7 10.88.0.1/24", "link-up ens8", "addr-add ens8 10.88.0.1/24"],
    },
    {
      name: "a removed LAN whose address is already gone",
      observed: [eth0, { ...ens7, up: true }],
      desired: bound([]),
      previous: bound([["ens7", "10.88.0.1/24"]]),
      ops: [],
    },
    {
      name: "equal addresses written differently",
      observed: [eth0, { ...ens7, up: true, addresses: ["10.88.0.1/24"] }],
      desired: bound([["ens7", "10.88.000.001/24"]]),
      ops: [],
    },
    {
      name: "two LANs",
      observed: [eth0, ens7, { ...ens8, up: true }],
      desired: bound([
        ["ens7", "10.1.0.1/24"],
        ["ens8", "10.2.0.1/24"],
      ]),
      ops: ["link-up ens7", "addr-add ens7 10.1.0.1/24", "addr-add ens8 10.2.0.1/24"],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const ops = planLinks(c.observed, c.desired, c.previous).map((o) =>
        o.op === "link-up" ? `${o.op} ${o.ifname}` : `${o.op} ${o.ifname} ${o.address}`,
      );
      expect(ops).toEqual(c.ops);
    });
  }
});
