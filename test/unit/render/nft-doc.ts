/** Readers for rendered nft documents, so tests can ask "which rules, which sets". */
import type { NftDocument } from "../../../agent/src/render/nft.js";

export interface RuleView {
  chain: string;
  expr: Record<string, unknown>[];
  comment?: string;
}

export function rules(doc: NftDocument, chain?: string): RuleView[] {
  return doc.nftables
    .map((c) => (c.add as { rule?: RuleView } | undefined)?.rule)
    .filter((r): r is RuleView => r !== undefined && (chain === undefined || r.chain === chain));
}

export function sets(doc: NftDocument): Map<string, { type: string; elem: unknown[] }> {
  const out = new Map<string, { type: string; elem: unknown[] }>();
  for (const c of doc.nftables) {
    const add = c.add as
      | Record<string, { name: string; type?: string; elem?: unknown[] }>
      | undefined;
    if (add?.set) out.set(add.set.name, { type: add.set.type ?? "", elem: [] });
    if (add?.element) out.get(add.element.name)?.elem.push(...(add.element.elem ?? []));
  }
  return out;
}

export function counters(doc: NftDocument): string[] {
  return doc.nftables
    .map((c) => (c.add as { counter?: { name: string } } | undefined)?.counter?.name)
    .filter((n): n is string => n !== undefined);
}

/** Names referenced by rules: `@set` operands and `counter` statements. */
export function references(doc: NftDocument): { sets: Set<string>; counters: Set<string> } {
  const out = { sets: new Set<string>(), counters: new Set<string>() };
  const walk = (v: unknown): void => {
    if (typeof v === "string" && v.startsWith("@")) out.sets.add(v.slice(1));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if (k === "counter" && typeof x === "string") out.counters.add(x);
        else walk(x);
      }
    }
  };
  for (const r of rules(doc)) walk(r.expr);
  return out;
}

/** A compact text form of one rule's expressions, for readable assertions. */
export function text(rule: RuleView): string {
  return JSON.stringify(rule.expr);
}
