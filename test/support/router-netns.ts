/**
 * A throwaway network namespace shaped like the seed's router, and what it
 * takes to run the real `Router` in it: real nft, ip and dnsmasq, every
 * command behind `ip netns exec <ns>` (Node cannot enter a namespace).
 *
 * The caller owns the cleanup: `cleanupStale(prefix)` for the namespace and
 * `rmSync(dir)` for the temp dir, whatever happened.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino, { type Logger } from "pino";
import type { DnsmasqControl } from "../../agent/src/runtime/dnsmasq-control.js";
import { DnsmasqSupervisor } from "../../agent/src/runtime/dnsmasq-supervisor.js";
import { type Exec, RealExec } from "../../agent/src/runtime/exec.js";
import { DiskFileStore } from "../../agent/src/runtime/file-store.js";
import { dnsmasqConfFile, type RouterOptions } from "../../agent/src/runtime/router.js";
import { ExecSysctl } from "../../agent/src/runtime/sysctl.js";
import { addNamespace, ip } from "./netns.js";

/** A namespace with the router's links and a temp dir for one Router's state. */
export interface RouterNetns {
  ns: string;
  /** Temp dir holding `state/`, `run/` and a no-op lease hook. */
  dir: string;
  /** Runs commands inside `ns`. */
  exec: RealExec;
  /** A new, not yet started, supervisor running dnsmasq inside `ns` on `dir/state`. */
  newSupervisor(logger?: Logger): DnsmasqSupervisor;
  /** Options for a Router on `dir` that acts through `exec` (sysctls too) and `dnsmasq`. */
  routerOptions(parts: { exec: Exec; dnsmasq: DnsmasqControl; logger?: Logger }): RouterOptions;
}

/**
 * Creates namespace `ns` with WAN eth0 at 192.168.130.2/24 and one LAN link
 * per name in `lans`. Each link is a veth whose peer (`p-<name>`) stays in
 * `ns` and is up, so the router's side gets carrier once it is brought up;
 * eth0 is up. Throws `CommandError` when `ip` fails (the namespace may then
 * exist already).
 */
export async function addRouterNamespace(ns: string, lans: readonly string[]): Promise<void> {
  await addNamespace(ns);
  const links = [["eth0", "wanp"], ...lans.map((l) => [l, `p-${l}`])] as [string, string][];
  for (const [a, b] of links) {
    await ip(ns, ["link", "add", a, "type", "veth", "peer", "name", b]);
    await ip(ns, ["link", "set", b, "up"]);
  }
  await ip(ns, ["addr", "add", "192.168.130.2/24", "dev", "eth0"]);
  await ip(ns, ["link", "set", "eth0", "up"]);
}

/**
 * `addRouterNamespace(ns, lans)`, then the temp dir (named after `prefix`)
 * with an executable lease hook that does nothing. Throws `CommandError` when
 * `ip` fails; the namespace may then exist already, the temp dir does not.
 */
export async function makeRouterNetns(
  prefix: string,
  ns: string,
  lans: readonly string[],
): Promise<RouterNetns> {
  await addRouterNamespace(ns, lans);
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  const hook = join(dir, "lease-hook");
  try {
    writeFileSync(hook, "#!/bin/sh\nexit 0\n");
    chmodSync(hook, 0o755);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const spawnPrefix = ["ip", "netns", "exec", ns];
  const silent = () => pino({ level: "silent" });
  return {
    ns,
    dir,
    exec: new RealExec({ prefix: spawnPrefix }),
    newSupervisor: (logger = silent()) =>
      new DnsmasqSupervisor({ confFile: dnsmasqConfFile(join(dir, "state")), logger, spawnPrefix }),
    routerOptions: ({ exec, dnsmasq, logger = silent() }) => ({
      stateDir: join(dir, "state"),
      runtimeDir: join(dir, "run"),
      leaseScript: hook,
      exec,
      files: new DiskFileStore(),
      dnsmasq,
      sysctl: new ExecSysctl(exec),
      logger,
    }),
  };
}
