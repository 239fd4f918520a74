/**
 * The nft renderer: a bound desired state becomes one nftables JSON document
 * for `nft -j -f -` that replaces the agent's table in a single transaction.
 *
 * The document is `add table`, `flush table` (drops every rule), then each
 * named set declared, flushed and refilled with its complete element list
 * (`flush table` keeps set elements, so without `flush set` a shrinking list
 * would leave old entries behind), the named counters (re-adding an existing
 * counter keeps its values), the chains and the rules. Only sets and counters
 * that some rule references are declared, and an empty list never becomes a
 * set or a rule: a rule whose list is empty for its address family is left
 * out rather than widened to match everything. Chains are a fixed
 * list, so a new state never leaves an old chain behind; sets and counters
 * that a new state no longer declares stay, unreferenced, until
 * `withStaleObjectsDeleted` (./nft-prune.ts) removes them.
 *
 * Semantics (firewall4-style zones: "wan" and each LAN by name):
 * - input, policy drop: established/related accepted, invalid dropped,
 *   loopback and ICMP/ICMPv6 (echo rate-limited) accepted, then the user's
 *   input rules in list order, then the built-in services: DHCP and DNS on
 *   LAN interfaces, the management ports from `wan.management.cidrs` on the
 *   WAN; then an optional rate-limited log and the counted drop.
 * - forward, policy drop: established/related accepted, invalid dropped,
 *   each LAN's `blocked_destinations` dropped (counter `<lan>.blocked`), then
 *   the user's forward rules, then the accepts: port forwards (`ct status
 *   dnat`), LAN to WAN, LAN to LAN where `allow_lans` says so; then an
 *   optional log and the counted drop. User rules sit after the blocked
 *   destinations (a user cannot re-open them) and before the zone accepts (a
 *   user can deny what the zones would allow).
 * - prerouting (nat): port forwards on the WAN, limited to their IPv4 source
 *   CIDRs when given; hairpin forwards also for LAN clients that target a
 *   local address other than a LAN address (`fib daddr type local`: the WAN
 *   address is not known statically).
 * - postrouting (nat): masquerade LAN subnets out of the WAN, and masquerade
 *   hairpinned flows inside the target's own LAN so replies come back
 *   through the router.
 *
 * Counters: every user-visible rule counts into a named counter. User rules
 * and port forwards count into `rule.<id>` (see `ruleCounterName`); built-ins
 * use other dotted names (`input.drop`, `<lan>.blocked`; the LAN name "rule"
 * is reserved), so the two never collide. Every counter name carries a dot
 * on purpose: nft parses a bare counter reference as a symbol, and a bare id
 * that is also a protocol name ("ah", "esp", "tcp") is then refused with
 * "datatype mismatch". Rules carry the stable id (`counterId`) as their comment.
 *
 * Pure and deterministic: no clock, no I/O, same input gives byte-identical
 * output. Never throws on a validated model; where a value is impossible after
 * validation (an unknown zone, an unparsable CIDR) the affected rule matches
 * less, never more.
 */
import type { BoundLan, BoundSpec, FirewallRule, PortForward } from "../model/types.js";
import {
  accept,
  ctState,
  ctStatus,
  drop,
  iifname,
  jump,
  limit,
  log,
  match,
  meta,
  namedCounter,
  oifname,
  oneOrSet,
  payload,
  setRef,
} from "./nft-expr.js";
import { cidrElements, type FamilyElements, portElements } from "./nft-sets.js";
import {
  AGENT_TABLE,
  type NftChainName,
  type NftDocument,
  type NftExpr,
  type NftRule,
  type NftSet,
  type NftSetElement,
  type NftSetType,
} from "./nft-types.js";

export { AGENT_TABLE, AGENT_TABLES, type NftDocument } from "./nft-types.js";

/** Names of the built-in counters. User ids cannot contain a dot. */
export const BUILTIN_COUNTERS = {
  inputDrop: "input.drop",
  forwardDrop: "forward.drop",
  masquerade: "wan.masquerade",
  management: "wan.management",
} as const;

