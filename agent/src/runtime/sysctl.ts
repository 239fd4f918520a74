/**
 * Kernel parameters the router needs (IPv4 forwarding), set through a seam:
 * `/proc/sys` via the `FileStore` on a real guest, or `sysctl -w` via an
 * `Exec` when the agent drives another network namespace (integration tests),
 * since /proc/sys/net of this process shows this process's namespace.
 */
import { type Exec, runChecked } from "./exec.js";
import type { FileStore } from "./file-store.js";

/** The keys the router sets, e.g. "net.ipv4.ip_forward". */
export type SysctlKey = string;

export interface Sysctl {
  /** The current value, trimmed. Fails when the key does not exist. */
  get(key: SysctlKey): Promise<string>;
  set(key: SysctlKey, value: string): Promise<void>;
}

/** The parameters the router wants, in the order they are set. */
export const ROUTER_SYSCTLS: ReadonlyArray<readonly [SysctlKey, string]> = [
  ["net.ipv4.ip_forward", "1"],
];

export function procPath(key: SysctlKey): string {
  return `/proc/sys/${key.replaceAll(".", "/")}`;
}

/** Reads and writes /proc/sys/... in place. */
export class ProcSysctl implements Sysctl {
  constructor(private readonly files: FileStore) {}

  async get(key: SysctlKey): Promise<string> {
    const value = await this.files.read(procPath(key));
    if (value === undefined) throw new Error(`sysctl ${key}: ${procPath(key)} does not exist`);
    return value.trim();
  }

  async set(key: SysctlKey, value: string): Promise<void> {
    await this.files.writeInPlace(procPath(key), `${value}\n`);
  }
}

/** Runs `sysctl -n` / `sysctl -w` (through a namespace prefix, if the Exec has one). */
export class ExecSysctl implements Sysctl {
  constructor(private readonly exec: Exec) {}

  async get(key: SysctlKey): Promise<string> {
    return (await runChecked(this.exec, "sysctl", ["-n", key])).stdout.trim();
  }

  async set(key: SysctlKey, value: string): Promise<void> {
    await runChecked(this.exec, "sysctl", ["-q", "-w", `${key}=${value}`]);
  }
}

/** A change made by `ensureSysctls`, kept so a rollback can undo it. */
export interface SysctlChange {
  key: SysctlKey;
  from: string;
  to: string;
}

/** Sets every wanted parameter that differs; returns what it changed. */
export async function ensureSysctls(
  sysctl: Sysctl,
  wanted: ReadonlyArray<readonly [SysctlKey, string]> = ROUTER_SYSCTLS,
): Promise<SysctlChange[]> {
  const changes: SysctlChange[] = [];
  for (const [key, to] of wanted) {
    const from = await sysctl.get(key);
    if (from === to) continue;
    await sysctl.set(key, to);
    changes.push({ key, from, to });
  }
  return changes;
}

/** Undoes changes in reverse order. */
export async function revertSysctls(sysctl: Sysctl, changes: SysctlChange[]): Promise<void> {
  for (const change of [...changes].reverse()) await sysctl.set(change.key, change.from);
}
