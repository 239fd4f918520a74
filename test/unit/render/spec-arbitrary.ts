/**
 * fast-check generators of valid, bound desired states, built directly (not
 * by filtering): LAN subnets are 10.<unique>.x.x with prefixes /16../30, so
 * they never overlap; ranges, leases and forward targets are host addresses
 * of their LAN other than the router's; ids are unique across rules and
 * forwards; forward WAN ports never take a management port. Every generated
 * spec, with its `ifname`s turned back into `interface: {name}`, is one
 * that `validateSpec` accepts unchanged.
 */
import fc from "fast-check";
import ipaddr from "ipaddr.js";
import type {
  BoundLan,
  BoundSpec,
  DhcpOption,
  DhcpSpec,
  FirewallRule,
  HostRecord,
  PortForward,
  RouterSpec,
  StaticLease,
} from "../../../agent/src/model/types.js";

const ipv4 = (value: number): string =>
  [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join(".");

/** A canonical IPv4 or IPv6 CIDR (host bits clear, RFC 5952 text), or a bare host. */
export const cidrArb: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }))
    .map(([v, len]) => {
      const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
      return `${ipv4((v & mask) >>> 0)}/${len}`;
    }),
  fc
    .tuple(
      fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 16, maxLength: 16 }),
      fc.integer({ min: 0, max: 128 }),
    )
    .map(([bytes, len]) => {
      const masked = bytes.map((b, i) => {
        const keep = Math.max(0, Math.min(8, len - i * 8));
        return b & ((0xff << (8 - keep)) & 0xff);
      });
      return `${ipaddr.fromByteArray(masked).toString()}/${len}`;
    }),
);

const cidrListArb = fc.array(cidrArb, { maxLength: 6 });

const labelArb = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
const domainArb = fc
  .array(labelArb, { minLength: 1, maxLength: 3 })
  .map((labels) => labels.join("."));
const hostnameArb = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const idArb = fc.stringMatching(/^[a-z][a-z0-9_-]{0,47}$/);
const lanNameArb = fc
  .stringMatching(/^[a-z][a-z0-9_]{0,14}$/)
  .filter((n) => n !== "wan" && n !== "any");
const WAN_NAMES = ["eth0", "wan0", "enp1s0"];
const ifnameArb = fc
  .stringMatching(/^[a-z][a-z0-9_.-]{0,14}$/)
  .filter((n) => n !== "lo" && !WAN_NAMES.includes(n));
const upstreamPool = [
  "1.1.1.1",
  "8.8.8.8",
  "9.9.9.9",
  "203.0.113.53",
  "2606:4700:4700::1111",
  "2001:db8::53",
];
const leaseTimeArb = fc.constantFrom("12h", "1d", "45m", "infinite", "3600", "2w");
const portSpecArb = fc.oneof(
  fc.integer({ min: 1, max: 65535 }).map(String),
  fc
    .tuple(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 1, max: 65535 }))
    .map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
);

/** Rule comments may hold anything but control characters (C0, DEL, C1). */
function hasNoControlChars(text: string): boolean {
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return false;
  }
  return true;
}

interface LanPlan {
  name: string;
  ifname: string;
  network: number;
  prefix: number;
}

/** Offsets of usable host addresses in a /prefix other than the router's (+1). */
function hostOffsetArb(prefix: number): fc.Arbitrary<number> {
  const size = 2 ** (32 - prefix);
  return fc.integer({ min: 2, max: size - 2 });
}

