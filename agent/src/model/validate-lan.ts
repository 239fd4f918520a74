/**
 * Validation of one LAN and its DHCP section. Checks that need the other
 * LANs (unique names, overlapping subnets, shared interfaces, `allow_lans`
 * references, duplicate leases) are in `./validate.ts`; this file records
 * what those checks need in a `LanFacts`.
 */
import {
  ADDRESS_OPTION_CODES,
  DEDICATED_OPTION_FIELDS,
  DHCP_OPTION_CODES,
} from "./dhcp-options.js";
import { isAbsent, itemPath, keyPath, quote, readList, readMapping, readString } from "./fields.js";
import { badCharMessage, parseMac } from "./names.js";
import { type Cidr, formatIpv4, type Ip, parseCidr, parseIpv4 } from "./net.js";
import {
  type DhcpOption,
  type DhcpRange,
  type DhcpSpec,
  type InterfaceMatch,
  type LanSpec,
  LIMITS,
  type StaticLease,
} from "./types.js";
import {
  type Ctx,
  checkLanAddress,
  checkUnicast,
  countTowards,
  hostInSubnetMessage,
  readCidrList,
  readDomain,
  readEach,
  readHostname,
  readIfname,
  readIpv4,
} from "./values.js";

/** What the cross-LAN checks need to know about one LAN; absent when invalid. */
export interface LanFacts {
  path: string;
  name?: string;
  /** The interface match and the path it was given at. */
  iface?: { match: InterfaceMatch; path: string };
  address?: Ip;
  subnet?: Cidr;
  /** Raw `allow_lans` names with their paths, checked once all names are known. */
  allowLans: { name: string; path: string }[];
  /** Static leases with their paths, for spec-wide duplicate checks. */
  leases: { lease: StaticLease; path: string }[];
}

const LAN_KEYS = [
  "name",
  "interface",
  "address",
  "allow_lans",
  "blocked_destinations",
  "domain",
  "dhcp",
] as const;
const DHCP_KEYS = [
  "ranges",
  "lease_time",
  "router",
  "dns_servers",
  "static_leases",
  "options",
] as const;

const LAN_NAME_RE = /^[a-z][a-z0-9_]{0,14}$/;
/**
 * Names a LAN may not take: zones that rules use for something other than a
 * LAN, and "rule", whose blocked-destinations counter (`rule.blocked`) would
 * share the namespace of user rule counters (`rule.<id>`).
 */
export const RESERVED_ZONES = ["wan", "any", "rule"] as const;

/** Reads one LAN; returns the spec (undefined if anything in it is wrong) and its facts. */
export function readLan(
  ctx: Ctx,
  path: string,
  value: unknown,
): { lan: LanSpec | undefined; facts: LanFacts } {
  const facts: LanFacts = { path, allowLans: [], leases: [] };
  const before = ctx.errors.count;
  const raw = readMapping(ctx.errors, path, value, LAN_KEYS);
  if (!raw) return { lan: undefined, facts };

  const name = readLanName(ctx, keyPath(path, "name"), raw.name);
  if (name !== undefined) facts.name = name;
  const ifacePath = keyPath(path, "interface");
  const iface = readInterfaceMatch(ctx, ifacePath, raw.interface);
  if (iface) facts.iface = iface;
  const address = readLanAddressField(ctx, keyPath(path, "address"), raw.address);
  if (address) {
    facts.address = address.ip;
    facts.subnet = address;
  }

  const allowPath = keyPath(path, "allow_lans");
  const allow = readList(ctx.errors, allowPath, raw.allow_lans, LIMITS.lans);
  const allowLans: string[] = [];
  allow?.forEach((item, i) => {
    const itemP = itemPath(allowPath, i);
    const ref = readString(ctx.errors, itemP, item);
    if (ref === undefined) return;
    allowLans.push(ref);
    facts.allowLans.push({ name: ref, path: itemP });
  });

  const blocked = readCidrList(
    ctx,
    keyPath(path, "blocked_destinations"),
    raw.blocked_destinations,
  );
  const domain = isAbsent(raw.domain)
    ? undefined
    : readDomain(ctx, keyPath(path, "domain"), raw.domain);
  const dhcp = isAbsent(raw.dhcp)
    ? undefined
    : readDhcp(ctx, keyPath(path, "dhcp"), raw.dhcp, facts);

  if (ctx.errors.count !== before || !name || !iface || !address || !blocked) {
    return { lan: undefined, facts };
  }
  const lan: LanSpec = {
    name,
    interface: iface.match,
    address: `${address.ip.text}/${address.prefix}`,
    allow_lans: allowLans,
    blocked_destinations: blocked,
  };
  if (domain !== undefined) lan.domain = domain;
  if (dhcp !== undefined) lan.dhcp = dhcp;
  return { lan, facts };
}