/** Prefix of the named counters of user rules and port forwards. */
export const RULE_COUNTER_PREFIX = "rule.";

/** The named counter of a user rule or port forward, e.g. `rule.allow-ssh`. */
export function ruleCounterName(id: string): string {
  return `${RULE_COUNTER_PREFIX}${id}`;
}

/**
 * The stable id a named counter reports under: a user rule's or port
 * forward's own id, or the built-in counter's name.
 */
export function counterId(counterName: string): string {
  return counterName.startsWith(RULE_COUNTER_PREFIX)
    ? counterName.slice(RULE_COUNTER_PREFIX.length)
    : counterName;
}

/** The named counter of a LAN's blocked-destinations drop, e.g. `lan2.blocked`. */
export function blockedCounterName(lan: string): string {
  return `${lan}.blocked`;
}

const REJECT_CHAIN = "handle_reject";

interface ChainSpec {
  name: NftChainName;
  base?: { type: "filter" | "nat"; hook: string; prio: number; policy: "accept" | "drop" };
}

/** The fixed chain list, in document order. */
const CHAINS: readonly ChainSpec[] = [
  { name: "input", base: { type: "filter", hook: "input", prio: 0, policy: "drop" } },
  { name: "forward", base: { type: "filter", hook: "forward", prio: 0, policy: "drop" } },
  { name: "prerouting", base: { type: "nat", hook: "prerouting", prio: -100, policy: "accept" } },
  { name: "postrouting", base: { type: "nat", hook: "postrouting", prio: 100, policy: "accept" } },
  { name: REJECT_CHAIN },
];

const ICMP_ACCEPT = ["destination-unreachable", "time-exceeded", "parameter-problem"];
const ICMPV6_ACCEPT = [
  "destination-unreachable",
  "packet-too-big",
  "time-exceeded",
  "parameter-problem",
  "nd-router-advert",
  "nd-neighbor-solicit",
  "nd-neighbor-advert",
];
const ECHO_RATE_PER_SECOND = 10;
const ECHO_BURST = 20;

/** Renders the bound spec into the one transaction that replaces the agent's table. */
export function renderNft(spec: BoundSpec): NftDocument {
  const doc = new DocumentBuilder();
  const zones = zoneInterfaces(spec);

  renderInput(doc, spec, zones);
  renderForward(doc, spec, zones);
  renderNat(doc, spec);
  doc.rule({
    chain: REJECT_CHAIN,
    expr: [match(meta("l4proto"), "tcp"), { reject: { type: "tcp reset" } }],
  });
  doc.rule({
    chain: REJECT_CHAIN,
    expr: [{ reject: { type: "icmpx", expr: "port-unreachable" } }],
  });

  return doc.document();
}

/** Interface name of each zone: "wan" and every LAN by name. */
function zoneInterfaces(spec: BoundSpec): Map<string, string> {
  const zones = new Map<string, string>();
  for (const lan of spec.lans) zones.set(lan.name, lan.ifname);
  zones.set("wan", spec.wan.interface);
  return zones;
}

