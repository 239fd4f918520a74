/**
 * The `router-agent` daemon: wires the runtime together and keeps it up.
 *
 *   router-agent [--config PATH] [--check-config] [--version] [--help]
 *
 * Config: `--config`, else `$ROUTER_AGENT_CONFIG`, else
 * /etc/router-agent/agent.yaml (a missing default file means all defaults).
 *
 * Start order: read agent.yaml → install the lease hook and open its FIFO →
 * restore last-good (or roll back a commit left pending; on a fresh state
 * directory, apply `initial_state` instead) → start the API → READY=1. A
 * failed restore does not stop the start: the API must come up so the host
 * can push a fix, and the restore is retried in the background.
 * While running: a periodic drift check, watchdog pings, STATUS= lines.
 * SIGTERM/SIGINT: stop the API, stop dnsmasq cleanly, exit 0 — the nft table
 * and the LAN addresses stay, so traffic keeps flowing across an agent
 * restart or upgrade.
 *
 * Exit codes: 0 clean stop, 1 fatal runtime error, 2 bad config or usage.
 */
import { mkdir, readFile } from "node:fs/promises";
import { hashToken, type TokenCredential } from "./api/auth.js";
import type { ListenerConfig } from "./api/listeners.js";
import { type ApiServer, startApiServer } from "./api/server.js";
import {
  type AgentConfig,
  DEFAULT_CONFIG_PATH,
  formatConfigErrors,
  parseAgentConfig,
} from "./runtime/agent-config.js";
import { SystemCounterSource } from "./runtime/counters.js";
import { DnsmasqSupervisor } from "./runtime/dnsmasq-supervisor.js";
import { RealExec } from "./runtime/exec.js";
import { DiskFileStore } from "./runtime/file-store.js";
import { applyInitialState } from "./runtime/initial-state.js";
import { LeaseTracker, leaseContextFromSpec } from "./runtime/lease-tracker.js";
import { LeaseWatcher } from "./runtime/lease-watcher.js";
import { createLogger, type Logger } from "./runtime/logger.js";
import type { MetricsServer } from "./runtime/metrics.js";
import { dnsmasqConfFile, Router } from "./runtime/router.js";
import type { RouterStatus } from "./runtime/router-runtime.js";
import { SdNotify } from "./runtime/sd-notify.js";
import { HostSystemInfo } from "./runtime/system-info.js";

const VERSION = "0.1.0";

const USAGE = `usage: router-agent [--config PATH] [--check-config] [--version] [--help]

  --config PATH     agent config (default: $ROUTER_AGENT_CONFIG, else ${DEFAULT_CONFIG_PATH})
  --check-config    validate the config, print errors, exit 0 (valid) or 2 (invalid)
  --version         print the version
`;

export interface CliArgs {
  config?: string;
  checkConfig: boolean;
  version: boolean;
  help: boolean;
}

/** Parses the command line; throws an Error with a usage message on bad input. */
export function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = { checkConfig: false, version: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--config") {
      const v = argv[++i];
      if (v === undefined || v === "") throw new Error("--config needs a path");
      args.config = v;
    } else if (a.startsWith("--config=")) {
      args.config = a.slice("--config=".length);
      if (args.config === "") throw new Error("--config needs a path");
    } else if (a === "--check-config") args.checkConfig = true;
    else if (a === "--version") args.version = true;
    else if (a === "--help" || a === "-h") args.help = true;
    else throw new Error(`unknown argument: ${a}`);
  }
  return args;
}

/** Reads and validates agent.yaml. A missing file is an error unless it is the default one. */
export async function loadConfig(
  path: string,
  explicit: boolean,
): Promise<{ ok: true; config: AgentConfig } | { ok: false; message: string }> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT" && !explicit) text = "";
    else return { ok: false, message: `${path}: ${(e as Error).message}` };
  }
  const parsed = parseAgentConfig(text);
  if (!parsed.ok) return { ok: false, message: `${path}:\n${formatConfigErrors(parsed.errors)}` };
  return { ok: true, config: parsed.value };
}

