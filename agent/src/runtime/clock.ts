/**
 * The seam for time: the wall clock and timers. Commit-confirm deadlines,
 * drift checks and retries take a `Clock`, so tests drive them with
 * `FakeClock` instead of sleeping.
 */

export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Unix ms. */
  now(): number;
  /** Calls `fn` once after `ms`. The timer does not keep the process alive. */
  after(ms: number, fn: () => void): Timer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    const handle = setTimeout(fn, Math.max(0, ms));
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
};

/** Resolves after `ms` on the given clock. */
export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.after(ms, resolve));
}
