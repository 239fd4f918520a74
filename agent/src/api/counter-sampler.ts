/**
 * Shares counter sampling between Subscribe streams: one timer per distinct
 * interval, one `CounterSource.sample()` per tick, fanned out to every stream
 * on that interval. A tick is skipped while the previous sample is still
 * being taken; a failed sample is logged and skipped, never fatal.
 */
import type { Logger } from "pino";
import type { CounterSample, CounterSource } from "../runtime/router-runtime.js";

type Listener = (sample: CounterSample) => void;

interface Group {
  timer: NodeJS.Timeout;
  listeners: Set<Listener>;
  busy: boolean;
}

export class CounterSampler {
  private readonly groups = new Map<number, Group>();

  constructor(
    private readonly source: CounterSource,
    private readonly logger: Logger,
  ) {}

  /** Calls `listener` with a sample every `intervalMs`. Returns an unsubscribe. */
  subscribe(intervalMs: number, listener: Listener): () => void {
    let group = this.groups.get(intervalMs);
    if (!group) {
      const created: Group = {
        listeners: new Set(),
        busy: false,
        timer: setInterval(() => this.tick(created), intervalMs),
      };
      created.timer.unref();
      this.groups.set(intervalMs, created);
      group = created;
    }
    group.listeners.add(listener);
    const owner = group;
    return () => {
      owner.listeners.delete(listener);
      if (owner.listeners.size === 0 && this.groups.get(intervalMs) === owner) {
        clearInterval(owner.timer);
        this.groups.delete(intervalMs);
      }
    };
  }

  /** Number of active intervals (for stats and tests). */
  get intervals(): number {
    return this.groups.size;
  }

  /** Stops every timer. */
  close(): void {
    for (const group of this.groups.values()) clearInterval(group.timer);
    this.groups.clear();
  }

  private tick(group: Group): void {
    if (group.busy) return;
    group.busy = true;
    this.source
      .sample()
      .then((sample) => {
        for (const listener of [...group.listeners]) listener(sample);
      })
      .catch((err: unknown) => this.logger.warn({ err }, "counter sample failed"))
      .finally(() => {
        group.busy = false;
      });
  }
}
