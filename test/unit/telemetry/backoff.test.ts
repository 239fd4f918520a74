import { describe, expect, it } from "vitest";
import { backoffDelay, DEFAULT_BACKOFF, nextFailures } from "../../../agent/src/runtime/backoff.js";

describe("backoff", () => {
  it("doubles from 0.5 s up to the 30 s cap", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 100].map((n) => backoffDelay(DEFAULT_BACKOFF, n))).toEqual([
      500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
  });

  it("counts consecutive short runs and resets after a stable one", () => {
    let f = 0;
    f = nextFailures(DEFAULT_BACKOFF, f, 10);
    f = nextFailures(DEFAULT_BACKOFF, f, 10);
    expect(f).toBe(2);
    f = nextFailures(DEFAULT_BACKOFF, f, DEFAULT_BACKOFF.stableMs);
    expect(f).toBe(1);
  });
});
