/**
 * `specHash`: the identity of a desired state, used to tell whether a push
 * changes anything and to label revisions.
 *
 * sha256 (lower-case hex) of the canonical JSON of a validated spec, so two
 * specs that mean the same thing hash the same whatever order their keys
 * were written in. The order of list entries does matter (rules are ordered).
 */
import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.js";
import type { RouterSpec } from "./types.js";

export function specHash(spec: RouterSpec): string {
  return createHash("sha256").update(canonicalJson(spec), "utf8").digest("hex");
}
