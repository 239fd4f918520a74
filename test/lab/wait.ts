/**
 * Bounded polling: wait for a condition instead of sleeping for a guessed
 * time. A timeout is a failure with the last observed value or error in its
 * message, never a timing assertion.
 */

export interface WaitOptions {
  /** Give up after this long. Default 20 s. */
  timeoutMs?: number;
  /** Pause between attempts. Default 200 ms. */
  intervalMs?: number;
  /** Named in the timeout error. */
  what?: string;
}

/**
 * Calls `fn` until it returns a value other than `undefined`, `null` or
 * `false`, and returns that value. Errors thrown by `fn` count as "not yet".
 * Throws after `timeoutMs`, quoting the last value or error.
 */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  opts: WaitOptions = {},
): Promise<Exclude<T, undefined | null | false>> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const intervalMs = opts.intervalMs ?? 200;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== null && v !== false)
        return v as Exclude<T, undefined | null | false>;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${opts.what ?? "condition"}; last: ${detail}`,
        {
          cause: last instanceof Error ? last : undefined,
        },
      );
    }
    await sleep(intervalMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