function readLanName(ctx: Ctx, path: string, value: unknown): string | undefined {
  const name = readString(ctx.errors, path, value);
  if (name === undefined) return undefined;
  if (!LAN_NAME_RE.test(name)) {
    ctx.errors.add(
      path,
      `${quote(name)} is not a valid LAN name: a lower-case letter, then up to 14 of a-z, 0-9 and "_"`,
    );
    return undefined;
  }
  if ((RESERVED_ZONES as readonly string[]).includes(name)) {
    ctx.errors.add(path, `"${name}" is reserved; choose another LAN name`);
    return undefined;
  }
  return name;
}

/**
 * `interface`: a string (`auto`, or an interface name) or a mapping with
 * exactly one of `name`, `mac`, `auto: true`.
 */
function readInterfaceMatch(
  ctx: Ctx,
  path: string,
  value: unknown,
): { match: InterfaceMatch; path: string } | undefined {
  if (isAbsent(value)) {
    ctx.errors.add(path, "required");
    return undefined;
  }
  if (typeof value === "string") {
    if (value === "auto") return { match: { auto: true }, path };
    if (parseMac(value)) {
      ctx.errors.add(path, `${quote(value)} is a MAC address; write interface: {mac: ${value}}`);
      return undefined;
    }
    const name = readIfname(ctx, path, value);
    return name === undefined ? undefined : { match: { name }, path };
  }
  if (typeof value !== "object" || Array.isArray(value)) {
    ctx.errors.add(path, "expected an interface name, auto, or a mapping with name, mac or auto");
    return undefined;
  }
  const raw = readMapping(ctx.errors, path, value, ["name", "mac", "auto"]);
  if (!raw) return undefined;
  const given = (["name", "mac", "auto"] as const).filter((k) => !isAbsent(raw[k]));
  if (given.length !== 1) {
    ctx.errors.add(path, "give exactly one of name, mac or auto");
    return undefined;
  }
  const key = given[0];
  const keyP = keyPath(path, key ?? "name");
  if (key === "name") {
    const name = readIfname(ctx, keyP, raw.name);
    return name === undefined ? undefined : { match: { name }, path: keyP };
  }
  if (key === "mac") {
    const mac = readMacField(ctx, keyP, raw.mac);
    return mac === undefined ? undefined : { match: { mac }, path: keyP };
  }
  if (raw.auto !== true) {
    ctx.errors.add(keyP, "must be true");
    return undefined;
  }
  return { match: { auto: true }, path: keyP };
}

/** A MAC address, normalised to lower case. */
export function readMacField(ctx: Ctx, path: string, value: unknown): string | undefined {
  const text = readString(ctx.errors, path, value);
  if (text === undefined) return undefined;
  const mac = parseMac(text);
  if (!mac) ctx.errors.add(path, `${quote(text)} is not a MAC address such as 60:be:b4:1e:19:63`);
  return mac;
}