function renderInput(doc: DocumentBuilder, spec: BoundSpec, zones: Map<string, string>): void {
  const chain = "input";
  doc.rule({ chain, expr: [ctState("established", "related"), accept] });
  doc.rule({ chain, expr: [ctState("invalid"), drop] });
  doc.rule({ chain, expr: [match(meta("iif"), "lo"), accept] });
  doc.rule({
    chain,
    expr: [
      match(payload("icmp", "type"), "echo-request"),
      limit(ECHO_RATE_PER_SECOND, "second", ECHO_BURST),
      accept,
    ],
  });
  doc.rule({ chain, expr: [match(payload("icmp", "type"), { set: ICMP_ACCEPT }), accept] });
  doc.rule({
    chain,
    expr: [
      match(payload("icmpv6", "type"), "echo-request"),
      limit(ECHO_RATE_PER_SECOND, "second", ECHO_BURST),
      accept,
    ],
  });
  doc.rule({ chain, expr: [match(payload("icmpv6", "type"), { set: ICMPV6_ACCEPT }), accept] });

  for (const rule of spec.firewall.rules) {
    if (rule.chain === "input") renderUserRule(doc, spec, zones, rule);
  }

  const lanIfs = spec.lans.map((l) => l.ifname);
  const dhcpIfs = spec.lans.filter((l) => l.dhcp !== undefined).map((l) => l.ifname);
  if (dhcpIfs.length > 0) {
    doc.rule({ chain, expr: [iifname(...dhcpIfs), match(payload("udp", "dport"), 67), accept] });
  }
  if (lanIfs.length > 0) {
    doc.rule({
      chain,
      expr: [
        iifname(...lanIfs),
        match(meta("l4proto"), { set: ["tcp", "udp"] }),
        match(payload("th", "dport"), 53),
        accept,
      ],
    });
  }

  const mgmt = spec.wan.management;
  const portSet = doc.set("wan.management_ports", "inet_service", portElements(mgmt.ports));
  const sources = cidrElements(mgmt.cidrs);
  for (const fam of FAMILIES) {
    const srcSet = doc.set(`wan.management_${fam.suffix}`, fam.setType, sources[fam.key]);
    if (srcSet === undefined || portSet === undefined) continue;
    doc.rule({
      chain,
      expr: [
        iifname(spec.wan.interface),
        match(payload(fam.protocol, "saddr"), setRef(srcSet)),
        match(payload("tcp", "dport"), setRef(portSet)),
        namedCounter(BUILTIN_COUNTERS.management),
        accept,
      ],
      comment: BUILTIN_COUNTERS.management,
    });
  }

  renderPolicyDrop(doc, spec, chain, BUILTIN_COUNTERS.inputDrop);
}

function renderForward(doc: DocumentBuilder, spec: BoundSpec, zones: Map<string, string>): void {
  const chain = "forward";
  doc.rule({ chain, expr: [ctState("established", "related"), accept] });
  doc.rule({ chain, expr: [ctState("invalid"), drop] });

  for (const lan of spec.lans) {
    const blocked = cidrElements(lan.blocked_destinations);
    const counter = blockedCounterName(lan.name);
    for (const fam of FAMILIES) {
      const set = doc.set(`${lan.name}.blocked_${fam.suffix}`, fam.setType, blocked[fam.key]);
      if (set === undefined) continue;
      doc.rule({
        chain,
        expr: [
          iifname(lan.ifname),
          match(payload(fam.protocol, "daddr"), setRef(set)),
          namedCounter(counter),
          drop,
        ],
        comment: counter,
      });
    }
  }

  for (const rule of spec.firewall.rules) {
    if (rule.chain === "forward") renderUserRule(doc, spec, zones, rule);
  }

  if (spec.firewall.port_forwards.length > 0) {
    doc.rule({ chain, expr: [ctStatus("dnat"), accept], comment: "port-forwards" });
  }

  const byName = new Map(spec.lans.map((l) => [l.name, l]));
  for (const lan of spec.lans) {
    const subnet = lanSubnet(lan);
    if (subnet === undefined) continue; // impossible after validation: accept nothing
    const from = [iifname(lan.ifname), match(payload("ip", "saddr"), subnet)];
    doc.rule({ chain, expr: [...from, oifname(spec.wan.interface), accept] });
    const peers = lan.allow_lans
      .map((name) => byName.get(name))
      .filter((peer): peer is BoundLan => peer !== undefined && peer.name !== lan.name)
      .map((peer) => peer.ifname);
    if (peers.length > 0) doc.rule({ chain, expr: [...from, oifname(...peers), accept] });
  }

  renderPolicyDrop(doc, spec, chain, BUILTIN_COUNTERS.forwardDrop);
}

