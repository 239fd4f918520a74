/**
 * Readers for the model's scalar kinds (addresses, CIDR lists, ports, ids,
 * host names), shared by every section validator. Each records its error
 * and returns `undefined` on bad input.
 */
import { ErrorList, itemPath, quote, readInt, readList, readString } from "./fields.js";
import { domainMessage, hostnameMessage, ifnameMessage } from "./names.js";
import { type Cidr, contains, type Ip, parseCidr, parseIp, parseIpv4 } from "./net.js";
import { LIMITS } from "./types.js";

/** State shared by all section validators of one spec. */
export interface Ctx {
  errors: ErrorList;
  /** Running totals for the spec-wide limits; each is reported once. */
  totals: { cidrs: number; staticLeases: number; reported: Set<string> };
}

export function newCtx(): Ctx {
  return { errors: new ErrorList(), totals: { cidrs: 0, staticLeases: 0, reported: new Set() } };
}

/** Adds `n` to a spec-wide total and reports the first list that crosses the limit. */
export function countTowards(
  ctx: Ctx,
  path: string,
  total: "cidrs" | "staticLeases",
  n: number,
): void {
  ctx.totals[total] += n;
  const limit = total === "cidrs" ? LIMITS.cidrsTotal : LIMITS.staticLeasesTotal;
  if (ctx.totals[total] > limit && !ctx.totals.reported.has(total)) {
    ctx.totals.reported.add(total);
    const what = total === "cidrs" ? "CIDRs" : "static leases";
    ctx.errors.add(path, `more than ${limit} ${what} in the whole spec`);
  }
}

const NOT_UNICAST = new Set(["unspecified", "broadcast", "multicast"]);
const NOT_LAN = new Set([...NOT_UNICAST, "loopback", "reserved"]);

/** A strict dotted-quad IPv4 address. */
export function readIpv4(ctx: Ctx, path: string, value: unknown): Ip | undefined {
  const text = readString(ctx.errors, path, value);
  if (text === undefined) return undefined;
  const ip = parseIpv4(text);
  if (!ip) ctx.errors.add(path, `${quote(text)} is not an IPv4 address`);
  return ip;
}

/** An IPv4 or IPv6 literal. */
export function readIp(ctx: Ctx, path: string, value: unknown): Ip | undefined {
  const text = readString(ctx.errors, path, value);
  if (text === undefined) return undefined;
  const ip = parseIp(text);
  if (!ip) ctx.errors.add(path, `${quote(text)} is not an IP address`);
  return ip;
}

/** An address another host can be sent to: not unspecified, broadcast or multicast. */
export function checkUnicast(ctx: Ctx, path: string, ip: Ip): boolean {
  if (!NOT_UNICAST.has(ip.range)) return true;
  ctx.errors.add(path, `${ip.text} is a ${ip.range} address`);
  return false;
}

/** An address a LAN may be numbered from: unicast, not loopback or reserved. */
export function checkLanAddress(ctx: Ctx, path: string, ip: Ip): boolean {
  if (!NOT_LAN.has(ip.range)) return true;
  ctx.errors.add(path, `${ip.text} is a ${ip.range} address`);
  return false;
}

/**
 * Why `ip` cannot be a host in `subnet` (outside it, or its network or
 * broadcast address), or undefined when it can.
 */
export function hostInSubnetMessage(ip: Ip, subnet: Cidr): string | undefined {
  if (!contains(subnet, ip.value)) return `${ip.text} is outside ${subnet.network}`;
  if (ip.value === subnet.first) return `${ip.text} is the network address of ${subnet.network}`;
  if (ip.value === subnet.last) return `${ip.text} is the broadcast address of ${subnet.network}`;
  return undefined;
}

/**
 * A CIDR in canonical form. A bare address becomes a host route (/32,
 * /128). Host bits must be zero; the error names the intended network.
 */
export function readCidr(ctx: Ctx, path: string, value: unknown): string | undefined {
  const text = readString(ctx.errors, path, value);
  if (text === undefined) return undefined;
  const cidr = parseCidr(text, { bareAddress: true });
  if (!cidr) {
    ctx.errors.add(path, `${quote(text)} is not an IP address or CIDR such as 192.168.1.0/24`);
    return undefined;
  }
  if (cidr.text !== cidr.network) {
    ctx.errors.add(path, `${cidr.text} has host bits set; the network is ${cidr.network}`);
    return undefined;
  }
  return cidr.text;
}

/** A list of CIDRs (IPv4 and IPv6); counts towards `LIMITS.cidrsTotal`; `[]` when absent. */
export function readCidrList(ctx: Ctx, path: string, value: unknown): string[] | undefined {
  const items = readList(ctx.errors, path, value, LIMITS.cidrsTotal);
  if (!items) return undefined;
  countTowards(ctx, path, "cidrs", items.length);
  const before = ctx.errors.count;
  const out = items.map((item, i) => readCidr(ctx, itemPath(path, i), item) ?? "");
  return ctx.errors.count === before ? out : undefined;
}

/** A TCP/UDP port, 1..65535. */
export function readPort(ctx: Ctx, path: string, value: unknown): number | undefined {
  return readInt(ctx.errors, path, value, 1, 65535);
}

const ID_RE = /^[a-z][a-z0-9_-]{0,47}$/;

/** A stable rule or forward id: `[a-z][a-z0-9_-]{0,47}`. */
export function readId(ctx: Ctx, path: string, value: unknown): string | undefined {
  const text = readString(ctx.errors, path, value);
  if (text === undefined) return undefined;
  if (!ID_RE.test(text)) {
    ctx.errors.add(
      path,
      `${quote(text)} is not a valid id: a lower-case letter, then up to 47 of a-z, 0-9, "_" and "-"`,
    );
    return undefined;
  }
  return text;
}

function readChecked(
  ctx: Ctx,
  path: string,
  value: unknown,
  check: (text: string) => string | undefined,
): string | undefined {
  const text = readString(ctx.errors, path, value);
  if (text === undefined) return undefined;
  const message = check(text);
  if (message) {
    ctx.errors.add(path, message);
    return undefined;
  }
  return text;
}

/** An RFC 1123 host label. */
export function readHostname(ctx: Ctx, path: string, value: unknown): string | undefined {
  return readChecked(ctx, path, value, hostnameMessage);
}

/** An RFC 1123 domain name. */
export function readDomain(ctx: Ctx, path: string, value: unknown): string | undefined {
  return readChecked(ctx, path, value, domainMessage);
}

/** A Linux interface name. */
export function readIfname(ctx: Ctx, path: string, value: unknown): string | undefined {
  return readChecked(ctx, path, value, ifnameMessage);
}

/** Reads a list and each item with `read`; undefined if anything in it is wrong. */
export function readEach<T>(
  ctx: Ctx,
  path: string,
  value: unknown,
  max: number,
  read: (path: string, item: unknown, index: number) => T | undefined,
): T[] | undefined {
  const items = readList(ctx.errors, path, value, max);
  if (!items) return undefined;
  const before = ctx.errors.count;
  const out: T[] = [];
  items.forEach((item, i) => {
    const read1 = read(itemPath(path, i), item, i);
    if (read1 !== undefined) out.push(read1);
  });
  return ctx.errors.count === before && out.length === items.length ? out : undefined;
}