/** The LAN's own address with prefix: a host address inside a /8../30. */
function readLanAddressField(ctx: Ctx, path: string, value: unknown): Cidr | undefined {
  const text = readString(ctx.errors, path, value);
  if (text === undefined) return undefined;
  const cidr = parseCidr(text);
  if (cidr?.family !== 4) {
    ctx.errors.add(path, `${quote(text)} is not an IPv4 address with prefix, such as 10.88.0.1/24`);
    return undefined;
  }
  if (cidr.prefix < 8 || cidr.prefix > 30) {
    ctx.errors.add(path, `prefix /${cidr.prefix} is outside /8../30`);
    return undefined;
  }
  if (!checkLanAddress(ctx, path, cidr.ip)) return undefined;
  if (cidr.ip.value === cidr.first || cidr.ip.value === cidr.last) {
    const which = cidr.ip.value === cidr.first ? "network" : "broadcast";
    ctx.errors.add(
      path,
      `${cidr.ip.text} is the ${which} address of ${cidr.network}; the LAN address must be a host address such as ${nextHost(cidr)}`,
    );
    return undefined;
  }
  return cidr;
}

function nextHost(cidr: Cidr): string {
  return `${formatIpv4(cidr.first + 1)}/${cidr.prefix}`;
}

/** The DHCP section of a LAN whose facts are known so far. */
function readDhcp(ctx: Ctx, path: string, value: unknown, lan: LanFacts): DhcpSpec | undefined {
  const before = ctx.errors.count;
  const raw = readMapping(ctx.errors, path, value, DHCP_KEYS);
  if (!raw) return undefined;
  const subnet = lan.subnet;

  const ranges = readRanges(ctx, keyPath(path, "ranges"), raw.ranges, lan);
  const leaseTime = readLeaseTime(ctx, keyPath(path, "lease_time"), raw.lease_time);

  const routerPath = keyPath(path, "router");
  let router = lan.address?.text;
  if (!isAbsent(raw.router)) {
    const ip = readIpv4(ctx, routerPath, raw.router);
    if (ip && subnet) {
      const message = hostInSubnetMessage(ip, subnet);
      if (message) ctx.errors.add(routerPath, message);
    }
    router = ip?.text;
  }

  const dnsPath = keyPath(path, "dns_servers");
  const dnsServers = isAbsent(raw.dns_servers)
    ? lan.address && [lan.address.text]
    : readEach(ctx, dnsPath, raw.dns_servers, LIMITS.dnsServersPerLan, (p, item) => {
        const ip = readIpv4(ctx, p, item);
        return ip && checkUnicast(ctx, p, ip) ? ip.text : undefined;
      });

  const leasesPath = keyPath(path, "static_leases");
  const leaseItems = readList(ctx.errors, leasesPath, raw.static_leases, LIMITS.staticLeasesTotal);
  if (leaseItems) countTowards(ctx, leasesPath, "staticLeases", leaseItems.length);
  const staticLeases = leaseItems?.map((item, i) =>
    readStaticLease(ctx, itemPath(leasesPath, i), item, lan),
  );

  const options = readOptions(ctx, keyPath(path, "options"), raw.options);

  if (ctx.errors.count !== before) return undefined;
  if (!ranges || !leaseTime || !router || !dnsServers || !options) return undefined;
  return {
    ranges,
    lease_time: leaseTime,
    router,
    dns_servers: dnsServers,
    static_leases: (staticLeases ?? []).filter((l): l is StaticLease => l !== undefined),
    options,
  };
}

