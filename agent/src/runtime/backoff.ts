/**
 * Exponential restart backoff: the delay doubles with each consecutive
 * failure up to a cap, and the count resets once a run has been stable for
 * long enough. Pure.
 */

export interface BackoffPolicy {
  /** Delay before the first restart, ms. */
  initialMs: number;
  /** Upper bound of the delay, ms. */
  maxMs: number;
  /** A run at least this long resets the failure count, ms. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 30_000, stableMs: 60_000 };

/** The delay before restart number `failures + 1` (failures counted from 0). */
export function backoffDelay(policy: BackoffPolicy, failures: number): number {
  const exp = Math.min(Math.max(0, failures), 30);
  return Math.min(policy.maxMs, policy.initialMs * 2 ** exp);
}

/**
 * The consecutive-failure count after a run of `uptimeMs` ended: reset to 1
 * after a stable run, otherwise one more than before.
 */
export function nextFailures(policy: BackoffPolicy, failures: number, uptimeMs: number): number {
  return uptimeMs >= policy.stableMs ? 1 : failures + 1;
}
