/**
 * Set contents for nftables interval sets: CIDR lists split by address family
 * and port lists, normalised so that `nft` accepts them in one `add element`.
 *
 * nft refuses overlapping intervals in one batch ("conflicting intervals
 * specified"), and `auto-merge` does not help when the set is flushed and
 * refilled in the same transaction, so the renderer does the merging itself:
 * host bits are cleared, duplicates and blocks inside a larger block are
 * dropped, overlapping port ranges are joined. The output is sorted, so the
 * same list in any order renders identically. Pure; never throws: an entry
 * that does not parse (impossible after validation) is left out, which only
 * ever makes a set match less.
 */
import ipaddr from "ipaddr.js";
import type { NftSetElement } from "./nft-types.js";

/** The elements of a CIDR list, one list per address family. */
export interface FamilyElements {
  v4: NftSetElement[];
  v6: NftSetElement[];
}

interface Block {
  start: bigint;
  end: bigint;
  len: number;
}

/** Splits a CIDR (or bare address) list into normalised IPv4 and IPv6 set elements. */
export function cidrElements(cidrs: readonly string[]): FamilyElements {
  const v4: Block[] = [];
  const v6: Block[] = [];
  for (const text of cidrs) {
    const parsed = parseBlock(text);
    if (parsed === undefined) continue;
    (parsed.family === 4 ? v4 : v6).push(parsed.block);
  }
  return { v4: toElements(collapse(v4), 4), v6: toElements(collapse(v6), 6) };
}

function parseBlock(text: string): { family: 4 | 6; block: Block } | undefined {
  const slash = text.indexOf("/");
  const addrText = slash < 0 ? text : text.slice(0, slash);
  if (!ipaddr.isValid(addrText)) return undefined;
  const addr = ipaddr.parse(addrText);
  const family = addr.kind() === "ipv4" ? 4 : 6;
  const bits = family === 4 ? 32 : 128;
  const lenText = slash < 0 ? String(bits) : text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(lenText)) return undefined;
  const len = Number(lenText);
  if (len > bits) return undefined;
  let value = 0n;
  for (const byte of addr.toByteArray()) value = (value << 8n) | BigInt(byte);
  const host = (1n << BigInt(bits - len)) - 1n;
  const start = value & ~host;
  return { family, block: { start, end: start | host, len } };
}

/** Sorted, with every block that lies inside an earlier one removed. */
function collapse(blocks: Block[]): Block[] {
  blocks.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.len - b.len));
  const out: Block[] = [];
  let lastEnd = -1n;
  for (const b of blocks) {
    // CIDR blocks either nest or are disjoint, so "starts inside" means "is inside".
    if (b.start <= lastEnd) continue;
    out.push(b);
    lastEnd = b.end;
  }
  return out;
}

function toElements(blocks: Block[], family: 4 | 6): NftSetElement[] {
  const bits = family === 4 ? 32 : 128;
  return blocks.map((b) => {
    const addr = addressText(b.start, family);
    return b.len === bits ? addr : { prefix: { addr, len: b.len } };
  });
}

function addressText(value: bigint, family: 4 | 6): string {
  const size = family === 4 ? 4 : 16;
  const bytes: number[] = new Array(size);
  let v = value;
  for (let i = size - 1; i >= 0; i--) {
    bytes[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return ipaddr.fromByteArray(bytes).toString();
}

/**
 * Port set elements from ports (`80`) and ranges (`"8000-8100"`), sorted, with
 * overlapping ranges joined. Entries outside 1..65535 are left out.
 */
export function portElements(ports: readonly (string | number)[]): NftSetElement[] {
  const ranges: [number, number][] = [];
  for (const p of ports) {
    const range = parsePortRange(p);
    if (range !== undefined) ranges.push(range);
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last !== undefined && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged.map(([a, b]) => (a === b ? a : { range: [a, b] }));
}

function parsePortRange(p: string | number): [number, number] | undefined {
  const text = String(p);
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  if (m === null) return undefined;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  if (lo < 1 || hi > 65535 || lo > hi) return undefined;
  return [lo, hi];
}