function dhcpArb(plan: LanPlan, index: number): fc.Arbitrary<DhcpSpec> {
  const size = 2 ** (32 - plan.prefix);
  const routerIp = ipv4(plan.network + 1);
  const hosts = size - 3; // offsets 2..size-2
  const ranges = fc
    .uniqueArray(fc.integer({ min: 2, max: size - 2 }), {
      minLength: 1,
      maxLength: Math.min(6, hosts),
    })
    .map((points) => {
      const sorted = [...points].sort((a, b) => a - b);
      const out: { start: string; end: string }[] = [];
      for (let i = 0; i < sorted.length; i += 2) {
        const a = sorted[i] as number;
        const b = sorted[i + 1] ?? a;
        out.push({ start: ipv4(plan.network + a), end: ipv4(plan.network + b) });
      }
      return out;
    });
  const leases = fc
    .uniqueArray(fc.tuple(hostOffsetArb(plan.prefix), fc.option(hostnameArb, { nil: undefined })), {
      maxLength: Math.min(4, hosts),
      selector: ([offset]) => offset,
    })
    .map((items) =>
      items.map(([offset, hostname], i): StaticLease => {
        const lease: StaticLease = {
          mac: `02:00:00:${index.toString(16).padStart(2, "0")}:00:${i.toString(16).padStart(2, "0")}`,
          ip: ipv4(plan.network + offset),
        };
        if (hostname !== undefined) lease.hostname = hostname;
        return lease;
      }),
    );
  const options = fc.subarray<DhcpOption>([
    { option: "ntp-server", values: [routerIp] },
    { option: "26", values: ["1400"] },
    { option: "netbios-ns", values: [routerIp, "10.255.0.1"] },
    { option: "119", values: ["example.com"] },
  ]);
  return fc
    .record({
      ranges,
      lease_time: leaseTimeArb,
      extraDns: fc.boolean(),
      static_leases: leases,
      options,
    })
    .map(({ extraDns, ...d }) => ({
      ...d,
      router: routerIp,
      dns_servers: extraDns ? [routerIp, "1.1.1.1"] : [routerIp],
    }));
}

function lanArb(plan: LanPlan, index: number, names: string[]): fc.Arbitrary<BoundLan> {
  return fc
    .record({
      allow_lans: fc.subarray(names.filter((n) => n !== plan.name)),
      blocked_destinations: cidrListArb,
      domain: fc.option(domainArb, { nil: undefined }),
      dhcp: fc.option(dhcpArb(plan, index), { nil: undefined }),
    })
    .map((r) => {
      const lan: BoundLan = {
        name: plan.name,
        interface: { name: plan.ifname },
        ifname: plan.ifname,
        address: `${ipv4(plan.network + 1)}/${plan.prefix}`,
        allow_lans: r.allow_lans,
        blocked_destinations: r.blocked_destinations,
      };
      if (r.domain !== undefined) lan.domain = r.domain;
      if (r.dhcp !== undefined) lan.dhcp = r.dhcp;
      return lan;
    });
}

const lanPlansArb: fc.Arbitrary<LanPlan[]> = fc
  .integer({ min: 1, max: 4 })
  .chain((n) =>
    fc.tuple(
      fc.uniqueArray(lanNameArb, { minLength: n, maxLength: n }),
      fc.uniqueArray(ifnameArb, { minLength: n, maxLength: n }),
      fc.uniqueArray(fc.integer({ min: 0, max: 255 }), { minLength: n, maxLength: n }),
      fc.array(fc.tuple(fc.integer({ min: 16, max: 30 }), fc.integer({ min: 0, max: 0xffff })), {
        minLength: n,
        maxLength: n,
      }),
    ),
  )
  .map(([names, ifnames, seconds, shapes]) =>
    names.map((name, i) => {
      const [prefix, low] = shapes[i] as [number, number];
      const mask = (0xffffffff << (32 - prefix)) >>> 0;
      const network = (((10 << 24) | ((seconds[i] as number) << 16) | low) & mask) >>> 0;
      return { name, ifname: ifnames[i] as string, network, prefix };
    }),
  );

function forwardArb(id: string, plans: LanPlan[], wanPort: number): fc.Arbitrary<PortForward> {
  return fc
    .record({
      protocol: fc.constantFrom<"tcp" | "udp">("tcp", "udp"),
      lan: fc.integer({ min: 0, max: plans.length - 1 }),
      offset: fc.integer({ min: 0, max: 0xffff }),
      to_port: fc.integer({ min: 1, max: 65535 }),
      source_cidrs: cidrListArb,
      hairpin: fc.boolean(),
    })
    .map((r) => {
      const plan = plans[r.lan] as LanPlan;
      const size = 2 ** (32 - plan.prefix);
      const offset = 2 + (r.offset % (size - 3));
      return {
        id,
        protocol: r.protocol,
        wan_port: wanPort,
        to: ipv4(plan.network + offset),
        to_port: r.to_port,
        source_cidrs: r.source_cidrs,
        hairpin: r.hairpin,
      };
    });
}