function renderPolicyDrop(
  doc: DocumentBuilder,
  spec: BoundSpec,
  chain: NftChainName,
  counter: string,
): void {
  const logging = spec.firewall.log;
  if (logging.dropped && logging.rate_per_minute > 0) {
    doc.rule({
      chain,
      expr: [limit(logging.rate_per_minute, "minute"), log(logPrefix(spec, counter))],
    });
  }
  doc.rule({ chain, expr: [namedCounter(counter), drop], comment: counter });
}

function logPrefix(spec: BoundSpec, name: string): string {
  const prefix = spec.firewall.log.prefix;
  return prefix === "" ? `${name}: ` : `${prefix} ${name}: `;
}

interface Family {
  key: keyof FamilyElements;
  suffix: "v4" | "v6";
  protocol: "ip" | "ip6";
  setType: NftSetType;
}

const FAMILIES: readonly Family[] = [
  { key: "v4", suffix: "v4", protocol: "ip", setType: "ipv4_addr" },
  { key: "v6", suffix: "v6", protocol: "ip6", setType: "ipv6_addr" },
];

/**
 * A user rule: one nft rule per address family its CIDR lists allow (a list
 * given with no entry of a family means the rule never matches that family),
 * preceded by a rate-limited log twin when `log` is set.
 */
function renderUserRule(
  doc: DocumentBuilder,
  spec: BoundSpec,
  zones: Map<string, string>,
  rule: FirewallRule,
): void {
  const zoneMatches: NftExpr[] = [];
  for (const [zone, direction] of [
    [rule.from, "iifname"],
    [rule.chain === "forward" ? rule.to : "any", "oifname"],
  ] as const) {
    if (zone === "any") continue;
    const ifname = zones.get(zone);
    if (ifname === undefined) return; // impossible after validation: match nothing
    zoneMatches.push(direction === "iifname" ? iifname(ifname) : oifname(ifname));
  }

  const l4 = l4Matches(doc, `rule.${rule.id}.ports`, rule.protocol, rule.ports);
  if (l4 === undefined) return;

  const variants = addressVariants(
    doc,
    `rule.${rule.id}`,
    rule.source_cidrs,
    rule.destination_cidrs,
  );
  const counter = ruleCounterName(rule.id);
  const verdict =
    rule.action === "accept" ? accept : rule.action === "drop" ? drop : jump(REJECT_CHAIN);
  for (const addresses of variants) {
    const matches = [...zoneMatches, ...addresses, ...l4];
    const logging = spec.firewall.log;
    if (rule.log && logging.rate_per_minute > 0) {
      doc.rule({
        chain: rule.chain,
        expr: [...matches, limit(logging.rate_per_minute, "minute"), log(logPrefix(spec, rule.id))],
        comment: rule.id,
      });
    }
    doc.rule({
      chain: rule.chain,
      expr: [...matches, namedCounter(counter), verdict],
      comment: rule.id,
    });
  }
}

/**
 * Protocol and port matches; undefined when the combination can match nothing
 * (ports given for ICMP, or a port list with no valid entry).
 */
function l4Matches(
  doc: DocumentBuilder,
  setName: string,
  protocol: FirewallRule["protocol"],
  ports: readonly string[],
): NftExpr[] | undefined {
  if (ports.length === 0) {
    if (protocol === "any") return [];
    if (protocol === "icmp") return [match(meta("l4proto"), { set: ["icmp", "ipv6-icmp"] })];
    return [match(meta("l4proto"), protocol)];
  }
  if (protocol === "icmp") return undefined;
  const set = doc.set(setName, "inet_service", portElements(ports));
  if (set === undefined) return undefined;
  if (protocol === "any") {
    return [
      match(meta("l4proto"), { set: ["tcp", "udp"] }),
      match(payload("th", "dport"), setRef(set)),
    ];
  }
  return [match(payload(protocol, "dport"), setRef(set))];
}

