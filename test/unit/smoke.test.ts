import { describe, expect, it } from "vitest";
import { LIMITS } from "../../agent/src/model/types.js";

describe("toolchain", () => {
  it("loads the model module", () => {
    expect(LIMITS.staticLeasesTotal).toBe(10_000);
  });
});
