#!/usr/bin/env node
/**
 * routerctl: the host-side CLI for router-agent.
 *
 * Each command group lives in its own file under ./commands and registers
 * itself here; this file only builds the program and maps errors to exit codes.
 */
import { Command } from "commander";
import { registerApplyCommand } from "./commands/apply.js";
import { registerCommitCommands } from "./commands/commit.js";
import { registerOfflineCommands } from "./commands/offline.js";
import { registerPkiCommands } from "./commands/pki.js";
import { registerStateCommands } from "./commands/state.js";
import { registerTelemetryCommands } from "./commands/telemetry.js";
import { registerUserdataCommands } from "./commands/userdata.js";

const program = new Command("routerctl")
  .description(
    "Drive a router-agent: validate, render and apply desired state; watch leases and counters.",
  )
  .version(process.env.ROUTER_AGENT_VERSION ?? "0.1.0")
  .showHelpAfterError();

// Command groups register here, one line each.
registerOfflineCommands(program);
registerUserdataCommands(program);
registerApplyCommand(program);
registerCommitCommands(program);
registerStateCommands(program);
registerTelemetryCommands(program);
registerPkiCommands(program);

await program.parseAsync(process.argv);

// Every command has finished and printed (stdout to a pipe or file is written
// synchronously on Linux). Exit now: a gRPC connection attempt to an address
// that drops our SYNs stays pending in the kernel for minutes after the
// client is closed, and would keep the process alive until it gives up.
// `serve-release` keeps its own listener and never gets here until it stops.
process.exit(process.exitCode ?? 0);
