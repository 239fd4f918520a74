/**
 * The initial desired state: a router.yaml that the agent applies once, at a
 * start that finds no revision in its state directory (a fresh install).
 * Slicer userdata writes it to /etc/router-agent/router.yaml so a new router
 * forwards without waiting for the host's first apply. Once any revision
 * exists, the file is never read again: last-good wins.
 *
 * Never throws: a missing file is "absent", a bad one is logged with every
 * field error and left alone (the agent still starts, so the host can push a
 * good spec).
 */
import { parse } from "yaml";
import { parseRouterYaml } from "../model/parse-yaml.js";
import type { FileStore } from "./file-store.js";
import type { Logger } from "./logger.js";
import type { ApplyOutcome, RouterRuntime } from "./router-runtime.js";

export type InitialStateResult =
  | { kind: "skipped"; reason: "has-history" }
  | { kind: "absent" }
  | { kind: "unreadable"; message: string }
  | { kind: "done"; outcome: ApplyOutcome };

/** Applies `path` when `runtime` has no history; see the file comment. */
export async function applyInitialState(
  runtime: RouterRuntime,
  path: string,
  files: FileStore,
  log: Logger,
): Promise<InitialStateResult> {
  if (runtime.history().length > 0) return { kind: "skipped", reason: "has-history" };
  let text: string | undefined;
  try {
    text = await files.read(path);
  } catch (e) {
    const message = (e as Error).message;
    log.error({ path, err: message }, "cannot read the initial state");
    return { kind: "unreadable", message };
  }
  if (text === undefined) {
    log.info({ path }, "no initial state file; waiting for the first apply");
    return { kind: "absent" };
  }
  const checked = parseRouterYaml(text);
  if (!checked.ok) {
    log.error({ path, errors: checked.errors }, "the initial state is invalid; not applied");
    return { kind: "done", outcome: { kind: "invalid", errors: checked.errors } };
  }
  // The YAML is sound (parseRouterYaml said so); the runtime validates the plain object again.
  const outcome = await runtime.apply({
    spec: parse(text, { schema: "core" }) as unknown,
    generation: 0,
    dryRun: false,
    reason: `initial state from ${path}`,
    actor: "agent-start",
  });
  if (outcome.kind === "applied") {
    log.info(
      { path, revision: outcome.revision.revision, hash: outcome.revision.hash },
      "initial state applied",
    );
  } else {
    log.error({ path, outcome }, "the initial state was not applied");
  }
  return { kind: "done", outcome };
}