/**
 * The address matches of a rule, one list per nft rule to emit: `[[]]` when
 * neither list is given; otherwise one per family that both given lists
 * cover; `[]` (no rule at all) when none does.
 */
function addressVariants(
  doc: DocumentBuilder,
  prefix: string,
  sources: readonly string[],
  destinations: readonly string[],
): NftExpr[][] {
  if (sources.length === 0 && destinations.length === 0) return [[]];
  const src = cidrElements(sources);
  const dst = cidrElements(destinations);
  const variants: NftExpr[][] = [];
  for (const fam of FAMILIES) {
    if (sources.length > 0 && src[fam.key].length === 0) continue;
    if (destinations.length > 0 && dst[fam.key].length === 0) continue;
    const expr: NftExpr[] = [];
    const srcSet = doc.set(`${prefix}.src_${fam.suffix}`, fam.setType, src[fam.key]);
    if (srcSet !== undefined) expr.push(match(payload(fam.protocol, "saddr"), setRef(srcSet)));
    const dstSet = doc.set(`${prefix}.dst_${fam.suffix}`, fam.setType, dst[fam.key]);
    if (dstSet !== undefined) expr.push(match(payload(fam.protocol, "daddr"), setRef(dstSet)));
    variants.push(expr);
  }
  return variants;
}

function renderNat(doc: DocumentBuilder, spec: BoundSpec): void {
  for (const fwd of spec.firewall.port_forwards) renderPortForward(doc, spec, fwd);

  if (spec.wan.masquerade) {
    const subnets = cidrElements(spec.lans.map((l) => l.address));
    const set = doc.set("wan.masquerade_v4", "ipv4_addr", subnets.v4);
    if (set !== undefined) {
      doc.rule({
        chain: "postrouting",
        expr: [
          oifname(spec.wan.interface),
          match(payload("ip", "saddr"), setRef(set)),
          namedCounter(BUILTIN_COUNTERS.masquerade),
          { masquerade: null },
        ],
        comment: BUILTIN_COUNTERS.masquerade,
      });
    }
  }
}

/**
 * A port forward: DNAT on the WAN (IPv4 only: LAN hosts are IPv4), limited to
 * the IPv4 part of `source_cidrs` when given; when `hairpin`, also DNAT for
 * LAN clients and masquerade the flow when client and target share a LAN.
 * `source_cidrs` restricts WAN-side clients only; hairpin serves every LAN.
 */
function renderPortForward(doc: DocumentBuilder, spec: BoundSpec, fwd: PortForward): void {
  const counter = ruleCounterName(fwd.id);
  const dnat = { dnat: { family: "ip", addr: fwd.to, port: fwd.to_port } };
  const dport = match(payload(fwd.protocol, "dport"), fwd.wan_port);

  const wanMatches: NftExpr[] = [iifname(spec.wan.interface)];
  let wanRule = true;
  if (fwd.source_cidrs.length > 0) {
    const set = doc.set(`pf.${fwd.id}.src_v4`, "ipv4_addr", cidrElements(fwd.source_cidrs).v4);
    if (set === undefined) wanRule = false;
    else wanMatches.push(match(payload("ip", "saddr"), setRef(set)));
  } else {
    wanMatches.push(match(meta("nfproto"), "ipv4"));
  }
  if (wanRule) {
    doc.rule({
      chain: "prerouting",
      expr: [...wanMatches, dport, namedCounter(counter), dnat],
      comment: fwd.id,
    });
  }

  if (!fwd.hairpin || spec.lans.length === 0) return;
  const lanAddresses = spec.lans.map((l) => l.address.split("/")[0] as string);
  doc.rule({
    chain: "prerouting",
    expr: [
      iifname(...spec.lans.map((l) => l.ifname)),
      match({ fib: { result: "type", flags: ["daddr"] } }, "local"),
      match(payload("ip", "daddr"), oneOrSet(lanAddresses), "!="),
      dport,
      namedCounter(counter),
      dnat,
    ],
    comment: fwd.id,
  });
  const home = spec.lans.find((l) => contains(l.address, fwd.to));
  const homeSubnet = home === undefined ? undefined : lanSubnet(home);
  if (homeSubnet === undefined) return;
  doc.rule({
    chain: "postrouting",
    expr: [
      match(payload("ip", "saddr"), homeSubnet),
      match(payload("ip", "daddr"), fwd.to),
      match(payload(fwd.protocol, "dport"), fwd.to_port),
      ctStatus("dnat"),
      { masquerade: null },
    ],
    comment: fwd.id,
  });
}

