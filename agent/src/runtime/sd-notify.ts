/**
 * systemd's notify protocol (sd_notify): READY=1, STATUS=..., STOPPING=1 and
 * watchdog pings. Node cannot send unix datagrams, so each message runs
 * `systemd-notify --pid=<agent pid> VAR=VALUE...` through the `Exec` seam;
 * the unit sets `NotifyAccess=all` so systemd accepts it from that child.
 *
 * Everything is a no-op when `$NOTIFY_SOCKET` is unset (not started by
 * systemd, or not `Type=notify`). Failures are logged, never thrown: a
 * missed STATUS line must not take the router down.
 */
import type { Logger } from "pino";
import type { Exec } from "./exec.js";

export interface SdNotifyOptions {
  exec: Exec;
  logger: Logger;
  /** Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Default: `process.pid`. */
  pid?: number;
}

export class SdNotify {
  private readonly env: NodeJS.ProcessEnv;
  private readonly pid: number;
  private watchdog: NodeJS.Timeout | undefined;

  constructor(private readonly opts: SdNotifyOptions) {
    this.env = opts.env ?? process.env;
    this.pid = opts.pid ?? process.pid;
  }

  enabled(): boolean {
    return (this.env.NOTIFY_SOCKET ?? "") !== "";
  }

  /** READY=1, with a STATUS line. */
  ready(status: string): Promise<void> {
    return this.send(["READY=1", `STATUS=${oneLine(status)}`]);
  }

  status(status: string): Promise<void> {
    return this.send([`STATUS=${oneLine(status)}`]);
  }

  stopping(status = "stopping"): Promise<void> {
    return this.send(["STOPPING=1", `STATUS=${oneLine(status)}`]);
  }

  /**
   * How often to ping the watchdog: a third of `$WATCHDOG_USEC`, when it is
   * set and meant for this process (`$WATCHDOG_PID` unset or ours).
   */
  watchdogIntervalMs(): number | undefined {
    if (!this.enabled()) return undefined;
    const usec = Number(this.env.WATCHDOG_USEC ?? "");
    if (!Number.isFinite(usec) || usec <= 0) return undefined;
    const pid = this.env.WATCHDOG_PID;
    if (pid !== undefined && pid !== "" && Number(pid) !== this.pid) return undefined;
    return Math.max(1, Math.floor(usec / 3_000));
  }

  /** Starts pinging WATCHDOG=1, if systemd asked for it. Returns the interval used. */
  startWatchdog(): number | undefined {
    const every = this.watchdogIntervalMs();
    if (every === undefined || this.watchdog) return every;
    void this.send(["WATCHDOG=1"]);
    this.watchdog = setInterval(() => void this.send(["WATCHDOG=1"]), every);
    this.watchdog.unref();
    return every;
  }

  stopWatchdog(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = undefined;
  }

  private async send(vars: string[]): Promise<void> {
    if (!this.enabled()) return;
    try {
      const r = await this.opts.exec.run("systemd-notify", [`--pid=${this.pid}`, ...vars], {
        timeoutMs: 5_000,
      });
      if (r.code !== 0) {
        this.opts.logger.warn(
          { vars, code: r.code, stderr: r.stderr.trim() },
          "systemd-notify failed",
        );
      }
    } catch (e) {
      this.opts.logger.warn({ vars, err: (e as Error).message }, "systemd-notify failed");
    }
  }
}

/** STATUS= is one line; newlines would start a new variable. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ").slice(0, 200);
}
