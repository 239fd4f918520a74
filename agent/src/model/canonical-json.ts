/**
 * Canonical JSON: object keys sorted by code point at every depth, arrays kept
 * in order, two-space indentation, no trailing newline.
 *
 * Two values that are equal as data print identically whatever order their
 * keys were built in, so the output is fit for hashing (`specHash`) and for
 * golden files that must diff cleanly. Follows `JSON.stringify` for what it
 * drops: `undefined` members of objects are omitted, `undefined` in arrays
 * prints as `null`. Throws a TypeError on a cycle or a bigint, like
 * `JSON.stringify`.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const json = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof json === "function") return sortKeys(json.call(value));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    out[key] = sortKeys((value as Record<string, unknown>)[key]);
  }
  return out;
}
