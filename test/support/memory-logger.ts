/**
 * A pino logger that writes into memory, for tests that assert on log lines.
 * `records()` returns every line parsed as JSON, oldest first.
 */
import { type Logger, pino } from "pino";

export interface MemoryLogger {
  logger: Logger;
  records(): Array<Record<string, unknown>>;
  /** Resolves with the first record (already logged or future) that `pred` accepts. */
  waitFor(
    pred: (r: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
}

export function memoryLogger(level = "debug"): MemoryLogger {
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<{
    pred: (r: Record<string, unknown>) => boolean;
    resolve: (r: Record<string, unknown>) => void;
  }> = [];
  const stream = {
    write(chunk: string) {
      for (const line of chunk.split("\n")) {
        if (line === "") continue;
        const rec = JSON.parse(line) as Record<string, unknown>;
        lines.push(rec);
        for (const w of [...waiters]) {
          if (w.pred(rec)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(rec);
          }
        }
      }
    },
  };
  const logger = pino({ level }, stream);
  return {
    logger,
    records: () => [...lines],
    waitFor(pred, timeoutMs = 20_000) {
      const found = lines.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const w = {
          pred,
          resolve: (r: Record<string, unknown>) => {
            clearTimeout(t);
            resolve(r);
          },
        };
        const t = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`no matching log record within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(w);
      });
    },
  };
}
