/**
 * The golden runner: renders every case under test/golden/ and compares the
 * result byte for byte with the files in the case folder, which may hold
 * nothing else (see ./golden-cases.ts). `UPDATE_GOLDEN=1` rewrites the
 * expected files from the current renderers; review the diff before
 * committing it.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { filesUnder, GOLDEN_DIR, GOLDEN_INPUTS, goldenCases, renderCase } from "./golden-cases.js";

const UPDATE = process.env.UPDATE_GOLDEN === "1";

describe("golden files", () => {
  const cases = goldenCases();

  it("has the seed, multi-LAN, port-forward and large-set cases", () => {
    expect(cases).toEqual(
      expect.arrayContaining(["seed", "multi-lan", "port-forward", "large-sets"]),
    );
  });

  for (const name of cases) {
    it(`${name}: renders exactly the expected files`, () => {
      const caseDir = join(GOLDEN_DIR, name);
      for (const input of GOLDEN_INPUTS) {
        expect(existsSync(join(caseDir, input)), `${name}/${input} is missing`).toBe(true);
      }
      expect(readFileSync(join(caseDir, "description.md"), "utf8").trim()).not.toBe("");
      const rendered = renderCase(name);

      if (UPDATE) {
        rmSync(join(caseDir, "nft.json"), { force: true });
        rmSync(join(caseDir, "dnsmasq"), { recursive: true, force: true });
        for (const [path, content] of rendered) {
          mkdirSync(dirname(join(caseDir, path)), { recursive: true });
          writeFileSync(join(caseDir, path), content);
        }
      }

      const expected = [...GOLDEN_INPUTS, ...rendered.keys()].sort();
      expect(filesUnder(caseDir), `${name}: unexpected or missing files`).toEqual(expected);
      for (const [path, content] of rendered) {
        expect(readFileSync(join(caseDir, path), "utf8"), `${name}/${path}`).toBe(content);
      }
    });
  }
});
