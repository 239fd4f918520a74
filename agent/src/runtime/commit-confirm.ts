/**
 * The pending commit of a commit-confirm apply, persisted as
 * `pending-commit.json` in the state directory, with a timer that fires at its
 * deadline. What happens on expiry (the rollback) is the router's business:
 * this module only keeps the record and the timer honest.
 *
 * Because the record survives a restart, a pending commit found at start means
 * the window was never confirmed: the router rolls back before serving.
 */
import type { Clock, Timer } from "./clock.js";
import type { FileStore } from "./file-store.js";
import type { PendingCommit } from "./router-runtime.js";

export interface CommitConfirmOptions {
  files: FileStore;
  stateDir: string;
  clock: Clock;
  /** Called once when the deadline passes without confirm or cancel. */
  onExpire: (pending: PendingCommit) => void;
}

export class CommitConfirm {
  private current: PendingCommit | undefined;
  private timer: Timer | undefined;

  constructor(private readonly opts: CommitConfirmOptions) {}

  private get path(): string {
    return `${this.opts.stateDir}/pending-commit.json`;
  }

  /**
   * Reads a pending commit left by a previous run, without arming its timer.
   * A malformed file counts as a pending commit with an unknown target, so the
   * caller still rolls back (to last-good): returns `rollbackTo: 0` then.
   */
  async load(): Promise<PendingCommit | undefined> {
    const raw = await this.opts.files.read(this.path);
    if (raw === undefined) return undefined;
    let p: Partial<PendingCommit> = {};
    try {
      p = JSON.parse(raw) as Partial<PendingCommit>;
    } catch {
      // fall through with the defaults below
    }
    this.current = {
      commitId: typeof p.commitId === "string" ? p.commitId : "unknown",
      deadline: typeof p.deadline === "string" ? p.deadline : new Date(0).toISOString(),
      rollbackTo: Number.isSafeInteger(p.rollbackTo) ? (p.rollbackTo as number) : 0,
    };
    return this.current;
  }

  pending(): PendingCommit | undefined {
    return this.current;
  }

  /** Persists the pending commit, then arms its timer. */
  async begin(commitId: string, withinMs: number, rollbackTo: number): Promise<PendingCommit> {
    const pending: PendingCommit = {
      commitId,
      deadline: new Date(this.opts.clock.now() + withinMs).toISOString(),
      rollbackTo,
    };
    await this.save(pending);
    return pending;
  }

  /** Moves the deadline to `ms` from now. Fails when nothing is pending. */
  async extend(ms: number): Promise<PendingCommit> {
    if (this.current === undefined) throw new Error("no pending commit");
    const pending = {
      ...this.current,
      deadline: new Date(this.opts.clock.now() + ms).toISOString(),
    };
    await this.save(pending);
    return pending;
  }

  /** Disarms the timer and removes the record (confirm, cancel, or rollback done). */
  async clear(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    await this.opts.files.remove(this.path);
    this.current = undefined;
  }

  /** Stops the timer without touching the record (agent shutdown). */
  disarm(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private async save(pending: PendingCommit): Promise<void> {
    await this.opts.files.write(this.path, `${JSON.stringify(pending, null, 2)}\n`, {
      mode: 0o600,
    });
    this.current = pending;
    this.timer?.cancel();
    const delay = Date.parse(pending.deadline) - this.opts.clock.now();
    this.timer = this.opts.clock.after(delay, () => {
      this.timer = undefined;
      if (this.current === pending) this.opts.onExpire(pending);
    });
  }
}