function readRanges(
  ctx: Ctx,
  path: string,
  value: unknown,
  lan: LanFacts,
): DhcpRange[] | undefined {
  if (isAbsent(value)) {
    ctx.errors.add(path, "required: at least one range");
    return undefined;
  }
  const items = readList(ctx.errors, path, value, LIMITS.rangesPerLan);
  if (!items) return undefined;
  if (items.length === 0) {
    ctx.errors.add(path, "needs at least one range; leave out dhcp to serve no DHCP");
    return undefined;
  }
  const before = ctx.errors.count;
  const seen: { start: number; end: number; path: string }[] = [];
  const out: DhcpRange[] = [];
  items.forEach((item, i) => {
    const itemP = itemPath(path, i);
    const raw = readMapping(ctx.errors, itemP, item, ["start", "end"]);
    if (!raw) return;
    const start = readIpv4(ctx, keyPath(itemP, "start"), raw.start);
    const end = readIpv4(ctx, keyPath(itemP, "end"), raw.end);
    if (!start || !end) return;
    let inside = true;
    if (lan.subnet) {
      for (const [key, ip] of [
        ["start", start],
        ["end", end],
      ] as const) {
        const message = hostInSubnetMessage(ip, lan.subnet);
        if (message) {
          ctx.errors.add(keyPath(itemP, key), message);
          inside = false;
        }
      }
    }
    if (!inside) return;
    if (start.value > end.value) {
      ctx.errors.add(itemP, `start ${start.text} is after end ${end.text}`);
      return;
    }
    if (lan.address && lan.address.value >= start.value && lan.address.value <= end.value) {
      ctx.errors.add(itemP, `contains the LAN's own address ${lan.address.text}`);
      return;
    }
    const clash = seen.find((r) => r.start <= end.value && start.value <= r.end);
    if (clash) {
      ctx.errors.add(itemP, `overlaps ${clash.path}`);
      return;
    }
    seen.push({ start: start.value, end: end.value, path: itemP });
    out.push({ start: start.text, end: end.text });
  });
  return ctx.errors.count === before ? out : undefined;
}

