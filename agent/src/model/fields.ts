/**
 * Readers for untrusted, YAML-shaped plain data: each takes a field path and
 * a value, records a `FieldError` when the value has the wrong shape, and
 * returns the typed value or `undefined`. `null` counts as absent, so an empty
 * YAML key (`dns:`) means "use the defaults".
 *
 * These know nothing about routers; `validate.ts` builds the model on them.
 */
import type { FieldError } from "./types.js";

/** Most errors reported at once; the rest are summarised in one last error. */
export const MAX_ERRORS = 1000;

/** Collects errors in the order they are found. */
export class ErrorList {
  private readonly errors: FieldError[] = [];
  private dropped = 0;

  add(path: string, message: string): void {
    if (this.errors.length < MAX_ERRORS) this.errors.push({ path: path || "(root)", message });
    else this.dropped++;
  }

  get count(): number {
    return this.errors.length + this.dropped;
  }

  /** The errors, with a summary entry when more than `MAX_ERRORS` were found. */
  list(): FieldError[] {
    if (this.dropped === 0) return [...this.errors];
    return [...this.errors, { path: "(root)", message: `${this.dropped} more errors not shown` }];
  }
}

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `base.key`, or `base["odd key"]` when the key is not a plain identifier. */
export function keyPath(base: string, key: string): string {
  if (!PLAIN_KEY.test(key)) return `${base}[${quote(key)}]`;
  return base ? `${base}.${key}` : key;
}

/** `base[i]`. */
export function itemPath(base: string, index: number): string {
  return `${base}[${index}]`;
}

/**
 * A user value for an error message: JSON-quoted, non-ASCII and control
 * characters escaped, cut at 64 characters, so it can never break a line.
 */
export function quote(text: string): string {
  const cut = text.length > 64 ? `${text.slice(0, 64)}…` : text;
  return JSON.stringify(cut).replace(
    /[^\x20-\x7e]/g,
    (ch) => `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, "0")}`,
  );
}

export function isAbsent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** The known key the unknown one was probably meant to be, if any is close. */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  const squash = (s: string) => s.toLowerCase().replace(/[_-]/g, "");
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    if (squash(candidate) === squash(key)) return candidate;
    const d = distance(key.toLowerCase(), candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const allowed = Math.max(1, Math.min(3, Math.floor(key.length / 3)));
  return bestDistance <= allowed ? best : undefined;
}

/**
 * A mapping with only `known` keys. Unknown keys are errors (with a
 * suggestion when a known key is close); they do not make the mapping
 * unusable, so the known keys are still checked.
 */
export function readMapping(
  errors: ErrorList,
  path: string,
  value: unknown,
  known: readonly string[],
): Record<string, unknown> | undefined {
  if (!isPlainObject(value)) {
    errors.add(path, "expected a mapping");
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const hint = suggestKey(key, known);
    errors.add(
      keyPath(path, key),
      hint ? `unknown field; did you mean "${hint}"?` : "unknown field",
    );
  }
  return value;
}

/** Like `readMapping`, but "required" when absent. */
export function readRequiredMapping(
  errors: ErrorList,
  path: string,
  value: unknown,
  known: readonly string[],
): Record<string, unknown> | undefined {
  if (isAbsent(value)) {
    errors.add(path, "required");
    return undefined;
  }
  return readMapping(errors, path, value, known);
}

/** A string; "required" when absent. */
export function readString(errors: ErrorList, path: string, value: unknown): string | undefined {
  if (isAbsent(value)) {
    errors.add(path, "required");
    return undefined;
  }
  if (typeof value !== "string") {
    errors.add(path, "expected a string");
    return undefined;
  }
  return value;
}

/** A boolean, or `fallback` when absent. */
export function readBool(
  errors: ErrorList,
  path: string,
  value: unknown,
  fallback: boolean,
): boolean | undefined {
  if (isAbsent(value)) return fallback;
  if (typeof value !== "boolean") {
    errors.add(path, "expected true or false");
    return undefined;
  }
  return value;
}

/** An integer in `min..max`; "required" when absent. */
export function readInt(
  errors: ErrorList,
  path: string,
  value: unknown,
  min: number,
  max: number,
): number | undefined {
  if (isAbsent(value)) {
    errors.add(path, "required");
    return undefined;
  }
  if (typeof value !== "number" || !Number.isInteger(value)) {
    errors.add(path, "expected an integer");
    return undefined;
  }
  if (value < min || value > max) {
    errors.add(path, `${value} is outside ${min}..${max}`);
    return undefined;
  }
  return value;
}

/** One of `choices`, or `fallback` when absent (required when no fallback). */
export function readEnum<T extends string>(
  errors: ErrorList,
  path: string,
  value: unknown,
  choices: readonly T[],
  fallback?: T,
): T | undefined {
  if (isAbsent(value) && fallback !== undefined) return fallback;
  const text = readString(errors, path, value);
  if (text === undefined) return undefined;
  if (!(choices as readonly string[]).includes(text)) {
    errors.add(path, `${quote(text)} is not one of ${choices.join(", ")}`);
    return undefined;
  }
  return text as T;
}

/**
 * A list of at most `max` items, or `[]` when absent. Over-long lists are
 * reported and not read further, so a huge bad input costs one error.
 */
export function readList(
  errors: ErrorList,
  path: string,
  value: unknown,
  max: number,
): unknown[] | undefined {
  if (isAbsent(value)) return [];
  if (!Array.isArray(value)) {
    errors.add(path, "expected a list");
    return undefined;
  }
  if (value.length > max) {
    errors.add(path, `has ${value.length} entries; the limit is ${max}`);
    return undefined;
  }
  return value;
}
