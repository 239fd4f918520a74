/**
 * proto/gen is generated (npm run gen:proto) and committed: it must match what
 * the generator makes from the current .proto files, so the TypeScript types
 * never drift from the wire contract.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { expect, it } from "vitest";

const ROOT = new URL("../../../", import.meta.url).pathname;

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || !e.name.endsWith(".ts")) continue;
    const path = join(e.parentPath, e.name);
    out.set(relative(dir, path), readFileSync(path, "utf8"));
  }
  return out;
}

it("proto/gen is up to date with proto/ (run npm run gen:proto)", () => {
  const out = mkdtempSync(join(tmpdir(), "ra-gen-"));
  try {
    const script = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts[
      "gen:proto"
    ] as string;
    const args = /proto-loader-gen-types (.*?) &&/.exec(script)?.[1]?.split(" ") ?? [];
    expect(args).toContain("--longs=Number");
    const gen = spawnSync(
      join(ROOT, "node_modules/.bin/proto-loader-gen-types"),
      args.map((a) => (a === "proto/gen" ? out : a)),
      { cwd: ROOT, encoding: "utf8" },
    );
    expect(gen.status, gen.stderr).toBe(0);
    const fresh = files(out);
    const committed = files(join(ROOT, "proto/gen"));
    expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
    for (const [path, text] of fresh) expect(committed.get(path), path).toBe(text);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
