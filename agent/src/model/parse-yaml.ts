/**
 * `parseRouterYaml`: `router.yaml` text to a validated `RouterSpec`.
 *
 * A thin wrapper over `validateSpec`: YAML 1.2 core schema, one document,
 * duplicate keys refused. A YAML problem (syntax, duplicate key, unknown tag,
 * several documents) becomes a single error with path `(yaml)` whose message
 * starts with `line L, column C:`; the spec is validated only when the YAML
 * itself is sound. Never throws.
 */
import { LineCounter, parseDocument, type YAMLError } from "yaml";
import type { RouterSpec, Validated } from "./types.js";
import { validateSpec } from "./validate.js";

/** Path of the error reported for a YAML-level problem. */
export const YAML_PATH = "(yaml)";

export function parseRouterYaml(text: string): Validated<RouterSpec> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    schema: "core",
    uniqueKeys: true,
    prettyErrors: false,
    lineCounter,
  });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    return { ok: false, errors: [{ path: YAML_PATH, message: describe(problem, lineCounter) }] };
  }
  if (doc.contents === null) {
    return { ok: false, errors: [{ path: YAML_PATH, message: "the document is empty" }] };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    // toJS throws on alias bombs (more expansions than maxAliasCount).
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [{ path: YAML_PATH, message }] };
  }
  return validateSpec(value);
}

function describe(problem: YAMLError, lineCounter: LineCounter): string {
  const { line, col } = lineCounter.linePos(problem.pos[0]);
  const what =
    problem.code === "MULTIPLE_DOCS"
      ? "a router.yaml holds exactly one document"
      : problem.code === "DUPLICATE_KEY"
        ? "duplicate key; each key may appear once per mapping"
        : problem.message.split("\n")[0];
  return `line ${line}, column ${col}: ${what}`;
}
