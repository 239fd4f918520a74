import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shellQuote } from "../../../host-client/src/userdata/shell-quote.js";

/** What bash makes of `printf %s <word>`. */
function throughBash(word: string): string {
  return execFileSync("bash", ["-c", `printf %s ${word}`], { encoding: "utf8" });
}

describe("shellQuote", () => {
  it("gives one word that bash expands to exactly the value, whatever it holds", () => {
    for (const value of [
      "",
      "plain",
      "it's",
      "$(reboot)",
      "`id`",
      "a\nb",
      "'; rm -rf / #",
      "\\'\"$HOME",
    ]) {
      expect(throughBash(shellQuote(value))).toBe(value);
    }
  });

  it("round-trips arbitrary strings through bash", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 40 }).filter((s) => !s.includes("\0")),
        (value) => {
          expect(throughBash(shellQuote(value))).toBe(value);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("refuses NUL, which no shell word can carry", () => {
    expect(() => shellQuote("a\0b")).toThrow(/NUL/);
  });
});
