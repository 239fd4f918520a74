/**
 * IP address and CIDR arithmetic for validation. Pure; nothing here throws.
 *
 * Parsing is strict on purpose: IPv4 must be four plain decimal octets (no
 * leading zeros, which some tools read as octal), IPv6 must be a plain literal
 * without a zone id. Parse functions return `undefined` for anything else and
 * the caller words the error.
 */
import ipaddr from "ipaddr.js";

const OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
const IPV4_RE = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);
const IPV6_CHARS_RE = /^[0-9A-Fa-f:.]+$/;
const PREFIX_RE = /^(?:0|[1-9][0-9]{0,2})$/;

export type Family = 4 | 6;

/** A parsed address in canonical text form (IPv6 per RFC 5952, lower case). */
export interface Ip {
  family: Family;
  text: string;
  /** IPv4 only: the address as an unsigned 32-bit number. */
  value: number;
  /** ipaddr.js range name, e.g. "private", "loopback", "multicast". */
  range: string;
}

/** A parsed CIDR; `text` is canonical `addr/prefix`. */
export interface Cidr {
  family: Family;
  /** The address as written, canonicalised (host bits may be set). */
  ip: Ip;
  prefix: number;
  text: string;
  /** IPv4 only: first and last address of the block as numbers. */
  first: number;
  last: number;
  /** Canonical text of the network (host bits cleared). */
  network: string;
}

/** Parses a strict dotted-quad IPv4 address. */
export function parseIpv4(text: string): Ip | undefined {
  if (!IPV4_RE.test(text)) return undefined;
  const addr = ipaddr.IPv4.parse(text);
  const [a, b, c, d] = addr.octets as [number, number, number, number];
  return {
    family: 4,
    text,
    value: ((a << 24) | (b << 16) | (c << 8) | d) >>> 0,
    range: addr.range(),
  };
}

/** Parses an IPv6 literal (no zone id) into RFC 5952 form. */
export function parseIpv6(text: string): Ip | undefined {
  if (!text.includes(":") || !IPV6_CHARS_RE.test(text) || !ipaddr.IPv6.isValid(text)) {
    return undefined;
  }
  const addr = ipaddr.IPv6.parse(text);
  return { family: 6, text: addr.toRFC5952String(), value: 0, range: addr.range() };
}

/** Parses an IPv4 or IPv6 literal. */
export function parseIp(text: string): Ip | undefined {
  return parseIpv4(text) ?? parseIpv6(text);
}

/**
 * Parses `addr/prefix`. With `bareAddress`, a plain address is accepted as a
 * host route (/32 or /128). Host bits may be set; callers decide whether
 * that is an error by comparing `text` with `network`.
 */
export function parseCidr(text: string, options: { bareAddress?: boolean } = {}): Cidr | undefined {
  const slash = text.indexOf("/");
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const ip = parseIp(addrText);
  if (!ip) return undefined;
  const max = ip.family === 4 ? 32 : 128;
  let prefix = max;
  if (slash < 0) {
    if (!options.bareAddress) return undefined;
  } else {
    const prefixText = text.slice(slash + 1);
    if (!PREFIX_RE.test(prefixText)) return undefined;
    prefix = Number(prefixText);
    if (prefix > max) return undefined;
  }
  if (ip.family === 4) {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    const first = (ip.value & mask) >>> 0;
    const last = (first | (~mask >>> 0)) >>> 0;
    return {
      family: 4,
      ip,
      prefix,
      text: `${ip.text}/${prefix}`,
      first,
      last,
      network: `${formatIpv4(first)}/${prefix}`,
    };
  }
  const net = ipaddr.IPv6.networkAddressFromCIDR(`${ip.text}/${prefix}`).toRFC5952String();
  return {
    family: 6,
    ip,
    prefix,
    text: `${ip.text}/${prefix}`,
    first: 0,
    last: 0,
    network: `${net}/${prefix}`,
  };
}

/** Formats an unsigned 32-bit number as dotted quad. */
export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join(".");
}

/** True when the IPv4 number lies inside the IPv4 block. */
export function contains(block: Cidr, value: number): boolean {
  return block.family === 4 && value >= block.first && value <= block.last;
}

/** True when two IPv4 blocks share at least one address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.family === 4 && b.family === 4 && a.first <= b.last && b.first <= a.last;
}
