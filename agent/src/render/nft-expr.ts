/**
 * Builders for the nftables JSON expressions the renderer uses, so that rule
 * code reads like the nft syntax it stands for (`iifname "ens7"`,
 * `ip saddr @set`, `counter name "x"`). Pure.
 */
import type { NftExpr } from "./nft-types.js";

type Operator = "==" | "!=" | "in";

export function match(left: NftExpr, right: unknown, op: Operator = "=="): NftExpr {
  return { match: { op, left, right } };
}

export function meta(key: "iifname" | "oifname" | "iif" | "l4proto" | "nfproto"): NftExpr {
  return { meta: { key } };
}

export function payload(protocol: string, field: string): NftExpr {
  return { payload: { protocol, field } };
}

/** One value as is, several as an anonymous set. */
export function oneOrSet<T>(values: readonly T[]): T | { set: T[] } {
  return values.length === 1 ? (values[0] as T) : { set: [...values] };
}

/** A reference to a named set: `@name`. */
export function setRef(name: string): string {
  return `@${name}`;
}

export function iifname(...names: string[]): NftExpr {
  return match(meta("iifname"), oneOrSet(names));
}

export function oifname(...names: string[]): NftExpr {
  return match(meta("oifname"), oneOrSet(names));
}

export function ctState(...states: string[]): NftExpr {
  return match({ ct: { key: "state" } }, states.length === 1 ? states[0] : states, "in");
}

export function ctStatus(status: string): NftExpr {
  return match({ ct: { key: "status" } }, status, "in");
}

/** `counter name "<name>"`: a reference to a named counter object. */
export function namedCounter(name: string): NftExpr {
  return { counter: name };
}

export function limit(rate: number, per: "second" | "minute", burst?: number): NftExpr {
  return { limit: burst === undefined ? { rate, per } : { rate, per, burst } };
}

export function log(prefix: string): NftExpr {
  return { log: { prefix } };
}

export const accept: NftExpr = { accept: null };
export const drop: NftExpr = { drop: null };

export function jump(target: string): NftExpr {
  return { jump: { target } };
}
