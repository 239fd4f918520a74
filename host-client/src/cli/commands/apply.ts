/**
 * `routerctl apply -f router.yaml [--dry-run] [--confirm-within 60s] [--reason TEXT]`
 *
 * Validates the file locally (the same check as `routerctl validate`), pushes
 * it with generation = the agent's applied generation + 1, prints the plan,
 * then the result with generation and hash. Invalid (locally or by the
 * agent's NACK): one `path: message` line per field error, exit 1.
 */
import type { Command } from "commander";
import { parseRouterYaml } from "../../../../agent/src/model/parse-yaml.js";
import type { PendingCommit, Plan } from "../../../../agent/src/runtime/router-runtime.js";
import { RouterClientError } from "../../client-errors.js";
import type { ApplyResult } from "../../router-client.js";
import { formatDuration, parseDuration } from "../duration.js";
import { printJson } from "../output.js";
import { readSpecText } from "../read-spec.js";
import { type RemoteOptions, remote, runRemote } from "../remote.js";

interface ApplyFlags extends RemoteOptions {
  file: string;
  dryRun?: boolean;
  confirmWithin?: string;
  reason?: string;
  commit?: string;
}

export function registerApplyCommand(program: Command): void {
  remote(
    program
      .command("apply")
      .description("Push a router.yaml to the agent: plan, apply, report generation and hash.")
      .requiredOption("-f, --file <path>", "the router.yaml to apply ('-' for stdin)")
      .option("--dry-run", "only show what would change")
      .option(
        "--confirm-within <duration>",
        "roll back by itself unless `routerctl confirm` follows in time, e.g. 60s",
      )
      .option("--reason <text>", "why, for the audit log and history", "")
      .option("--commit <id>", "continue this pending commit (push during a confirm window)"),
  ).action((flags: ApplyFlags) =>
    runRemote(flags, async (client) => {
      const confirmWithinMs = flags.confirmWithin
        ? duration("--confirm-within", flags.confirmWithin)
        : undefined;
      const parsed = parseRouterYaml(await readSpec(flags.file));
      if (!parsed.ok) {
        return printResult(flags, {
          accepted: false,
          superseded: false,
          applied: { generation: 0, hash: "", revision: 0 },
          previous: { generation: 0, hash: "", revision: 0 },
          checkedLocally: true,
          error: { code: 3, message: `${flags.file} is invalid`, fieldViolations: parsed.errors },
        });
      }
      const result = await client.apply(parsed.value, {
        dryRun: flags.dryRun ?? false,
        ...(confirmWithinMs ? { confirmWithinMs } : {}),
        reason: flags.reason ?? "",
        ...(flags.commit ? { commitId: flags.commit } : {}),
      });
      return printResult(flags, result);
    }),
  );
}

function duration(flag: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (err) {
    throw new RouterClientError("usage", `${flag}: ${(err as Error).message}`);
  }
}

/** The spec's text; an unreadable file is a usage error. */
function readSpec(file: string): Promise<string> {
  return readSpecText(
    file,
    (message, cause) => new RouterClientError("usage", message, undefined, undefined, { cause }),
  );
}

function printResult(flags: ApplyFlags, r: ApplyResult): number {
  if (flags.json) {
    printJson(r);
    return r.accepted ? 0 : 1;
  }
  const out: string[] = [];
  if (r.plan) out.push(...planLines(r.plan, flags.dryRun ?? false));
  if (r.superseded) {
    out.push("superseded: a newer push replaced this one before it was applied");
  } else if (!r.accepted) {
    const where = r.checkedLocally
      ? ""
      : ` by the agent (still on generation ${r.applied.generation}, hash ${short(r.applied.hash)})`;
    out.push(`rejected${where}: ${r.error?.message ?? "unknown error"}`);
    for (const v of r.error?.fieldViolations ?? []) out.push(`${v.path}: ${v.message}`);
    const info = r.error?.errorInfo;
    if (info?.metadata.stderr) out.push(`stderr: ${info.metadata.stderr}`);
  } else if (flags.dryRun) {
    out.push(
      `dry run: valid; the agent stays on generation ${r.applied.generation}, hash ${short(r.applied.hash)}`,
    );
  } else {
    out.push(
      `applied: generation ${r.applied.generation}, revision ${r.applied.revision}, hash ${r.applied.hash}`,
    );
  }
  if (r.pendingCommit) out.push(...pendingLines(r.pendingCommit));
  process.stdout.write(`${out.join("\n")}\n`);
  return r.accepted ? 0 : 1;
}

function planLines(plan: Plan, dryRun: boolean): string[] {
  if (plan.noop)
    return [dryRun ? "plan: no changes" : "no changes: the agent already runs this spec"];
  const out = [`plan${dryRun ? " (dry run)" : ""}:`];
  if (plan.nftDiff) out.push("nft:", indent(plan.nftDiff));
  if (plan.dnsmasqDiff) out.push(`dnsmasq (${plan.dnsmasqAction}):`, indent(plan.dnsmasqDiff));
  if (plan.linkOps.length > 0) {
    out.push("links:");
    for (const op of plan.linkOps)
      out.push(`  ${op.op} ${op.ifname}${"address" in op ? ` ${op.address}` : ""}`);
  }
  return out;
}

export function pendingLines(p: PendingCommit): string[] {
  const left = Date.parse(p.deadline) - Date.now();
  return [
    `pending commit ${p.commitId}: confirm before ${p.deadline} (in ${formatDuration(left)}) with \`routerctl confirm\`, or the agent rolls back to revision ${p.rollbackTo}`,
  ];
}

function indent(text: string): string {
  return text
    .replace(/\n$/, "")
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}

export function short(hash: string): string {
  return hash ? hash.slice(0, 12) : "(none)";
}
