/**
 * Parsing dnsmasq's lease file (`dhcp-leasefile`). Pure: no I/O.
 *
 * Each IPv4 lease is one line: `<expiry> <mac> <ip> <hostname|*> <client-id|*>`,
 * where expiry is unix seconds (0: infinite). dnsmasq rewrites the file in
 * place (truncate, then write), so a reader can catch it empty or cut off in
 * the middle of a line; `parseLeaseFile` reports an unterminated last line as
 * `complete: false` so the caller can read again. IPv6 lines (`duid ...`, and
 * leases whose second field is an IAID) and anything malformed are skipped and
 * listed in `skipped`, never thrown.
 *
 * Hostnames come from DHCP clients: they are hostile data. They are kept only
 * if they are plain printable ASCII without spaces; never interpreted.
 */
import { parseIpv4 } from "../model/net.js";

/** One IPv4 lease as the lease file states it. */
export interface FileLease {
  /** Unix seconds; 0 for an infinite lease. */
  expiresAt: number;
  /** Lower-case `aa:bb:cc:dd:ee:ff`. */
  mac: string;
  ip: string;
  hostname?: string;
  clientId?: string;
}

export interface SkippedLine {
  /** 1-based line number. */
  line: number;
  reason: string;
}

export interface LeaseFileParse {
  leases: FileLease[];
  skipped: SkippedLine[];
  /** False when the text does not end in a newline: dnsmasq was mid-write. */
  complete: boolean;
}

const MAC_RE = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;
const EXPIRY_RE = /^(?:0|[1-9][0-9]{0,11})$/;
/** What dnsmasq itself lets through as a hostname, and a little more. */
const HOSTNAME_RE = /^[\x21-\x7e]{1,255}$/;
const CLIENT_ID_RE = /^[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){0,254}$/;

/** Normalises an Ethernet MAC to lower case, or undefined if it is not one. */
export function normaliseMac(text: string): string | undefined {
  const mac = text.toLowerCase();
  return MAC_RE.test(mac) ? mac : undefined;
}

/** A client-supplied hostname if it is printable ASCII without spaces, else undefined. */
export function safeHostname(text: string | undefined): string | undefined {
  if (text === undefined || text === "" || text === "*") return undefined;
  return HOSTNAME_RE.test(text) ? text : undefined;
}

/** Parses one lease line; returns the reason when it is not an IPv4 lease. */
export function parseLeaseLine(line: string): FileLease | string {
  const fields = line.split(" ");
  if (fields[0] === "duid") return "DHCPv6 server DUID";
  if (fields.length !== 5) return `expected 5 fields, got ${fields.length}`;
  const [expiry, macText, ipText, host, clientId] = fields as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (!EXPIRY_RE.test(expiry)) return "bad expiry";
  const mac = normaliseMac(macText);
  if (!mac) return "not an Ethernet MAC (IPv6 or other hardware type)";
  if (!parseIpv4(ipText)) return "not an IPv4 address";
  const lease: FileLease = { expiresAt: Number(expiry), mac, ip: ipText };
  const hostname = safeHostname(host);
  if (hostname !== undefined) lease.hostname = hostname;
  if (clientId !== "*" && CLIENT_ID_RE.test(clientId)) lease.clientId = clientId.toLowerCase();
  return lease;
}

/**
 * Parses the whole lease file. Blank lines are ignored; a later line for the
 * same IP replaces an earlier one (dnsmasq never writes both, but a torn read
 * could show it).
 */
export function parseLeaseFile(text: string): LeaseFileParse {
  const complete = text === "" || text.endsWith("\n");
  const lines = text.split("\n");
  // The piece after the last newline is either "" or an unterminated line.
  lines.pop();
  const byIp = new Map<string, FileLease>();
  const skipped: SkippedLine[] = [];
  lines.forEach((raw, i) => {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") return;
    const parsed = parseLeaseLine(line);
    if (typeof parsed === "string") skipped.push({ line: i + 1, reason: parsed });
    else byIp.set(parsed.ip, parsed);
  });
  if (!complete) skipped.push({ line: lines.length + 1, reason: "unterminated last line" });
  return { leases: [...byIp.values()], skipped, complete };
}
