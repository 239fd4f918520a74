/**
 * The remote routerctl commands, run as the built program in child processes
 * against a real API server (in this process) wired to the in-memory fakes:
 * output, JSON and exit codes (0 ok, 1 rejected, 2 usage, 3 unreachable,
 * 4 auth).
 */
import { type ChildProcess, execFile, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Lease } from "../../agent/src/runtime/router-runtime.js";
import { leaseFor } from "../support/api/fake-sources.js";
import { eventually, type Harness, startHarness } from "../support/api/harness.js";
import { makePki, type PkiFixture } from "../support/api/pki-fixture.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const SEED = join(ROOT, "examples/router.yaml");
// A private build, so a teammate's concurrent `make build` cannot race us.
const BUILD = join(ROOT, "test-results", `cli-remote-${randomBytes(3).toString("hex")}`);
const ROUTERCTL = join(BUILD, "host-client/src/cli/routerctl.js");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs routerctl asynchronously (the server lives in this process) with only `env`. */
function routerctl(args: string[], env: Record<string, string> = {}, input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [ROUTERCTL, ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? "", ...env }, timeout: 30_000 },
      (err, stdout, stderr) => {
        const code = err ? ((err as { code?: number }).code ?? null) : 0;
        resolve({ code: typeof code === "number" ? code : null, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

let pki: PkiFixture;
let h: Harness;
let unixTarget: string;
let tcpTarget: string;
let local: Record<string, string>;

beforeAll(async () => {
  const build = spawnSync("npx", ["tsc", "-p", "tsconfig.json", "--outDir", BUILD], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (!existsSync(ROUTERCTL)) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
  pki = await makePki();
  h = await startHarness({
    listeners: (dir) => [
      { kind: "unix", path: join(dir, "agent.sock") },
      {
        kind: "tcp",
        host: "127.0.0.1",
        port: 0,
        tls: { cert: pki.server.cert, key: pki.server.key, clientCa: pki.ca },
      },
    ],
  });
  unixTarget = `unix://${(h.server.addresses[0] as string).replace(/^unix:/, "")}`;
  tcpTarget = h.server.addresses[1] as string;
  local = { ROUTERCTL_TARGET: unixTarget };
}, 180_000);

afterAll(async () => {
  await h?.close();
  await pki?.cleanup();
  spawnSync("rm", ["-rf", BUILD]);
});

describe("apply", () => {
  it("prints the plan, then generation and hash; the next apply sends applied + 1", async () => {
    const first = await routerctl(["apply", "-f", SEED, "--reason", "first"], local);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^plan:\nnft:\n {2}--- live/);
    expect(first.stdout).toContain("dnsmasq (restart):");
    expect(first.stdout).toContain("links:\n  addr-add ens7 10.88.0.1/24");
    const hash = h.runtime.status().appliedHash;
    expect(first.stdout).toContain(`applied: generation 1, revision 1, hash ${hash}`);
    const before = h.runtime.history().length;
    const second = await routerctl(["apply", "-f", SEED], local);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("no changes: the agent already runs this spec");
    expect(second.stdout).toMatch(/applied: generation 2, revision \d+, hash/);
    expect(h.runtime.history().length).toBe(before + 1);
    expect(
      h.runtime.calls
        .filter((c) => c.kind === "apply")
        .map((c) => c.generation)
        .slice(-2),
    ).toEqual([1, 2]);
    expect(h.runtime.history()[1]?.reason).toBe("first");
  });

  it("--dry-run prints the plan and changes nothing", async () => {
    const before = h.runtime.history().length;
    const spec = readFileSync(SEED, "utf8").replace("lease_time: 12h", "lease_time: 6h");
    const run = await routerctl(["apply", "-f", "-", "--dry-run"], local, spec);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("plan (dry run):");
    expect(run.stdout).toMatch(/dry run: valid; the agent stays on generation \d+/);
    expect(h.runtime.history().length).toBe(before);
  });

  it("an invalid file: one line per field error with its path, exit 1, nothing sent", async () => {
    const calls = h.runtime.calls.length;
    const bad = readFileSync(SEED, "utf8")
      .replace("end: 10.88.0.200", "end: 10.88.1.5")
      .replace("interface: eth0", "interface: eth0\n  masqurade: true");
    const run = await routerctl(["apply", "-f", "-"], local, bad);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("rejected: - is invalid");
    expect(run.stdout).toMatch(/^wan\.masqurade: unknown field/m);
    expect(run.stdout).toMatch(/^lans\[0\]\.dhcp\.ranges\[0\]\.end: .*10\.88\.1\.5/m);
    expect(h.runtime.calls.length).toBe(calls);
  });

  it("a NACK from the agent: field errors with paths, the old state kept, exit 1", async () => {
    const kept = h.runtime.status();
    h.runtime.nackNext = [{ path: "lans[0].interface", message: "no interface named ens7" }];
    const run = await routerctl(["apply", "-f", SEED], local);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `rejected by the agent (still on generation ${kept.appliedGeneration}, hash ${kept.appliedHash.slice(0, 12)})`,
    );
    expect(run.stdout).toMatch(/^lans\[0\]\.interface: no interface named ens7$/m);
    expect(h.runtime.status().appliedHash).toBe(kept.appliedHash);
  });

  it("--json gives the result as one document", async () => {
    h.runtime.nackNext = [{ path: "wan.interface", message: "bad" }];
    const run = await routerctl(["apply", "-f", SEED, "--json"], local);
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc.accepted).toBe(false);
    expect(doc.error.fieldViolations).toEqual([{ path: "wan.interface", message: "bad" }]);
  });
});

describe("commit confirm, status, history, rollback", () => {
  it("apply --confirm-within opens a window that status shows and confirm closes", async () => {
    const spec = readFileSync(SEED, "utf8").replace("lease_time: 12h", "lease_time: 2h");
    const run = await routerctl(["apply", "-f", "-", "--confirm-within", "60s"], local, spec);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /pending commit c\d+: confirm before \S+ \(in 5\ds\) with `routerctl confirm`/,
    );
    const status = await routerctl(["status"], local);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^pending {5}pending commit c\d+/m);
    expect(status.stdout).toMatch(/^AwaitingConfirm +True +CommitPending/m);
    const confirm = await routerctl(["confirm"], local);
    expect(confirm.code).toBe(0);
    expect(confirm.stdout).toMatch(/^confirmed: generation \d+/);
    const again = await routerctl(["confirm"], local);
    expect(again.code).toBe(1);
    expect(again.stdout).toBe("not confirmed: no pending commit\n");
  });

  it("status prints generation, hash, dnsmasq, uptime and conditions; --json parses", async () => {
    const run = await routerctl(["status"], local);
    const s = h.runtime.status();
    expect(run.stdout).toContain(`generation  ${s.appliedGeneration}\n`);
    expect(run.stdout).toContain(`hash        ${s.appliedHash}\n`);
    expect(run.stdout).toContain("dnsmasq     running (pid 4242, 0 restarts)");
    expect(run.stdout).toMatch(/^uptime {6}\S+ \(since /m);
    expect(run.stdout).toMatch(/^CONDITION +STATUS +REASON/m);
    const json = JSON.parse((await routerctl(["status", "--json"], local)).stdout);
    expect(json.appliedHash).toBe(s.appliedHash);
  });

  it("history lists revisions with hash, time, who and why; the applied one starred", async () => {
    const run = await routerctl(["history"], local);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^REVISION +GENERATION +HASH +APPLIED +WHO +WHY$/);
    const current = h.runtime.status().appliedRevision;
    expect(lines[1]).toMatch(
      new RegExp(`^${current}\\* +\\d+ +[0-9a-f]{12} +\\d{4}-\\d\\d-\\d\\dT\\S+ +local`),
    );
    expect(lines.at(-1)).toMatch(/^1 +1 .* local +first$/);
    const json = JSON.parse((await routerctl(["history", "--json", "--limit", "1"], local)).stdout);
    expect(json).toHaveLength(1);
  });

  it("rollback restores the previous revision; an unknown one exits 1", async () => {
    const before = h.runtime.status().appliedRevision;
    const run = await routerctl(["rollback", "--reason", "undo"], local);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `^rolled back: now revision ${before + 1}, generation \\d+, hash [0-9a-f]{64}$`,
        "m",
      ),
    );
    const missing = await routerctl(["rollback", "999"], local);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("routerctl: no revision 999\n");
    const usage = await routerctl(["rollback", "abc"], local);
    expect(usage.code).toBe(2);
  });
});

