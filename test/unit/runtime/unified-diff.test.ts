import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { capDiff, unifiedDiff } from "../../../agent/src/runtime/unified-diff.js";

const labels = { from: "a", to: "b" };

/** GNU diff's hunks for the same inputs, as the reference. */
function gnuDiff(before: string, after: string): string {
  const dir = mkdtempSync(join(tmpdir(), "ra-diff-"));
  try {
    writeFileSync(join(dir, "a"), before);
    writeFileSync(join(dir, "b"), after);
    try {
      execFileSync("diff", ["-u", "a", "b"], { cwd: dir, encoding: "utf8" });
      return "";
    } catch (e) {
      const out = (e as { stdout: string }).stdout;
      return out.split("\n").slice(2).join("\n");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Applies a unified diff to lines, checking every context and removed line. */
function applyPatch(before: string[], patch: string): string[] {
  if (patch === "") return before;
  const out: string[] = [];
  let at = 0;
  for (const line of patch.split("\n").slice(2)) {
    const header = /^@@ -(\d+),(\d+) /.exec(line);
    if (header) {
      const start = Number(header[1]) - (Number(header[2]) === 0 ? 0 : 1);
      while (at < start) out.push(before[at++] as string);
    } else if (line.startsWith(" ") || line.startsWith("-")) {
      expect(before[at]).toBe(line.slice(1));
      at++;
      if (line.startsWith(" ")) out.push(line.slice(1));
    } else if (line.startsWith("+")) out.push(line.slice(1));
  }
  while (at < before.length) out.push(before[at++] as string);
  return out;
}

describe("unifiedDiff", () => {
  it("is empty for equal inputs", () => {
    expect(unifiedDiff("x\n", "x\n", labels)).toBe("");
  });

  it("prints headers and a hunk with context", () => {
    const before = "1\n2\n3\n4\n5\n6\n7\n8\n";
    const after = "1\n2\n3\n4\nfive\n6\n7\n8\n";
    expect(unifiedDiff(before, after, labels)).toBe(
      "--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n",
    );
  });

  it("changes the same lines as GNU diff on random inputs", () => {
    const lines = fc.array(fc.constantFrom("a", "b", "c", "d", "e"), { maxLength: 30 });
    fc.assert(
      fc.property(lines, lines, (x, y) => {
        const before = x.map((l) => `${l}\n`).join("");
        const after = y.map((l) => `${l}\n`).join("");
        const ours = unifiedDiff(before, after, labels);
        const body = ours === "" ? "" : ours.split("\n").slice(2).join("\n");
        const count = (s: string, c: string) => s.split("\n").filter((l) => l.startsWith(c)).length;
        const gnu = gnuDiff(before, after);
        // Both minimal: the same number of removed and added lines.
        expect(count(body, "-")).toBe(count(gnu, "-"));
        expect(count(body, "+")).toBe(count(gnu, "+"));
        // Patching `before` with our hunks gives `after`.
        expect(applyPatch(x, ours)).toEqual(y);
      }),
      { numRuns: 100 },
    );
  });

  it("falls back to block replacement beyond maxEdits, still correct", () => {
    const before = "a\nb\nc\nd\n";
    const after = "w\nx\ny\nz\n";
    expect(unifiedDiff(before, after, labels, { maxEdits: 2 })).toBe(
      "--- a\n+++ b\n@@ -1,4 +1,4 @@\n-a\n-b\n-c\n-d\n+w\n+x\n+y\n+z\n",
    );
  });
});

describe("capDiff", () => {
  it("leaves a diff that fits alone", () => {
    expect(capDiff("--- a\n+++ b\n+x\n", 100)).toBe("--- a\n+++ b\n+x\n");
  });

  it("cuts at a whole line and says how much was left out", () => {
    const diff = "--- a\n+++ b\n+1111\n+2222\n+3333\n";
    expect(capDiff(diff, 20)).toBe(
      "--- a\n+++ b\n+1111\n... diff truncated: 2 more lines (12 characters); `routerctl render` writes the whole desired state\n",
    );
  });
});
