/**
 * Reading and restoring applied state: `routerctl status`, `routerctl
 * history` and `routerctl rollback [REVISION]`.
 */
import type { Command } from "commander";
import type { SystemInfo } from "../../../../agent/src/runtime/system-info.js";
import { RouterClientError } from "../../client-errors.js";
import { formatDuration } from "../duration.js";
import { printJson, safeText, table } from "../output.js";
import { type RemoteOptions, remote, runRemote } from "../remote.js";
import { pendingLines, short } from "./apply.js";

export function registerStateCommands(program: Command): void {
  remote(
    program
      .command("status")
      .description(
        "The applied generation and hash, conditions, dnsmasq, uptime and any pending commit.",
      ),
  ).action((flags: RemoteOptions) =>
    runRemote(flags, async (client) => {
      const { status, system } = await client.status();
      if (flags.json) {
        printJson(system ? { ...status, system } : status);
        return 0;
      }
      const up = status.startedAt ? Date.now() - Date.parse(status.startedAt) : 0;
      const dnsmasq = status.dnsmasq.running
        ? `running (pid ${status.dnsmasq.pid ?? "?"}, ${status.dnsmasq.restarts} restarts)`
        : `not running (${status.dnsmasq.restarts} restarts)`;
      const lines = [
        `generation  ${status.appliedGeneration}`,
        `revision    ${status.appliedRevision}`,
        `hash        ${status.appliedHash || "(nothing applied yet)"}`,
        `uptime      ${formatDuration(up)} (since ${status.startedAt})`,
        `dnsmasq     ${dnsmasq}`,
        `pending     ${status.pendingCommit ? pendingLines(status.pendingCommit)[0] : "none"}`,
        ...(system ? systemLines(system) : []),
        "",
      ];
      process.stdout.write(lines.join("\n"));
      process.stdout.write(
        table(
          ["CONDITION", "STATUS", "REASON", "GENERATION", "SINCE", "MESSAGE"],
          status.conditions.map((c) => [
            c.type,
            c.status ? "True" : "False",
            c.reason,
            c.observedGeneration,
            c.lastTransitionTime,
            safeText(c.message),
          ]),
        ),
      );
      return 0;
    }),
  );

  remote(
    program
      .command("history")
      .description("The applied revisions, newest first: hash, time, who and why.")
      .option("--limit <n>", "at most this many", "0"),
  ).action((flags: RemoteOptions & { limit: string }) =>
    runRemote(flags, async (client) => {
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 0) {
        throw new RouterClientError("usage", `--limit ${flags.limit}: expected a whole number`);
      }
      const [revisions, { status }] = await Promise.all([
        client.history({ limit }),
        client.status(),
      ]);
      if (flags.json) {
        printJson(revisions);
        return 0;
      }
      process.stdout.write(
        table(
          ["REVISION", "GENERATION", "HASH", "APPLIED", "WHO", "WHY"],
          revisions.map((r) => [
            `${r.revision}${r.revision === status.appliedRevision ? "*" : ""}`,
            r.generation,
            short(r.hash),
            r.appliedAt,
            safeText(r.actor),
            safeText(r.reason),
          ]),
        ),
      );
      return 0;
    }),
  );

  remote(
    program
      .command("rollback")
      .description(
        "Re-apply a stored revision (default: the one before the current) as a new revision.",
      )
      .argument("[revision]", "the revision to restore")
      .option("--reason <text>", "why, for the audit log and history", ""),
  ).action((revisionText: string | undefined, flags: RemoteOptions & { reason: string }) =>
    runRemote(flags, async (client) => {
      const revision = revisionText === undefined ? 0 : Number(revisionText);
      if (revisionText !== undefined && (!Number.isInteger(revision) || revision < 1)) {
        throw new RouterClientError(
          "usage",
          `rollback ${revisionText}: expected a revision number`,
        );
      }
      const r = await client.rollback(revision, flags.reason);
      if (flags.json) {
        printJson(r);
        return 0;
      }
      process.stdout.write(
        `rolled back${revision ? ` to revision ${revision}` : ""}: now revision ${r.applied.revision}, generation ${r.applied.generation}, hash ${r.applied.hash}\n`,
      );
      return 0;
    }),
  );
}

/** The guest's facts, one line each; every string came from the guest. */
function systemLines(s: SystemInfo): string[] {
  const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;
  return [
    `agent       router-agent ${safeText(s.agentVersion)} on Node.js ${safeText(s.nodeVersion)}, RSS ${mib(s.agentRssBytes)}`,
    `guest       ${safeText(s.hostname)}: ${safeText(s.os)}, kernel ${safeText(s.kernel)} (${safeText(s.arch)}), up ${formatDuration(s.uptimeSeconds * 1000)}`,
    `memory      ${mib(s.memoryAvailableBytes)} available of ${mib(s.memoryTotalBytes)}`,
    `load        ${s.loadAverage.map((l) => l.toFixed(2)).join(" ")}`,
  ];
}
