/**
 * `routerctl validate` and `routerctl render`, run as the built program in a
 * child process: exit codes, output lines, JSON, and the files written.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "../../../agent/src/model/canonical-json.js";
import { parseRouterYaml } from "../../../agent/src/model/parse-yaml.js";
import { specHash } from "../../../agent/src/model/spec-hash.js";
import { renderDnsmasq } from "../../../agent/src/render/dnsmasq.js";
import { renderNft } from "../../../agent/src/render/nft.js";
import { bindOffline } from "../../../host-client/src/cli/commands/offline.js";

const ROOT = new URL("../../../", import.meta.url).pathname;
const SEED = join(ROOT, "examples/router.yaml");
const MULTI = join(ROOT, "examples/multi-lan.yaml");
// A private build, so a teammate's concurrent `make build` cannot race us.
const BUILD = join(ROOT, "test-results", `cli-build-${randomBytes(3).toString("hex")}`);
const ROUTERCTL = join(BUILD, "host-client/src/cli/routerctl.js");
let tmp = "";

function routerctl(args: string[], input?: string) {
  const run = spawnSync(process.execPath, [ROUTERCTL, ...args], {
    encoding: "utf8",
    input,
    cwd: ROOT,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "ra-cli-"));
  // tsc reports teammates' in-progress type errors but still emits; only a
  // missing program is our failure.
  spawnSync("npx", ["tsc", "-p", "tsconfig.json", "--outDir", BUILD], {
    cwd: ROOT,
    encoding: "utf8",
  });
  await readFile(ROUTERCTL);
});

afterAll(async () => {
  await rm(BUILD, { recursive: true, force: true });
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const BAD = `
wan: {interface: eth0}
lans:
  - name: lan2
    interface: ens7
    address: 10.88.0.1/24
    dhcp:
      ranges: [{start: 10.88.0.50, end: 10.88.1.5}]
      static_leases:
        - {mac: "60:be:b4:1e:19:63", ip: 10.88.0.10, hostname: "pi\\ndhcp-script=/tmp/x"}
`;
const BAD_LINES = [
  "lans[0].dhcp.ranges[0].end: 10.88.1.5 is outside 10.88.0.0/24",
  'lans[0].dhcp.static_leases[0].hostname: contains a line feed (LF); a hostname may only contain letters, digits and "-"',
];

describe("routerctl validate", () => {
  it("exits 0 and prints the short hash for the seed example", async () => {
    const parsed = parseRouterYaml(await readFile(SEED, "utf8"));
    if (!parsed.ok) throw new Error("seed example is invalid");
    const run = routerctl(["validate", "-f", "examples/router.yaml"]);
    expect(run).toEqual({
      code: 0,
      stdout: `ok: examples/router.yaml (hash ${specHash(parsed.value).slice(0, 12)})\n`,
      stderr: "",
    });
  });

  it("exits 1 with one path: message line per error", async () => {
    const file = join(tmp, "bad.yaml");
    await writeFile(file, BAD);
    expect(routerctl(["validate", "-f", file])).toEqual({
      code: 1,
      stdout: `${BAD_LINES.join("\n")}\n`,
      stderr: "",
    });
  });

  it("reads stdin with -f -", () => {
    expect(routerctl(["validate", "-f", "-"], BAD)).toMatchObject({
      code: 1,
      stdout: `${BAD_LINES.join("\n")}\n`,
    });
  });

  it("prints JSON with --json, valid and invalid", async () => {
    const good = routerctl(["validate", "-f", SEED, "--json"]);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toEqual({
      valid: true,
      errors: [],
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    const bad = routerctl(["validate", "--json", "-f", "-"], BAD);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toEqual({
      valid: false,
      hash: null,
      errors: BAD_LINES.map((line) => {
        const at = line.indexOf(": ");
        return { path: line.slice(0, at), message: line.slice(at + 2) };
      }),
    });
  });

  it("exits 1 on a YAML syntax error, at (yaml)", () => {
    const run = routerctl(["validate", "-f", "-"], "wan: [eth0\n");
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^\(yaml\): line \d+, column \d+: /);
  });

  it("exits 2 when the file cannot be read", () => {
    const run = routerctl(["validate", "-f", join(tmp, "missing.yaml")]);
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr: `routerctl: cannot read ${join(tmp, "missing.yaml")}: ENOENT\n`,
    });
  });

  it("exits 2 on usage errors", () => {
    expect(routerctl(["validate"]).code).toBe(2);
    expect(routerctl(["validate", "-f", SEED, "--bogus"]).code).toBe(2);
    expect(routerctl(["validate", "--help"]).code).toBe(0);
  });
});

describe("routerctl render", () => {
  it("writes exactly the renderers' output for the seed example", async () => {
    const out = join(tmp, "seed");
    const run = routerctl(["render", "-f", SEED, "--out", out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");

    const parsed = parseRouterYaml(await readFile(SEED, "utf8"));
    if (!parsed.ok) throw new Error("seed example is invalid");
    const bound = bindOffline(parsed.value, new Map());
    if (!bound.ok) throw new Error("seed example does not bind");
    const dnsmasq = renderDnsmasq(bound.value, {
      dir: "/var/lib/router-agent/dnsmasq",
      leaseScript: "/var/lib/router-agent/lease-hook.sh",
    });
    const expected = new Map<string, string>([
      ["nft.json", `${canonicalJson(renderNft(bound.value))}\n`],
    ]);
    for (const f of dnsmasq)
      expected.set(join("dnsmasq", relative("/var/lib/router-agent/dnsmasq", f.path)), f.content);

    expect(await listFiles(out)).toEqual([".routerctl-render", ...expected.keys()].sort());
    for (const [rel, content] of expected)
      expect(await readFile(join(out, rel), "utf8")).toBe(content);
    const nft = JSON.parse(await readFile(join(out, "nft.json"), "utf8"));
    expect(JSON.stringify(nft)).toContain("ens7");
    expect(JSON.stringify(nft)).toContain("192.168.1.0");
  });

  it("needs --assume-interface for a LAN given by MAC, and exits 2 without it", async () => {
    const out = join(tmp, "multi");
    const without = routerctl(["render", "-f", MULTI, "--out", out]);
    expect(without.code).toBe(2);
    expect(without.stderr).toBe(
      "routerctl: cannot bind LAN interfaces offline:\n" +
        "lans[1].interface: iot gives its interface by MAC 02:00:00:00:20:01; pass --assume-interface iot=IFNAME\n",
    );
    await expect(readdir(out)).rejects.toThrow();

    const withIt = routerctl([
      "render",
      "-f",
      MULTI,
      "--out",
      out,
      "--assume-interface",
      "iot=ens8",
    ]);
    expect(withIt.code).toBe(0);
    expect(await readFile(join(out, "dnsmasq/dnsmasq.conf"), "utf8")).toContain("interface=ens8");
  });

  it("rejects an --assume-interface for no LAN, or onto the WAN", () => {
    const out = join(tmp, "never");
    expect(
      routerctl(["render", "-f", SEED, "--out", out, "--assume-interface", "lan9=ens9"]).stderr,
    ).toContain("--assume-interface: no LAN is named lan9");
    const onWan = routerctl([
      "render",
      "-f",
      MULTI,
      "--out",
      out,
      "--assume-interface",
      "iot=eth0",
    ]);
    expect(onWan).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("lans[1].interface: eth0 is the WAN interface"),
    });
  });

  it("exits 1 with the errors for an invalid spec and writes nothing", () => {
    const out = join(tmp, "bad");
    expect(routerctl(["render", "-f", "-", "--out", out], BAD)).toEqual({
      code: 1,
      stdout: `${BAD_LINES.join("\n")}\n`,
      stderr: "",
    });
  });

  it("refuses a non-empty directory it did not write, and re-renders its own", async () => {
    const foreign = join(tmp, "foreign");
    await mkdir(foreign);
    await writeFile(join(foreign, "keep.txt"), "mine");
    const run = routerctl(["render", "-f", SEED, "--out", foreign]);
    expect(run.code).toBe(2);
    expect(await readdir(foreign)).toEqual(["keep.txt"]);

    const own = join(tmp, "own");
    expect(routerctl(["render", "-f", SEED, "--out", own]).code).toBe(0);
    const first = await listFiles(own);
    // A file the previous render wrote and this one does not is removed.
    await writeFile(join(own, "dnsmasq/stale.conf"), "old");
    const manifest = JSON.parse(await readFile(join(own, ".routerctl-render"), "utf8"));
    await writeFile(
      join(own, ".routerctl-render"),
      JSON.stringify([...manifest, "dnsmasq/stale.conf"]),
    );
    expect(routerctl(["render", "-f", SEED, "--out", own]).code).toBe(0);
    expect(await listFiles(own)).toEqual(first);
  });
});