function ruleArb(id: string, zones: string[]): fc.Arbitrary<FirewallRule> {
  return fc
    .record({
      chain: fc.constantFrom<"input" | "forward">("input", "forward"),
      action: fc.constantFrom<"accept" | "drop" | "reject">("accept", "drop", "reject"),
      from: fc.constantFrom(...zones),
      to: fc.constantFrom(...zones),
      protocol: fc.constantFrom<"any" | "tcp" | "udp" | "icmp">("any", "tcp", "udp", "icmp"),
      source_cidrs: cidrListArb,
      destination_cidrs: cidrListArb,
      ports: fc.array(portSpecArb, { maxLength: 5 }),
      log: fc.boolean(),
      comment: fc.option(fc.string({ maxLength: 40 }).filter(hasNoControlChars), {
        nil: undefined,
      }),
    })
    .map((r) => {
      const rule: FirewallRule = {
        id,
        chain: r.chain,
        action: r.action,
        from: r.from,
        to: r.chain === "forward" ? r.to : "any",
        protocol: r.protocol,
        source_cidrs: r.source_cidrs,
        destination_cidrs: r.destination_cidrs,
        ports: r.protocol === "tcp" || r.protocol === "udp" ? r.ports : [],
        log: r.log,
      };
      if (r.comment !== undefined) rule.comment = r.comment;
      return rule;
    });
}

/** A valid, bound desired state. */
export const boundSpecArb: fc.Arbitrary<BoundSpec> = lanPlansArb.chain((plans) => {
  const names = plans.map((p) => p.name);
  const zones = ["any", "wan", ...names];
  return fc
    .record({
      wanIf: fc.constantFrom(...WAN_NAMES),
      masquerade: fc.boolean(),
      mgmtCidrs: cidrListArb,
      mgmtPorts: fc.uniqueArray(fc.integer({ min: 7000, max: 7999 }), { maxLength: 3 }),
      lans: fc.tuple(...plans.map((p, i) => lanArb(p, i, names))),
      upstreams: fc.subarray(upstreamPool),
      domain: fc.option(domainArb, { nil: undefined }),
      hosts: fc.uniqueArray(
        fc.record({
          name: domainArb,
          ip: fc.constantFrom("10.0.0.5", "192.0.2.10", "2001:db8::10"),
        }),
        { maxLength: 4, selector: (h: HostRecord) => `${h.name} ${h.ip}` },
      ),
      blocked: fc.uniqueArray(domainArb, { maxLength: 6 }),
      blockMode: fc.constantFrom<"nxdomain" | "null">("nxdomain", "null"),
      ids: fc.uniqueArray(idArb, { maxLength: 8 }),
      nForwards: fc.integer({ min: 0, max: 4 }),
      wanPorts: fc.uniqueArray(fc.integer({ min: 20000, max: 29999 }), {
        minLength: 4,
        maxLength: 4,
      }),
      log: fc.record({
        dropped: fc.boolean(),
        rate_per_minute: fc.integer({ min: 1, max: 10000 }),
        prefix: fc.stringMatching(/^[A-Za-z0-9 _:.-]{0,20}$/),
      }),
    })
    .chain((r) => {
      const nForwards = Math.min(r.nForwards, r.ids.length);
      const forwardIds = r.ids.slice(0, nForwards);
      const ruleIds = r.ids.slice(nForwards);
      return fc
        .tuple(
          fc.tuple(...forwardIds.map((id, i) => forwardArb(id, plans, r.wanPorts[i] as number))),
          fc.tuple(...ruleIds.map((id) => ruleArb(id, zones))),
        )
        .map(([forwards, rules]): BoundSpec => {
          const dns: BoundSpec["dns"] = {
            upstreams: r.upstreams,
            hosts: r.hosts,
            blocked_domains: r.blocked,
            block_mode: r.blockMode,
          };
          if (r.domain !== undefined) dns.domain = r.domain;
          return {
            wan: {
              interface: r.wanIf,
              masquerade: r.masquerade,
              management: { cidrs: r.mgmtCidrs, ports: r.mgmtPorts },
            },
            lans: r.lans,
            dns,
            firewall: { port_forwards: forwards, rules, log: r.log },
          };
        });
    });
});

/** The spec as a user would write it: each LAN names its interface, no `ifname`. */
export function unbind(spec: BoundSpec): RouterSpec {
  return { ...spec, lans: spec.lans.map(({ ifname: _ifname, ...lan }) => lan) };
}
