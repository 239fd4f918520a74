/**
 * Proof of the Slicer install path: the x64 release, installed by the
 * userdata `routerctl userdata` generates, on the first boot of a real
 * systemd guest (Debian 12 under systemd-nspawn) that sits in the router lab's
 * router namespace, the way a Slicer microVM sits on the host's bridge.
 *
 * The host side uses the release's own routerctl (the bundle on the pinned
 * Node.js): `pki init`, `userdata`, `serve-release` on the bridge address,
 * `apply` and `status` over mutual TLS.
 *
 * Needs root, systemd-nspawn, debootstrap (first run) and `make release`.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { releaseDirName, releaseFileName } from "../../host-client/src/userdata/release-name.js";
import { LAB_ADDR, Lab, type LabClient, repoRoot } from "../lab/lab.js";
import { waitFor } from "../lab/wait.js";
import { type RunResult, run } from "../support/netns.js";
import { GUEST_USERDATA, NspawnGuest, USERDATA_UNIT } from "./nspawn-guest.js";

const REPO = repoRoot();
const VERSION = (
  JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string }
).version;
const TARBALL = join(REPO, "release", releaseFileName(VERSION, "x64"));
const SERVE_PORT = 8099;
const API = `${LAB_ADDR.wanRouter}:${LAB_ADDR.apiPort}`;

/** The structured (pino JSON) lines of `journalctl -u router-agent` for a boot. */
interface LogLine {
  level: string;
  time: string;
  pid: number;
  msg: string;
  [key: string]: unknown;
}