/** Turns the config's listeners into the API's, reading the TLS files. */
async function apiListeners(config: AgentConfig): Promise<ListenerConfig[]> {
  const out: ListenerConfig[] = [];
  if (config.listen.unix !== undefined) out.push({ kind: "unix", path: config.listen.unix });
  for (const l of config.listen.tcp) {
    const listener: ListenerConfig = {
      kind: "tcp",
      host: l.address,
      port: l.port,
      auth: l.auth,
      insecure: l.insecure,
    };
    if (l.tls) {
      listener.tls = { cert: await readFile(l.tls.cert), key: await readFile(l.tls.key) };
      if (l.tls.ca) listener.tls.clientCa = await readFile(l.tls.ca);
    }
    out.push(listener);
  }
  return out;
}

async function apiTokens(config: AgentConfig): Promise<TokenCredential[]> {
  const out: TokenCredential[] = [];
  for (const t of config.tokens) {
    const sha256 =
      t.sha256 ?? hashToken((await readFile(t.file as string, "utf8")).replace(/\s+$/, ""));
    out.push({ name: t.name, scope: t.scope, sha256 });
  }
  return out;
}

function describeStatus(s: RouterStatus): string {
  const bad = s.conditions.filter((c) =>
    c.type === "Degraded" ? c.status : !c.status && c.type !== "AwaitingConfirm",
  );
  const head =
    s.appliedRevision > 0
      ? `revision ${s.appliedRevision} (generation ${s.appliedGeneration}, ${s.appliedHash.slice(0, 12)})`
      : "no desired state";
  const pending = s.pendingCommit ? `; awaiting confirm until ${s.pendingCommit.deadline}` : "";
  const issues = bad.length > 0 ? `; ${bad.map((c) => `${c.type}=${c.reason}`).join(", ")}` : "";
  return `${head}${pending}${issues}`;
}

async function retry<T>(
  log: Logger,
  what: string,
  fn: () => Promise<T>,
  stopping: () => boolean,
): Promise<T | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (stopping()) return undefined;
      const delay = Math.min(30_000, 1_000 * 2 ** attempt);
      log.error({ err: (e as Error).message, retryInMs: delay }, `${what} failed`);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** Runs the daemon until SIGTERM/SIGINT. Resolves with the exit code. */