describe("leases and counters", () => {
  const printer: Lease = {
    mac: "60:be:b4:1e:19:63",
    ip: "10.88.0.10",
    hostname: "printer",
    expiresAt: 0,
    kind: "static",
    lan: "lan2",
  };

  beforeEach(() => {
    h.leases.emit("add", { ...leaseFor(1), hostname: "evil\nhost\u001b[2J" });
    h.leases.emit("add", printer);
  });

  it("leases prints a table with escaped hostnames", async () => {
    const run = await routerctl(["leases"], local);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^IP +MAC +HOSTNAME +EXPIRES +KIND +LAN$/);
    expect(lines[1]).toMatch(/^10\.88\.0\.10 +60:be:b4:1e:19:63 +printer +never +static +lan2$/);
    expect(run.stdout).toContain("evil\\u000ahost\\u001b[2J");
    expect(run.stdout).not.toContain("\u001b");
    const json = JSON.parse((await routerctl(["leases", "--json"], local)).stdout);
    expect(json.leases.map((l: { ip: string }) => l.ip)).toContain("10.88.0.10");
  });

  it("leases --watch prints events live and exits 0 on Ctrl-C", async () => {
    const child: ChildProcess = spawn(process.execPath, [ROUTERCTL, "leases", "--watch"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", ...local },
    });
    let out = "";
    child.stdout?.on("data", (d) => {
      out += String(d);
    });
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code) => resolve(code)),
    );
    try {
      await eventually(() => out.includes("HOSTNAME"), 15_000);
      h.leases.emit("del", printer);
      await eventually(
        () => /DEL {2}10\.88\.0\.10 {2}60:be:b4:1e:19:63 {2}printer/.test(out),
        15_000,
      );
      child.kill("SIGINT");
      expect(await exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("counters prints per-rule packets, bytes and rates, and interfaces", async () => {
    const run = await routerctl(["counters", "--interval", "200ms"], local);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/over 0\.\ds {2}conntrack 17/);
    expect(run.stdout).toMatch(/^RULE +PACKETS +BYTES +PKT\/S +BYTES\/S$/m);
    expect(run.stdout).toMatch(/^allow_ssh +\d+ +[\d.]+ \S+ +[\d.]+ +[\d.]+ \S+$/m);
    expect(run.stdout).toMatch(/^INTERFACE +RX +RX PKTS +TX +TX PKTS +RX\/S +TX\/S$/m);
    expect(run.stdout).toMatch(/^eth0 /m);
    const json = JSON.parse(
      (await routerctl(["counters", "--interval", "100ms", "--json"], local)).stdout,
    );
    const rule = json.rules.find((r: { id: string }) => r.id === "allow_ssh");
    expect(rule.packetsPerSecond).toBeGreaterThan(0);
  });
});

