/**
 * Rendered output against the real tools, for 200 generated valid states
 * (test/unit/render/spec-arbitrary.ts) and for every golden case:
 *
 * - each nft document passes `nft --check -j -f` in a throwaway network
 *   namespace (`unshare -n`), so the check sees no host state;
 * - each dnsmasq config passes `dnsmasq --test`. `--test` only parses the
 *   main file, so the side files are checked too: the servers file as a
 *   config of its own (it holds only `server=` lines), every static-lease
 *   line as a `dhcp-host=` option, and every hosts line as `<ip> <name>`.
 *
 * Needs root. Documents go through files: nft 1.0.6 reads `-f -` by opening
 * /dev/stdin, which fails on the socket Node gives a child as stdin.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import fc from "fast-check";
import ipaddr from "ipaddr.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BoundSpec } from "../../agent/src/model/types.js";
import { validateSpec } from "../../agent/src/model/validate.js";
import { type DnsmasqFile, renderDnsmasq } from "../../agent/src/render/dnsmasq.js";
import { renderNft } from "../../agent/src/render/nft.js";
import { randomPrefix, run } from "../support/netns.js";
import { GOLDEN_DIR, goldenCases } from "../unit/render/golden-cases.js";
import { boundSpecArb, unbind } from "../unit/render/spec-arbitrary.js";

const RUNS = 200;
let tmp = "";

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), `${randomPrefix()}-render-`));
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** `nft --check` of a JSON document in a fresh network namespace; the error text or "". */
async function nftCheck(json: string): Promise<string> {
  const file = join(tmp, "doc.json");
  writeFileSync(file, json);
  const r = await run("unshare", ["-n", "nft", "--check", "-j", "-f", file], { allowFail: true });
  return r.code === 0 ? "" : `nft --check failed (${r.code}): ${r.stderr.trim()}`;
}

async function dnsmasqTest(confFile: string): Promise<string> {
  const r = await run("dnsmasq", ["--test", `--conf-file=${confFile}`], { allowFail: true });
  return r.code === 0 ? "" : `dnsmasq --test ${confFile} failed (${r.code}): ${r.stderr.trim()}`;
}

function writeFiles(files: DnsmasqFile[]): void {
  for (const f of files) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.content);
  }
}

function contentLines(content: string): string[] {
  return content.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
}

/** Every check of one rendered dnsmasq file set; the failures, empty when all pass. */
async function checkDnsmasq(files: DnsmasqFile[], dir: string): Promise<string[]> {
  const failures: string[] = [];
  const byName = (suffix: string) => files.find((f) => f.path.endsWith(suffix)) as DnsmasqFile;
  const conf = byName("/dnsmasq.conf");
  const servers = byName("/servers.conf");
  const hosts = byName("/hosts.d/records");
  const dhcpHosts = byName("/dhcp-hosts.d/static");

  failures.push(await dnsmasqTest(conf.path));
  if (contentLines(servers.content).some((l) => !l.startsWith("server="))) {
    failures.push(`servers file holds more than server= lines:\n${servers.content}`);
  }
  failures.push(await dnsmasqTest(servers.path));
  const hostsAsOptions = join(dir, "dhcp-hosts-as-options.conf");
  writeFileSync(
    hostsAsOptions,
    contentLines(dhcpHosts.content)
      .map((l) => `dhcp-host=${l}\n`)
      .join(""),
  );
  failures.push(await dnsmasqTest(hostsAsOptions));
  for (const line of contentLines(hosts.content)) {
    const [ip, name, ...rest] = line.split(" ");
    if (!ipaddr.isValid(ip ?? "") || !name || rest.length > 0)
      failures.push(`bad hosts line: ${line}`);
  }
  return failures.filter((f) => f !== "");
}

describe(`rendered output of ${RUNS} generated valid states`, () => {
  it("validateSpec accepts each generated state as written", () => {
    fc.assert(
      fc.property(boundSpecArb, (spec) => validateSpec(unbind(spec)).ok),
      { numRuns: RUNS },
    );
  });

  it("each nft document passes the real nft --check in a fresh network namespace", async () => {
    await fc.assert(
      fc.asyncProperty(boundSpecArb, async (spec: BoundSpec) => {
        expect(await nftCheck(JSON.stringify(renderNft(spec)))).toBe("");
      }),
      { numRuns: RUNS },
    );
  });

  it("each dnsmasq file set passes dnsmasq --test", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(boundSpecArb, async (spec: BoundSpec) => {
        const dir = join(tmp, `dnsmasq-${n++}`);
        const files = renderDnsmasq(spec, { dir, leaseScript: join(tmp, "lease-hook") });
        writeFiles(files);
        try {
          expect(await checkDnsmasq(files, dir)).toEqual([]);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("catches what it claims to: a broken document and a broken config fail", async () => {
    const doc = renderNft(fc.sample(boundSpecArb, { numRuns: 1, seed: 1 })[0] as BoundSpec);
    doc.nftables.push({
      add: { rule: { family: "inet", table: "router_agent", chain: "nope", expr: [] } },
    });
    expect(await nftCheck(JSON.stringify(doc))).toMatch(/nft --check failed/);
    const bad = join(tmp, "bad.conf");
    writeFileSync(bad, "dhcp-range=set:x,not-an-address\n");
    expect(await dnsmasqTest(bad)).toMatch(/dnsmasq --test/);
  });
});

describe("golden files against the real tools", () => {
  for (const name of goldenCases()) {
    it(`${name}: nft.json passes nft --check and dnsmasq.conf passes dnsmasq --test`, async () => {
      const caseDir = join(GOLDEN_DIR, name);
      expect(await nftCheck(readFileSync(join(caseDir, "nft.json"), "utf8"))).toBe("");
      expect(await dnsmasqTest(join(caseDir, "dnsmasq", "dnsmasq.conf"))).toBe("");
      expect(await dnsmasqTest(join(caseDir, "dnsmasq", "servers.conf"))).toBe("");
    });
  }
});