const LEASE_TIME_RE = /^(0|[1-9][0-9]{0,9})([smhdw]?)$/;
const UNIT_SECONDS: Record<string, number> = { "": 1, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
/** dnsmasq refuses leases shorter than two minutes. */
const MIN_LEASE_SECONDS = 120;
/** DHCP carries lease times in 32 bits; 0xffffffff means infinite. */
const MAX_LEASE_SECONDS = 0xfffffffe;

/** `<n>[smhdw]` (n seconds by default) or `infinite`; an integer is taken as seconds. */
function readLeaseTime(ctx: Ctx, path: string, value: unknown): string | undefined {
  if (isAbsent(value)) return "12h";
  const text = typeof value === "number" && Number.isInteger(value) ? String(value) : value;
  if (typeof text !== "string") {
    ctx.errors.add(path, "expected a string such as 12h");
    return undefined;
  }
  if (text === "infinite") return text;
  const match = LEASE_TIME_RE.exec(text);
  if (!match) {
    ctx.errors.add(path, `${quote(text)} is not a lease time such as 45m, 12h, 7d or infinite`);
    return undefined;
  }
  const seconds = Number(match[1]) * (UNIT_SECONDS[match[2] ?? ""] ?? 1);
  if (seconds < MIN_LEASE_SECONDS) {
    ctx.errors.add(path, `${text} is shorter than 2m, the minimum dnsmasq accepts`);
    return undefined;
  }
  if (seconds > MAX_LEASE_SECONDS) {
    ctx.errors.add(path, `${text} is longer than ${MAX_LEASE_SECONDS}s; use infinite`);
    return undefined;
  }
  return text;
}

function readStaticLease(
  ctx: Ctx,
  path: string,
  value: unknown,
  lan: LanFacts,
): StaticLease | undefined {
  const before = ctx.errors.count;
  const raw = readMapping(ctx.errors, path, value, ["mac", "ip", "hostname"]);
  if (!raw) return undefined;
  const mac = readMacField(ctx, keyPath(path, "mac"), raw.mac);
  const ipPath = keyPath(path, "ip");
  const ip = readIpv4(ctx, ipPath, raw.ip);
  if (ip && lan.subnet) {
    const message = hostInSubnetMessage(ip, lan.subnet);
    if (message) ctx.errors.add(ipPath, message);
    else if (ip.value === lan.address?.value) {
      ctx.errors.add(ipPath, `${ip.text} is the LAN's own address`);
    }
  }
  const hostname = isAbsent(raw.hostname)
    ? undefined
    : readHostname(ctx, keyPath(path, "hostname"), raw.hostname);
  if (ctx.errors.count !== before || !mac || !ip) return undefined;
  const lease: StaticLease = { mac, ip: ip.text };
  if (hostname !== undefined) lease.hostname = hostname;
  lan.leases.push({ lease, path });
  return lease;
}

const OPTION_NAME_RE = /^[a-z0-9-]+$/;
const OPTION_CODE_RE = /^[1-9][0-9]{0,2}$/;
const OPTION_VALUE_CHAR = /^[A-Za-z0-9._:/-]$/;

function readOptions(ctx: Ctx, path: string, value: unknown): DhcpOption[] | undefined {
  const seen = new Map<number, string>();
  return readEach(ctx, path, value, LIMITS.dhcpOptionsPerLan, (itemP, item) => {
    const raw = readMapping(ctx.errors, itemP, item, ["option", "values"]);
    if (!raw) return undefined;
    const optionPath = keyPath(itemP, "option");
    const option = readOptionName(ctx, optionPath, raw.option);
    const values = readOptionValues(ctx, keyPath(itemP, "values"), raw.values, option?.code);
    if (!option || !values) return undefined;
    const first = seen.get(option.code);
    if (first) {
      ctx.errors.add(optionPath, `option ${option.code} is already set at ${first}`);
      return undefined;
    }
    seen.set(option.code, itemP);
    return { option: option.text, values };
  });
}

/** An option name dnsmasq knows, or a code 1..254; integers are taken as codes. */
function readOptionName(
  ctx: Ctx,
  path: string,
  value: unknown,
): { text: string; code: number } | undefined {
  const text = typeof value === "number" && Number.isInteger(value) ? String(value) : value;
  const name = readString(ctx.errors, path, text);
  if (name === undefined) return undefined;
  let code: number | undefined;
  if (OPTION_CODE_RE.test(name)) {
    code = Number(name);
    if (code > 254) {
      ctx.errors.add(path, `option code ${code} is outside 1..254`);
      return undefined;
    }
  } else if (OPTION_NAME_RE.test(name)) {
    code = DHCP_OPTION_CODES[name];
    if (code === undefined) {
      ctx.errors.add(path, `${quote(name)} is not a DHCP option name dnsmasq knows; use its code`);
      return undefined;
    }
  } else {
    ctx.errors.add(path, `${quote(name)} is not an option name (a-z, 0-9, "-") or a code 1..254`);
    return undefined;
  }
  const dedicated = DEDICATED_OPTION_FIELDS.get(code);
  if (dedicated) {
    ctx.errors.add(path, `option ${code} is set with ${dedicated}`);
    return undefined;
  }
  return { text: name, code };
}

function readOptionValues(
  ctx: Ctx,
  path: string,
  value: unknown,
  code: number | undefined,
): string[] | undefined {
  if (isAbsent(value)) {
    ctx.errors.add(path, "required");
    return undefined;
  }
  const values = readEach(ctx, path, value, LIMITS.valuesPerDhcpOption, (itemP, item) => {
    const text = typeof item === "number" && Number.isInteger(item) ? String(item) : item;
    const str = readString(ctx.errors, itemP, text);
    if (str === undefined) return undefined;
    if (str.length === 0) {
      ctx.errors.add(itemP, "must not be empty");
      return undefined;
    }
    const bad = badCharMessage(str, OPTION_VALUE_CHAR);
    if (bad) {
      ctx.errors.add(itemP, `${bad}; allowed: letters, digits and . _ : / -`);
      return undefined;
    }
    if (code !== undefined && ADDRESS_OPTION_CODES.has(code) && !parseIpv4(str)) {
      ctx.errors.add(itemP, `${quote(str)} is not an IPv4 address, which option ${code} needs`);
      return undefined;
    }
    return str;
  });
  if (values && values.length === 0) {
    ctx.errors.add(path, "needs at least one value");
    return undefined;
  }
  return values;
}