describe("credentials and errors", () => {
  const mtls = (who: { certPath: string; keyPath: string }) => ({
    ROUTERCTL_TARGET: tcpTarget,
    ROUTERCTL_CA: pki.caPath,
    ROUTERCTL_CERT: who.certPath,
    ROUTERCTL_KEY: who.keyPath,
  });

  it("a write certificate works over mTLS, and is the actor", async () => {
    const run = await routerctl(["apply", "-f", SEED, "--reason", "over tls"], mtls(pki.writer));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(h.runtime.history()[0]).toMatchObject({ actor: "ops", reason: "over tls" });
  });

  it("a read certificate may read but gets exit 4 on apply", async () => {
    expect((await routerctl(["status"], mtls(pki.reader))).code).toBe(0);
    const run = await routerctl(["apply", "-f", SEED], mtls(pki.reader));
    expect(run.code).toBe(4);
    expect(run.stderr).toBe(
      "routerctl: permission denied: viewer has scope read; Reconcile needs write\n",
    );
  });

  it("a certificate from another CA: exit 4", async () => {
    const run = await routerctl(["status"], mtls(pki.stranger));
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(
      /^routerctl: TLS with 127\.0\.0\.1:\d+ failed: .*(unknown ca|does not accept this client certificate).*\(check --ca, --cert and --key\)\n$/,
    );
    const noCert = await routerctl(["status"], {
      ROUTERCTL_TARGET: tcpTarget,
      ROUTERCTL_CA: pki.caPath,
    });
    expect(noCert.code).toBe(4);
    expect(noCert.stderr).toMatch(/certificate required/);
  });

  it("an agent that does not listen: exit 3", async () => {
    const run = await routerctl(["status", "--timeout", "3s"], {
      ROUTERCTL_TARGET: "unix:///nonexistent/agent.sock",
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      /^routerctl: cannot reach the agent at unix:\/\/\/nonexistent\/agent\.sock/,
    );
    const tcp = await routerctl(["status"], {
      ROUTERCTL_TARGET: "127.0.0.1:1",
      ROUTERCTL_CA: pki.caPath,
    });
    expect(tcp.code).toBe(3);
    expect(tcp.stderr).toMatch(/^routerctl: cannot reach the agent at 127\.0\.0\.1:1: /);
  });

  it("usage errors: exit 2", async () => {
    expect((await routerctl(["status"], {})).stderr).toBe(
      "routerctl: no agent: pass --target or set ROUTERCTL_TARGET\n",
    );
    expect((await routerctl(["status"], {})).code).toBe(2);
    expect((await routerctl(["status", "--bogus"], local)).code).toBe(2);
    expect((await routerctl(["apply"], local)).code).toBe(2);
    expect((await routerctl(["apply", "-f", SEED, "--confirm-within", "soon"], local)).code).toBe(
      2,
    );
    expect(
      (await routerctl(["status", "--ca", "/nonexistent.pem"], { ROUTERCTL_TARGET: tcpTarget }))
        .code,
    ).toBe(2);
    const json = await routerctl(["status", "--json"], {});
    expect(JSON.parse(json.stdout)).toEqual({
      error: { kind: "usage", message: "no agent: pass --target or set ROUTERCTL_TARGET" },
    });
  });

  it("pki init and issue write a CA, a server cert and scoped client certs", async () => {
    const dir = join(pki.dir, "cli");
    const init = await routerctl([
      "pki",
      "init",
      "--dir",
      dir,
      "--server-ip",
      "192.168.130.2",
      "--server-dns",
      "router.lan",
    ]);
    expect(init.code).toBe(0);
    const issue = await routerctl([
      "pki",
      "issue",
      "--dir",
      dir,
      "--name",
      "laptop",
      "--scope",
      "read",
    ]);
    expect(issue.code).toBe(0);
    const subject = spawnSync(
      "openssl",
      ["x509", "-in", join(dir, "laptop.crt"), "-noout", "-subject"],
      { encoding: "utf8" },
    );
    expect(subject.stdout).toMatch(/CN ?= ?laptop, ?OU ?= ?read/);
    const sans = spawnSync(
      "openssl",
      ["x509", "-in", join(dir, "server.crt"), "-noout", "-ext", "subjectAltName"],
      { encoding: "utf8" },
    );
    expect(sans.stdout).toMatch(/IP Address:192\.168\.130\.2, DNS:router\.lan/);
    const again = await routerctl(["pki", "init", "--dir", dir, "--server-ip", "192.168.130.2"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists; refusing to overwrite it/);
    const token = await routerctl(["pki", "token", "--name", "ci", "--scope", "write", "--json"]);
    expect(JSON.parse(token.stdout)).toMatchObject({ name: "ci", scope: "write" });
    writeFileSync(join(dir, "unused"), "");
  });
});
