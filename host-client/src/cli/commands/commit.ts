/**
 * The commit-confirm window: `routerctl confirm`, `routerctl cancel` and
 * `routerctl extend <duration>`, each for the pending commit (or `--commit`).
 * Exit 1 when there is no pending commit to act on.
 */
import type { Command } from "commander";
import { RouterClientError } from "../../client-errors.js";
import type { ApplyResult } from "../../router-client.js";
import { parseDuration } from "../duration.js";
import { printJson } from "../output.js";
import { type RemoteOptions, remote, runRemote } from "../remote.js";
import { pendingLines, short } from "./apply.js";

interface CommitFlags extends RemoteOptions {
  commit?: string;
}

export function registerCommitCommands(program: Command): void {
  remote(
    program
      .command("confirm")
      .description("Make the pending commit final.")
      .option("--commit <id>", "the commit to confirm (default: the pending one)"),
  ).action((flags: CommitFlags) =>
    runRemote(flags, async (client) =>
      report(flags, await client.confirm(flags.commit), "confirmed"),
    ),
  );

  remote(
    program
      .command("cancel")
      .description("Roll the pending commit back now.")
      .option("--commit <id>", "the commit to cancel (default: the pending one)"),
  ).action((flags: CommitFlags) =>
    runRemote(flags, async (client) =>
      report(flags, await client.cancel(flags.commit), "cancelled"),
    ),
  );

  remote(
    program
      .command("extend")
      .description("Move the pending commit's deadline to DURATION from now.")
      .argument("<duration>", "e.g. 5m")
      .option("--commit <id>", "the commit to extend (default: the pending one)"),
  ).action((text: string, flags: CommitFlags) =>
    runRemote(flags, async (client) => {
      let ms: number;
      try {
        ms = parseDuration(text);
      } catch (err) {
        throw new RouterClientError("usage", `extend: ${(err as Error).message}`);
      }
      return report(flags, await client.extend(ms, flags.commit), "extended");
    }),
  );
}

function report(flags: CommitFlags, r: ApplyResult, verb: string): number {
  if (flags.json) {
    printJson(r);
    return r.accepted ? 0 : 1;
  }
  if (!r.accepted) {
    process.stdout.write(`not ${verb}: ${r.error?.message ?? "unknown error"}\n`);
    return 1;
  }
  const lines = [
    `${verb}: generation ${r.applied.generation}, revision ${r.applied.revision}, hash ${short(r.applied.hash)}`,
    ...(r.pendingCommit ? pendingLines(r.pendingCommit) : []),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}
