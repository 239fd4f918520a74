/**
 * A Debian guest booted with `systemd-nspawn --boot` inside an existing
 * network namespace: a stand-in for a Slicer microVM, with systemd as PID 1.
 *
 * The rootfs is unpacked from the cached tarball (build-rootfs.sh) into a
 * per-run directory. There is no machine registration (the host has no
 * systemd), so commands run in the guest through `nsenter` into the
 * namespaces of its PID 1. The console (what Slicer's serial log would show)
 * goes to `console.log` in the run directory.
 *
 * Userdata is installed the way Slicer runs it: a oneshot unit at first boot,
 * guarded by a done-file, so it runs exactly once across reboots. Every start
 * of the script is counted in /var/lib/slicer/userdata.runs.
 */
import { mkdir, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { waitFor } from "../lab/wait.js";
import { type RunOptions, type RunResult, run } from "../support/netns.js";
import { type BackgroundProcess, startProcess } from "../support/processes.js";

export const USERDATA_UNIT = "slicer-userdata.service";
/** Guest paths of the userdata machinery. */
export const GUEST_USERDATA = {
  script: "/var/lib/slicer/userdata.sh",
  done: "/var/lib/slicer/userdata.done",
  runs: "/var/lib/slicer/userdata.runs",
} as const;

const USERDATA_UNIT_TEXT = `[Unit]
Description=Slicer userdata (first boot only)
After=network-online.target
Wants=network-online.target
ConditionPathExists=!${GUEST_USERDATA.done}

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/sh -c 'echo "$(date -Is)" >>${GUEST_USERDATA.runs}; exec /bin/bash ${GUEST_USERDATA.script}'
ExecStartPost=/bin/touch ${GUEST_USERDATA.done}
StandardOutput=journal+console
StandardError=journal+console
TimeoutStartSec=900

[Install]
WantedBy=multi-user.target
`;

export interface GuestOptions {
  /** The cached rootfs tarball. */
  rootfsTar: string;
  /** The run directory: `root/` and `console.log` go here. */
  dir: string;
  /** Network namespace name (under /run/netns) the guest lives in. */
  netns: string;
}

export class NspawnGuest {
  readonly root: string;
  readonly consoleLog: string;
  private proc: BackgroundProcess | undefined;
  private leader: number | undefined;
  private boots = 0;

  constructor(private readonly opts: GuestOptions) {
    this.root = join(opts.dir, "root");
    this.consoleLog = join(opts.dir, "console.log");
  }

  /** Unpacks the rootfs and installs `userdata` as the first-boot oneshot. */
  async prepare(userdata: string): Promise<void> {
    await mkdir(this.root, { recursive: true });
    await run("tar", ["-C", this.root, "--numeric-owner", "-xf", this.opts.rootfsTar], {
      timeoutMs: 120_000,
    });
    await mkdir(join(this.root, "var/lib/slicer"), { recursive: true });
    await writeFile(join(this.root, GUEST_USERDATA.script), userdata, { mode: 0o600 });
    await writeFile(join(this.root, "etc/systemd/system", USERDATA_UNIT), USERDATA_UNIT_TEXT);
    const wants = join(this.root, "etc/systemd/system/multi-user.target.wants");
    await mkdir(wants, { recursive: true });
    await symlink(`/etc/systemd/system/${USERDATA_UNIT}`, join(wants, USERDATA_UNIT));
    // A persistent journal, so the assertions can read earlier boots too.
    await mkdir(join(this.root, "var/log/journal"), { recursive: true });
  }

  /** Boots the guest and waits until its systemd has finished starting up. */
  async boot(timeoutMs = 180_000): Promise<void> {
    if (this.proc?.running()) throw new Error("guest: already running");
    this.boots++;
    await writeFile(this.consoleLog, `\n===== boot ${this.boots} =====\n`, { flag: "a" });
    this.proc = startProcess({
      name: `guest-boot-${this.boots}`,
      cmd: "systemd-nspawn",
      args: [
        "--boot",
        "--register=no",
        "--keep-unit",
        `--network-namespace-path=/run/netns/${this.opts.netns}`,
        "--capability=CAP_NET_ADMIN,CAP_NET_RAW",
        "--console=read-only",
        "--machine=router",
        "-D",
        this.root,
      ],
      logFile: this.consoleLog,
      signalGroup: false,
    });
    const proc = this.proc;
    this.leader = await waitFor(
      async () => {
        if (!proc.running()) throw new Error(`nspawn exited: ${await this.console()}`);
        return findLeader(proc.pid);
      },
      { what: "the guest's PID 1", timeoutMs: 30_000 },
    );
    await waitFor(
      async () => {
        const r = await this.exec("systemctl", ["is-system-running"], { allowFail: true });
        const state = r.stdout.trim();
        return state === "running" || state === "degraded" ? state : undefined;
      },
      { what: "the guest to finish booting", timeoutMs, intervalMs: 500 },
    );
  }

  /** Runs a command in the guest (all of PID 1's namespaces). */
  exec(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
    if (this.leader === undefined) throw new Error("guest: not booted");
    return run(
      "nsenter",
      [
        "--target",
        String(this.leader),
        "--mount",
        "--uts",
        "--ipc",
        "--net",
        "--pid",
        "--",
        cmd,
        ...args,
      ],
      opts,
    );
  }

  /** `systemctl poweroff`, then waits for nspawn to exit. */
  async poweroff(timeoutMs = 60_000): Promise<void> {
    const proc = this.proc;
    if (!proc?.running()) return;
    await this.exec("systemctl", ["poweroff"], { allowFail: true });
    const exited = await Promise.race([
      proc.exited,
      new Promise<undefined>((r) => setTimeout(() => r(undefined), timeoutMs)),
    ]);
    if (exited === undefined) {
      await proc.stop({ graceMs: 5_000 });
      throw new Error(`guest: did not power off within ${timeoutMs} ms`);
    }
    this.leader = undefined;
  }

  /** Stops the guest whatever its state (SIGTERM makes nspawn halt it). Never throws. */
  async stop(): Promise<void> {
    try {
      await this.poweroff(30_000);
    } catch {
      // poweroff already fell back to killing nspawn.
    }
    await this.proc?.stop({ graceMs: 10_000 }).catch(() => undefined);
    this.leader = undefined;
  }

  /** The console output so far. */
  async console(): Promise<string> {
    return readFile(this.consoleLog, "utf8").catch(() => "");
  }

  /** A file of the guest's filesystem (read from the host side), or undefined. */
  async readFile(guestPath: string): Promise<string | undefined> {
    return readFile(join(this.root, guestPath), "utf8").catch(() => undefined);
  }
}

/** The child of nspawn whose command is systemd and whose PID in its namespace is 1. */
async function findLeader(nspawnPid: number): Promise<number | undefined> {
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const status = await readFile(`/proc/${entry}/status`, "utf8").catch(() => "");
    const ppid = /^PPid:\s+(\d+)$/m.exec(status)?.[1];
    const nspid = /^NSpid:\s+([\d\s]+)$/m.exec(status)?.[1]?.trim().split(/\s+/);
    if (Number(ppid) === nspawnPid && nspid?.at(-1) === "1") return Number(entry);
  }
  return undefined;
}