export async function runAgent(config: AgentConfig, log: Logger): Promise<number> {
  const exec = new RealExec();
  const files = new DiskFileStore();
  const notify = new SdNotify({ exec, logger: log.child({ component: "systemd" }) });
  let stopping = false;
  void notify.status("starting");

  await mkdir(config.stateDir, { recursive: true, mode: 0o755 });
  await mkdir(config.runtimeDir, { recursive: true, mode: 0o750 });
  const leaseScript = `${config.stateDir}/lease-hook`;
  const confFile = dnsmasqConfFile(config.stateDir);

  const supervisor = new DnsmasqSupervisor({
    confFile,
    logger: log.child({ component: "dnsmasq" }),
  });
  const tracker = new LeaseTracker({ logger: log.child({ component: "leases" }) });
  const watcher = new LeaseWatcher({
    tracker,
    fifoPath: `${config.runtimeDir}/lease-events`,
    leaseFile: `${config.stateDir}/dnsmasq/leases`,
    hookPath: leaseScript,
    files,
    exec,
    logger: log.child({ component: "leases" }),
  });
  await watcher.start();

  const router = new Router({
    stateDir: config.stateDir,
    runtimeDir: config.runtimeDir,
    leaseScript,
    exec,
    files,
    dnsmasq: supervisor,
    logger: log,
    wanInterface: config.wanInterface,
  });
  let contextHash = "";
  const updateLeaseContext = () => {
    const rev = router.appliedRevision();
    if (rev !== undefined && rev.hash !== contextHash) {
      contextHash = rev.hash;
      tracker.setContext(leaseContextFromSpec(rev.spec));
    }
  };
  router.onStatus((s) => {
    updateLeaseContext();
    void notify.status(describeStatus(s));
  });

  void notify.status("restoring the last applied state");
  const restored = await router.start();
  updateLeaseContext();
  log.info(
    { outcome: restored?.kind ?? "nothing to restore", status: describeStatus(router.status()) },
    "start-up restore done",
  );
  if (config.initialState !== undefined) {
    await applyInitialState(router, config.initialState, files, log);
    updateLeaseContext();
  }

  const counters = new SystemCounterSource({
    exec,
    logger: log.child({ component: "counters" }),
    timeoutMs: config.counters.timeoutMs,
  });
  void notify.status("starting the API");
  const listeners = await apiListeners(config);
  const tokens = await apiTokens(config);
  const api: ApiServer | undefined = await retry(
    log,
    "starting the API",
    () =>
      startApiServer({
        runtime: router,
        leases: tracker,
        counters,
        listeners,
        tokens,
        logger: log,
        system: new HostSystemInfo(VERSION),
      }),
    () => stopping,
  );
  if (api === undefined) return 0;
  log.info({ addresses: api.addresses }, "API listening");

  let metrics: MetricsServer | undefined;
  if (config.metrics) {
    // Loaded only when configured: prom-client and node:http cost memory (docs/footprint.md).
    const { createMetrics, serveMetrics } = await import("./runtime/metrics.js");
    const registry = createMetrics({ counters, leases: tracker, dnsmasq: supervisor });
    metrics = await serveMetrics(registry, config.metrics.address, config.metrics.port);
    log.info({ address: metrics.address }, "metrics listening");
  }

  await notify.ready(describeStatus(router.status()));
  notify.startWatchdog();

  const drift =
    config.driftIntervalMs > 0
      ? setInterval(() => void router.checkDrift(), config.driftIntervalMs)
      : undefined;

  return new Promise<number>((resolve) => {
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, "stopping: the nft table and links stay as they are");
      await notify.stopping();
      if (drift) clearInterval(drift);
      notify.stopWatchdog();
      try {
        await api.close();
        await metrics?.close();
        watcher.stop();
        await router.stop();
        await supervisor.stop();
      } catch (e) {
        log.error({ err: (e as Error).message }, "error while stopping");
      }
      log.info("stopped");
      resolve(0);
    };
    process.once("SIGTERM", () => void shutdown("SIGTERM"));
    process.once("SIGINT", () => void shutdown("SIGINT"));
    process.on("SIGHUP", () => {
      log.info("SIGHUP: running a drift check");
      void router.checkDrift();
    });
  });
}

export async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`router-agent: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (args.version) {
    process.stdout.write(`router-agent ${VERSION}\n`);
    return 0;
  }
  const explicit = args.config ?? process.env.ROUTER_AGENT_CONFIG;
  const path = explicit && explicit !== "" ? explicit : DEFAULT_CONFIG_PATH;
  const loaded = await loadConfig(path, explicit !== undefined && explicit !== "");
  if (!loaded.ok) {
    process.stderr.write(`router-agent: invalid config ${loaded.message}\n`);
    return 2;
  }
  if (args.checkConfig) {
    process.stdout.write(`${path}: ok\n`);
    return 0;
  }
  const log = createLogger({ level: loaded.config.logLevel });
  process.on("unhandledRejection", (reason) => {
    log.error(
      { err: reason instanceof Error ? reason.message : String(reason) },
      "unhandled rejection",
    );
  });
  process.on("uncaughtException", (err) => {
    log.fatal({ err: err.message, stack: err.stack }, "uncaught exception: exiting");
    process.exit(1);
  });
  try {
    return await runAgent(loaded.config, log);
  } catch (e) {
    log.fatal({ err: (e as Error).message, stack: (e as Error).stack }, "start-up failed");
    return 1;
  }
}

const entry = process.argv[1] ?? "";
if (/router-agent(\.js)?$|main\.(js|ts)$/.test(entry)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`router-agent: ${(e as Error).stack ?? e}\n`);
      process.exit(1);
    },
  );
}