/** The LAN's network as an nft prefix, e.g. 10.88.0.0/24; undefined if unparsable. */
function lanSubnet(lan: BoundLan): NftSetElement | undefined {
  return cidrElements([lan.address]).v4[0];
}

/** Whether IPv4 `ip` lies in the network of `address` (`a.b.c.d/len`). */
function contains(address: string, ip: string): boolean {
  const len = address.split("/")[1] ?? "32";
  const net = cidrElements([address]).v4[0];
  const probe = cidrElements([`${ip}/${len}`]).v4[0];
  return net !== undefined && JSON.stringify(net) === JSON.stringify(probe);
}

/**
 * Collects rules and candidate sets, and lays them out in document order.
 * Only sets and counters that some rule references are declared, so a set
 * prepared for a rule that turned out to match nothing never lingers.
 */
class DocumentBuilder {
  private readonly sets = new Map<string, NftSet>();
  private readonly rules: NftRule[] = [];

  /** Prepares a named set; undefined (and nothing prepared) when it would be empty. */
  set(name: string, type: NftSetType, elements: NftSetElement[]): string | undefined {
    if (elements.length === 0) return undefined;
    this.sets.set(name, { name, type, elements });
    return name;
  }

  rule(rule: NftRule): void {
    this.rules.push(rule);
  }

  document(): NftDocument {
    const t = { family: AGENT_TABLE.family, table: AGENT_TABLE.name };
    const ordered = CHAINS.flatMap((chain) => this.rules.filter((r) => r.chain === chain.name));
    const usedSets = new Set<string>();
    const counters = new Set<string>();
    for (const rule of ordered) collectReferences(rule.expr, usedSets, counters);

    const out: Record<string, unknown>[] = [
      { metainfo: { json_schema_version: 1 } },
      { add: { table: { family: AGENT_TABLE.family, name: AGENT_TABLE.name } } },
      { flush: { table: { family: AGENT_TABLE.family, name: AGENT_TABLE.name } } },
    ];
    // In the order rules first use them, whatever order they were prepared in.
    for (const name of usedSets) {
      const set = this.sets.get(name);
      if (set === undefined) continue;
      const ref = { ...t, name: set.name };
      out.push({
        add: { set: { ...ref, type: set.type, flags: ["interval"], "auto-merge": true } },
      });
      out.push({ flush: { set: ref } });
      out.push({ add: { element: { ...ref, elem: set.elements } } });
    }
    for (const name of counters) out.push({ add: { counter: { ...t, name } } });
    for (const chain of CHAINS) {
      const base = chain.base === undefined ? {} : { ...chain.base };
      out.push({ add: { chain: { ...t, name: chain.name, ...base } } });
    }
    for (const rule of ordered) {
      const body: Record<string, unknown> = { ...t, chain: rule.chain, expr: rule.expr };
      if (rule.comment !== undefined) body.comment = rule.comment;
      out.push({ add: { rule: body } });
    }
    return { nftables: out };
  }
}

/** Adds the `@set` operands and named counters found in `value` to the two sets. */
function collectReferences(value: unknown, sets: Set<string>, counters: Set<string>): void {
  if (typeof value === "string") {
    if (value.startsWith("@")) sets.add(value.slice(1));
  } else if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, sets, counters);
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key === "counter" && typeof item === "string") counters.add(item);
      else collectReferences(item, sets, counters);
    }
  }
}
