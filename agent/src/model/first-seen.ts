/**
 * `FirstSeen`: where each key of a list was first given, so a repeat is
 * reported as `duplicate WHAT, also at FIRST-PATH` at the repeat's path.
 * Used by the section validators for every "no X twice" rule that reads so.
 */
import type { ErrorList } from "./fields.js";

export class FirstSeen<K> {
  private readonly paths = new Map<K, string>();

  constructor(private readonly errors: ErrorList) {}

  /**
   * Records `path` as where `key` was first seen and returns true; when it
   * was seen before, adds `duplicate ${what}, also at <first path>` at
   * `errorPath` (default `path`) instead and returns false (the first path
   * stays).
   */
  claim(path: string, key: K, what: string, errorPath = path): boolean {
    const first = this.paths.get(key);
    if (first) {
      this.errors.add(errorPath, `duplicate ${what}, also at ${first}`);
      return false;
    }
    this.paths.set(key, path);
    return true;
  }

  has(key: K): boolean {
    return this.paths.has(key);
  }
}
