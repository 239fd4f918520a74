/**
 * `routerctl pki init|issue|token`: credentials for the agent API, made with
 * the openssl CLI (host-client/src/pki.ts). No agent connection needed.
 * Exit 0 on success, 2 on bad flags or an existing file, 1 when openssl fails.
 */
import { join } from "node:path";
import type { Command, CommanderError } from "commander";
import type { Scope } from "../../../../agent/src/api/auth.js";
import { generateToken, initPki, issueClientCert } from "../../pki.js";
import { printJson } from "../output.js";

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerPkiCommands(program: Command): void {
  const pki = program
    .command("pki")
    .description("Create a CA, the agent's certificate and client credentials.");

  pki
    .command("init")
    .description(
      "Create DIR with a CA (ca.crt, ca.key) and the agent's server certificate (server.crt, server.key).",
    )
    .requiredOption("--dir <dir>", "where to write the files")
    .option("--server-ip <ip>", "an IP address the agent is reached at (repeatable)", collect, [])
    .option("--server-dns <name>", "a DNS name the agent is reached at (repeatable)", collect, [])
    .option("--days <n>", "validity of the server certificate", "825")
    .option("--json", "print the written paths as JSON")
    .action(
      (flags: {
        dir: string;
        serverIp: string[];
        serverDns: string[];
        days: string;
        json?: boolean;
      }) =>
        run(flags.json, async () => {
          const r = await initPki({
            dir: flags.dir,
            serverIps: flags.serverIp,
            serverDns: flags.serverDns,
            days: days(flags.days),
          });
          if (flags.json) printJson(r);
          else {
            process.stdout.write(
              `wrote ${r.ca.cert}, ${r.ca.key}, ${r.server.cert}, ${r.server.key}\n` +
                `agent config: tls cert ${r.server.cert}, key ${r.server.key}, client CA ${r.ca.cert}\n` +
                `keep ${r.ca.key} off the guest\n`,
            );
          }
        }),
    );

  pki
    .command("issue")
    .description("Issue a client certificate NAME.crt/NAME.key in DIR with read or write scope.")
    .requiredOption("--dir <dir>", "the directory made by pki init")
    .requiredOption("--name <name>", "the client's name (its CN; shown as the actor in history)")
    .requiredOption(
      "--scope <scope>",
      "read (status, history, leases, counters) or write (also apply, confirm, rollback)",
    )
    .option("--days <n>", "validity", "825")
    .option("--json", "print the written paths as JSON")
    .action((flags: { dir: string; name: string; scope: string; days: string; json?: boolean }) =>
      run(flags.json, async () => {
        const r = await issueClientCert({
          dir: flags.dir,
          name: flags.name,
          scope: scope(flags.scope),
          days: days(flags.days),
        });
        if (flags.json) printJson(r);
        else {
          process.stdout.write(
            `wrote ${r.cert}, ${r.key} (scope ${flags.scope})\n` +
              `use: ROUTERCTL_CA=${join(flags.dir, "ca.crt")} ROUTERCTL_CERT=${r.cert} ROUTERCTL_KEY=${r.key}\n`,
          );
        }
      }),
    );

  pki
    .command("token")
    .description(
      "Generate a bearer token; prints it once with the sha256 the agent's config stores.",
    )
    .requiredOption("--name <name>", "the token's name (shown as the actor in history)")
    .requiredOption("--scope <scope>", "read or write")
    .option("--json", "print as JSON")
    .action((flags: { name: string; scope: string; json?: boolean }) =>
      run(flags.json, async () => {
        scope(flags.scope);
        const { token, sha256 } = generateToken();
        if (flags.json) printJson({ name: flags.name, scope: flags.scope, token, sha256 });
        else {
          process.stdout.write(
            `token: ${token}\nagent config: - { name: ${flags.name}, scope: ${flags.scope}, sha256: ${sha256} }\n`,
          );
        }
      }),
    );

  for (const command of [pki, ...pki.commands]) {
    command.exitOverride((error: CommanderError) => process.exit(error.exitCode === 0 ? 0 : 2));
  }
}

class UsageError extends Error {}

function days(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--days ${text}: expected a whole number of days`);
  return n;
}

function scope(text: string): Scope {
  if (text !== "read" && text !== "write") throw new UsageError("--scope must be read or write");
  return text;
}

async function run(json: boolean | undefined, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    const message = (err as Error).message;
    const usage =
      err instanceof UsageError || /already exists|not found|--server|--name|--scope/.test(message);
    if (json) printJson({ error: { kind: usage ? "usage" : "rejected", message } });
    else process.stderr.write(`routerctl: ${message}\n`);
    process.exitCode = usage ? 2 : 1;
  }
}