describe("first boot of the release in a systemd guest", () => {
  const lab = new Lab();
  let work: string;
  let guest: NspawnGuest;
  let routerctl: string;
  let pki: string;
  let client: LabClient;
  const started = Date.now();

  /** The release's routerctl in the lab's host namespace. */
  function rc(args: string[], opts: { allowFail?: boolean } = {}): Promise<RunResult> {
    return lab.exec("host", routerctl, args, { timeoutMs: 60_000, ...opts });
  }
  const mtls = () => [
    "--target",
    API,
    "--ca",
    join(pki, "ca.crt"),
    "--cert",
    join(pki, "host.crt"),
    "--key",
    join(pki, "host.key"),
  ];

  async function agentLog(boot = "0"): Promise<LogLine[]> {
    const r = await guest.exec("journalctl", [
      "-u",
      "router-agent",
      "-b",
      boot,
      "-o",
      "cat",
      "--no-pager",
    ]);
    return r.stdout
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as LogLine);
  }

  beforeAll(async () => {
    if (process.getuid?.() !== 0) throw new Error("e2e-guest needs root");
    if (!existsSync(TARBALL)) throw new Error(`${TARBALL} is missing: run make release`);
    const rootfsTar = (
      await run("bash", [join(REPO, "test/guest/build-rootfs.sh")], { timeoutMs: 900_000 })
    ).stdout.trim();

    work = await mkdtemp(join("/var/tmp", "router-agent-e2e-"));
    await run("tar", ["-C", work, "-xzf", TARBALL]);
    routerctl = join(work, releaseDirName(VERSION, "x64"), "bin/routerctl");
    pki = join(work, "pki");

    await lab.up();
    await rc(["pki", "init", "--dir", pki, "--server-ip", LAB_ADDR.wanRouter]);
    await rc(["pki", "issue", "--dir", pki, "--name", "host", "--scope", "write"]);

    // The host serves the release on its bridge address, as on a Slicer host.
    const server = lab.spawn("host", {
      name: "serve-release",
      cmd: routerctl,
      args: [
        "serve-release",
        "--dir",
        join(REPO, "release"),
        "--listen",
        `${LAB_ADDR.wanGateway}:${SERVE_PORT}`,
      ],
      logFile: join(work, "serve-release.log"),
    });
    await waitFor(
      async () => {
        if (!server.running()) throw new Error(await readFile(server.logFile, "utf8"));
        return (await readFile(server.logFile, "utf8")).includes("serving");
      },
      { what: "serve-release to listen" },
    );

    const userdata = join(work, "userdata.sh");
    await rc([
      "userdata",
      "--pki",
      pki,
      // The lab's router has two LAN ports (ens7, ens8): "auto" would be ambiguous.
      "--lan-interface",
      "ens7",
      "--router-yaml",
      join(REPO, "packaging/examples/router.yaml"),
      "--release-url",
      `http://${LAB_ADDR.wanGateway}:${SERVE_PORT}/${releaseFileName(VERSION, "x64")}`,
      "--release-sha256",
      `${TARBALL}.sha256`,
      "-o",
      userdata,
    ]);

    guest = new NspawnGuest({ rootfsTar, dir: join(work, "guest"), netns: lab.ns("router") });
    await guest.prepare(await readFile(userdata, "utf8"));
    await guest.boot();
    // Userdata runs during boot; wait for it like someone watching the serial log.
    await waitFor(() => guest.readFile(GUEST_USERDATA.done).then((d) => d !== undefined), {
      what: "userdata to finish",
      timeoutMs: 300_000,
      intervalMs: 1_000,
    });
  });

  afterAll(async () => {
    // For a post-mortem (E2E_KEEP=1 keeps the directory): the guest's journal.
    const journal = await guest
      ?.exec("journalctl", ["--no-pager", "-o", "short-iso"], { allowFail: true })
      .catch(() => undefined);
    if (journal && work) await writeFile(join(work, "journal.txt"), journal.stdout);
    // The guest first: lab.down() would kill its processes in the router namespace.
    await guest?.stop();
    await lab.down();
    if (work && process.env.E2E_KEEP !== "1") await rm(work, { recursive: true, force: true });
    else if (work) console.log(`e2e-guest: kept ${work}`);
    console.log(`e2e-guest: ${((Date.now() - started) / 1000).toFixed(0)} s in total`);
  });

  it("runs the userdata at first boot: agent active, distro dnsmasq masked, console log as Slicer shows it", async () => {
    const console = await guest.console();
    expect(console).toContain("[router-agent-install] SHA-256 verified");
    expect(console).toContain("[router-agent-install] LAN interface: ens7");
    expect(console).toContain("[router-agent-install] Done.");
    expect((await guest.exec("systemctl", ["is-active", "router-agent"])).stdout.trim()).toBe(
      "active",
    );
    expect(
      (await guest.exec("systemctl", ["is-enabled", "dnsmasq"], { allowFail: true })).stdout.trim(),
    ).toBe("masked");
    expect((await guest.exec("readlink", ["/opt/router-agent/current"])).stdout.trim()).toBe(
      `releases/${releaseDirName(VERSION, "x64")}`,
    );
  });

  it("logs structured start-up lines to the journal", async () => {
    const lines = await agentLog();
    const msgs = lines.map((l) => l.msg);
    expect(msgs).toContain("start-up restore done");
    expect(msgs).toContain("initial state applied");
    expect(msgs).toContain("API listening");
    for (const l of lines) {
      expect(typeof l.level).toBe("string");
      expect(Number.isNaN(Date.parse(l.time))).toBe(false);
    }
  });

  it("applied the initial state at first start: a LAN client gets a lease and reaches the internet", async () => {
    client = await lab.addClient("pi");
    lab.startDhcp(client);
    const lease = await lab.waitForLease(client, 60_000);
    expect(lease.routers).toEqual([LAB_ADDR.lan1Router]);
    const last = Number(lease.ip.split(".")[3]);
    expect(lease.ip.startsWith("10.88.0.") && last >= 50 && last <= 200).toBe(true);
    const r = await lab.fetch(client, `http://${LAB_ADDR.internetServer}/`);
    expect(r.ok, r.body).toBe(true);
    // Masqueraded: the internet sees the router's WAN address.
    expect(r.body).toContain(`hello to ${LAB_ADDR.wanRouter}`);
  });

  it("routerctl in the host namespace applies the seed's desired state over mTLS", async () => {
    const noCert = await rc(["status", "--target", API, "--ca", join(pki, "ca.crt")], {
      allowFail: true,
    });
    expect(noCert.code).not.toBe(0);

    const applied = await rc([
      "apply",
      "-f",
      join(REPO, "examples/lab/router.yaml"),
      "--reason",
      "e2e: the seed's desired state",
      ...mtls(),
    ]);
    expect(applied.code, applied.stderr).toBe(0);
    const status = JSON.parse((await rc(["status", "--json", ...mtls()])).stdout) as {
      appliedRevision: number;
    };
    expect(status.appliedRevision).toBe(2);
    // The new upstream (the lab's internet) answers through the router.
    expect(await lab.resolve(client, "www.example.test", LAB_ADDR.lan1Router)).toEqual([
      LAB_ADDR.internetServer,
    ]);
  });

  it("stops on SIGTERM without removing the rules: forwarding continues while the agent is down", async () => {
    await guest.exec("systemctl", ["stop", "router-agent"]);
    const msgs = (await agentLog()).map((l) => l.msg);
    expect(msgs).toContain("stopping: the nft table and links stay as they are");
    expect(msgs).toContain("stopped");
    expect(
      (await guest.exec("systemctl", ["show", "-p", "Result", "router-agent"])).stdout.trim(),
    ).toBe("Result=success");
    await lab.exec("router", "nft", ["list", "table", "inet", "router_agent"]);
    expect((await lab.fetch(client, `http://${LAB_ADDR.internetServer}/`)).ok).toBe(true);
    await guest.exec("systemctl", ["start", "router-agent"]);
  });

  it("after a restart the router forwards before any apply, and userdata does not run again", async () => {
    await guest.poweroff();
    // A VM's reboot also loses the kernel state; the namespace outlives the
    // container, so take it away by hand.
    await lab.exec("router", "nft", ["flush", "ruleset"]);
    await lab.exec("router", "ip", ["addr", "flush", "dev", "ens7"]);
    await lab.exec("router", "sysctl", ["-q", "-w", "net.ipv4.ip_forward=0"]);
    expect((await lab.fetch(client, `http://${LAB_ADDR.internetServer}/`, 2)).ok).toBe(false);

    await guest.boot();
    await waitFor(
      async () =>
        (
          await guest.exec("systemctl", ["is-active", "router-agent"], { allowFail: true })
        ).stdout.trim() === "active",
      { what: "router-agent to be active after the restart", timeoutMs: 120_000 },
    );
    // No apply from the host since the restart: the agent restored last-good.
    await waitFor(
      async () => (await lab.fetch(client, `http://${LAB_ADDR.internetServer}/`, 2)).ok,
      {
        what: "the client to reach the internet again",
        timeoutMs: 60_000,
      },
    );
    expect(await lab.renew(client)).toMatch(/^(bound|renew) /);
    const msgs = (await agentLog()).map((l) => l.msg);
    expect(msgs).toContain("start-up restore done");
    expect(msgs).not.toContain("initial state applied");
    const history = JSON.parse((await rc(["history", "--json", ...mtls()])).stdout) as unknown[];
    expect(history).toHaveLength(2);

    expect((await guest.readFile(GUEST_USERDATA.runs))?.trim().split("\n")).toHaveLength(1);
    expect(
      (
        await guest.exec("systemctl", ["show", "-p", "ConditionResult", USERDATA_UNIT])
      ).stdout.trim(),
    ).toBe("ConditionResult=no");
  });

  it("pings the systemd watchdog again and again (systemd-notify from a child: NotifyAccess=all)", async () => {
    const stamp = async () =>
      (
        await guest.exec("systemctl", ["show", "-p", "WatchdogTimestampMonotonic", "router-agent"])
      ).stdout.trim();
    const first = await stamp();
    expect(first).toMatch(/^WatchdogTimestampMonotonic=[1-9]\d*$/);
    // WatchdogSec=30: the agent pings every 10 s.
    await waitFor(async () => (await stamp()) !== first, {
      what: "a second watchdog ping",
      timeoutMs: 30_000,
      intervalMs: 1_000,
    });
  });

  it("scores the unit with systemd-analyze security", async () => {
    const r = await guest.exec("systemd-analyze", ["security", "router-agent", "--no-pager"], {
      allowFail: true,
    });
    const m = /Overall exposure level for router-agent\.service: ([\d.]+) (\w+)/.exec(r.stdout);
    console.log(r.stdout);
    expect(m, r.stdout + r.stderr).not.toBeNull();
    expect(Number(m?.[1])).toBeLessThan(5);
  });
});
