/**
 * Wires the lease sources into the tracker: hook lines from the FIFO are
 * applied as they arrive, and the lease file is reconciled at start and then
 * periodically. Start order matters: the hook script is installed and the
 * FIFO opened before the first reconcile, so no event falls between the two;
 * start the watcher before dnsmasq, which does not check at startup that its
 * `dhcp-script` exists.
 *
 * A failed or unstable read of the lease file is logged and skipped; the
 * next period tries again. The watcher never throws after `start`.
 */
import type { Logger } from "pino";
import type { Exec } from "./exec.js";
import { DiskFileStore, type FileStore } from "./file-store.js";
import { type LeaseFileReadOptions, readLeaseFile } from "./lease-file-reader.js";
import { renderLeaseHook } from "./lease-hook.js";
import { LeaseListener } from "./lease-listener.js";
import type { LeaseTracker } from "./lease-tracker.js";
import type { LeaseEvent } from "./router-runtime.js";

export interface LeaseWatcherOptions {
  tracker: LeaseTracker;
  /** The FIFO the hook writes to; see `renderLeaseHook`. */
  fifoPath: string;
  /** dnsmasq's `dhcp-leasefile`. */
  leaseFile: string;
  /**
   * Where to install the hook script (mode 0755) at start: the renderer's
   * `DnsmasqLayout.leaseScript`. Absent: the caller installs it.
   */
  hookPath?: string;
  /** Writes the hook atomically. Default: the real disk. */
  files?: FileStore;
  /** For `mkfifo`. */
  exec: Exec;
  logger: Logger;
  /** Period of the lease-file reconcile in ms; 0 disables it. Default 30 000. */
  reconcileIntervalMs?: number;
  read?: LeaseFileReadOptions;
}

export class LeaseWatcher {
  private readonly listener: LeaseListener;
  private timer: NodeJS.Timeout | undefined;
  private reconciling: Promise<LeaseEvent[]> | undefined;

  constructor(private readonly opts: LeaseWatcherOptions) {
    this.listener = new LeaseListener({
      fifoPath: opts.fifoPath,
      exec: opts.exec,
      logger: opts.logger,
      onEvent: (ev) => {
        opts.tracker.applyHookEvent(ev);
      },
    });
  }

  /**
   * Installs the hook, opens the FIFO, reconciles once, and starts the
   * periodic reconcile. Throws if the hook or the FIFO cannot be set up.
   */
  async start(): Promise<void> {
    if (this.opts.hookPath !== undefined) {
      const files = this.opts.files ?? new DiskFileStore();
      await files.write(this.opts.hookPath, renderLeaseHook({ fifoPath: this.opts.fifoPath }), {
        mode: 0o755,
      });
    }
    await this.listener.start();
    await this.reconcileNow();
    const every = this.opts.reconcileIntervalMs ?? 30_000;
    if (every > 0 && !this.timer) {
      this.timer = setInterval(() => void this.reconcileNow(), every);
      this.timer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.listener.stop();
  }

  /**
   * Reads the lease file and reconciles the tracker with it. Concurrent calls
   * share one run. Returns the events emitted; [] when the file was missing,
   * unstable or unreadable (logged).
   */
  reconcileNow(): Promise<LeaseEvent[]> {
    this.reconciling ??= this.runReconcile().finally(() => {
      this.reconciling = undefined;
    });
    return this.reconciling;
  }

  /** Lines received and dropped by the FIFO listener. */
  stats(): { received: number; dropped: number } {
    return this.listener.stats();
  }

  private async runReconcile(): Promise<LeaseEvent[]> {
    const log = this.opts.logger;
    try {
      const read = await readLeaseFile(this.opts.leaseFile, this.opts.read);
      if (read.kind === "missing") return [];
      if (read.kind === "unstable") {
        log.warn(
          { file: this.opts.leaseFile, attempts: read.attempts },
          "lease file kept changing; reconcile skipped",
        );
        return [];
      }
      for (const s of read.parse.skipped) {
        log.debug(
          { file: this.opts.leaseFile, line: s.line, reason: s.reason },
          "lease file line ignored",
        );
      }
      const events = this.opts.tracker.reconcile(read.parse.leases);
      if (events.length > 0)
        log.info({ changes: events.length }, "lease table reconciled with the lease file");
      return events;
    } catch (err) {
      log.error({ err }, "lease file reconcile failed");
      return [];
    }
  }
}
