import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, parseArgs } from "../../../agent/src/main.js";

describe("router-agent command line", () => {
  it("parses the flags", () => {
    expect(parseArgs([])).toEqual({ checkConfig: false, version: false, help: false });
    expect(parseArgs(["--config", "/a.yaml", "--check-config"])).toMatchObject({
      config: "/a.yaml",
      checkConfig: true,
    });
    expect(parseArgs(["--config=/b.yaml"]).config).toBe("/b.yaml");
    expect(() => parseArgs(["--config"])).toThrow(/needs a path/);
    expect(() => parseArgs(["--verbose"])).toThrow(/unknown argument: --verbose/);
  });

  it("loads a config; a missing default file means defaults, a missing explicit one is an error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ra-main-"));
    try {
      writeFileSync(join(dir, "ok.yaml"), "wan_interface: ens4\n");
      writeFileSync(join(dir, "bad.yaml"), "wan_interfce: ens4\n");
      const ok = await loadConfig(join(dir, "ok.yaml"), true);
      expect(ok.ok && ok.config.wanInterface).toBe("ens4");
      const bad = await loadConfig(join(dir, "bad.yaml"), true);
      expect(!bad.ok && bad.message).toMatch(
        /wan_interfce: unknown field; did you mean "wan_interface"\?/,
      );
      const missingDefault = await loadConfig(join(dir, "none.yaml"), false);
      expect(missingDefault.ok && missingDefault.config.stateDir).toBe("/var/lib/router-agent");
      const missingExplicit = await loadConfig(join(dir, "none.yaml"), true);
      expect(!missingExplicit.ok && missingExplicit.message).toMatch(/ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
