import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readlink, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fakeReleaseDir, fakeSystemctl } from "./fake-release.js";

const execFileAsync = promisify(execFile);

interface Run {
  code: number;
  out: string;
  /** The systemctl calls this run made. */
  calls: string[];
}

describe("packaging/install.sh", () => {
  let tmp: string;
  let root: string;
  let log: string;
  let env: Record<string, string>;

  beforeEach(async () => {
    tmp = await mkdtemp(join(tmpdir(), "ra-install-"));
    root = join(tmp, "root");
    log = join(tmp, "systemctl.log");
    await mkdir(join(tmp, "state"), { recursive: true });
    await mkdir(root);
    await writeFile(join(tmp, "systemctl"), fakeSystemctl(log, join(tmp, "state")), {
      mode: 0o755,
    });
    env = {
      PATH: process.env.PATH ?? "",
      RA_ROOT: root,
      RA_SYSTEMCTL: join(tmp, "systemctl"),
      RA_UNAME_M: "x86_64",
    };
  });

  afterEach(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  async function install(version: string, ...args: string[]): Promise<Run> {
    const dir = await fakeReleaseDir(join(tmp, "unpacked"), version);
    return run(join(dir, "install.sh"), args);
  }

  async function run(
    script: string,
    args: string[],
    extraEnv: Record<string, string> = {},
  ): Promise<Run> {
    const before = existsSync(log)
      ? (await readFile(log, "utf8")).split("\n").filter(Boolean).length
      : 0;
    let code = 0;
    let out: string;
    try {
      const r = await execFileAsync(script, args, { env: { ...env, ...extraEnv } });
      out = r.stdout + r.stderr;
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      code = e.code;
      out = e.stdout + e.stderr;
    }
    const calls = existsSync(log)
      ? (await readFile(log, "utf8")).split("\n").filter(Boolean).slice(before)
      : [];
    return { code, out, calls };
  }

  const opt = (...p: string[]) => join(root, "opt/router-agent", ...p);

  it("installs a release: files, symlinks, unit, default config, masked dnsmasq, started", async () => {
    const r = await install("0.1.0");
    expect(r.code, r.out).toBe(0);
    expect(await readlink(opt("current"))).toBe("releases/router-agent-0.1.0-linux-x64");
    expect(await readFile(opt("current/lib/router-agent.js"), "utf8")).toContain("0.1.0");
    expect(existsSync(opt("previous"))).toBe(false);
    expect(await readFile(join(root, "etc/systemd/system/router-agent.service"), "utf8")).toContain(
      "Type=notify",
    );
    const cfg = await stat(join(root, "etc/router-agent/agent.yaml"));
    expect(cfg.mode & 0o777).toBe(0o600);
    expect((await stat(join(root, "etc/router-agent"))).mode & 0o777).toBe(0o700);
    expect(await readlink(join(root, "usr/local/bin/routerctl"))).toBe(
      "/opt/router-agent/current/bin/routerctl",
    );
    expect(r.calls).toEqual([
      "systemctl mask --now dnsmasq.service",
      "systemctl daemon-reload",
      "systemctl enable router-agent.service",
      "systemctl is-active --quiet router-agent.service",
      "systemctl start router-agent.service",
    ]);
  });

  it("is idempotent: the same release again restarts nothing; --restart does", async () => {
    await install("0.1.0");
    const again = await install("0.1.0");
    expect(again.code, again.out).toBe(0);
    expect(again.calls).not.toContain("systemctl restart router-agent.service");
    expect(again.out).not.toMatch(/Active release|Installed \/etc/);
    const forced = await install("0.1.0", "--restart");
    expect(forced.calls).toContain("systemctl restart router-agent.service");
  });

  it("keeps an existing agent.yaml", async () => {
    await mkdir(join(root, "etc/router-agent"), { recursive: true });
    await writeFile(join(root, "etc/router-agent/agent.yaml"), "custom: true\n");
    await install("0.1.0");
    expect(await readFile(join(root, "etc/router-agent/agent.yaml"), "utf8")).toBe(
      "custom: true\n",
    );
  });

  it("upgrades by swapping the symlink, restarts a running agent, keeps one release to roll back to", async () => {
    await install("0.1.0");
    const up = await install("0.2.0");
    expect(up.code, up.out).toBe(0);
    expect(up.calls).toContain("systemctl restart router-agent.service");
    expect(await readlink(opt("current"))).toBe("releases/router-agent-0.2.0-linux-x64");
    expect(await readlink(opt("previous"))).toBe("releases/router-agent-0.1.0-linux-x64");
    await install("0.3.0");
    expect(existsSync(opt("releases/router-agent-0.1.0-linux-x64"))).toBe(false);
    expect(existsSync(opt("releases/router-agent-0.2.0-linux-x64"))).toBe(true);
    expect(await readlink(opt("previous"))).toBe("releases/router-agent-0.2.0-linux-x64");
    // Rolling back is running the previous release's install.sh.
    const back = await run(opt("releases/router-agent-0.2.0-linux-x64/install.sh"), []);
    expect(back.code, back.out).toBe(0);
    expect(await readlink(opt("current"))).toBe("releases/router-agent-0.2.0-linux-x64");
    expect(await readlink(opt("previous"))).toBe("releases/router-agent-0.3.0-linux-x64");
  });

  it("refuses a release for another architecture", async () => {
    const dir = await fakeReleaseDir(join(tmp, "unpacked"), "0.1.0");
    const r = await run(join(dir, "install.sh"), [], { RA_UNAME_M: "aarch64" });
    expect(r.code).toBe(1);
    expect(r.out).toContain("this release is for x64, but the machine is aarch64");
    expect(existsSync(opt())).toBe(false);
  });

  it("uninstalls, keeping config and state unless --purge", async () => {
    await install("0.1.0");
    await mkdir(join(root, "var/lib/router-agent"), { recursive: true });
    const un = await run(opt("current/install.sh"), ["--uninstall"]);
    expect(un.code, un.out).toBe(0);
    expect(un.calls).toContain("systemctl disable --now router-agent.service");
    expect(un.calls).toContain("systemctl unmask dnsmasq.service");
    expect(existsSync(opt())).toBe(false);
    expect(existsSync(join(root, "etc/systemd/system/router-agent.service"))).toBe(false);
    expect(existsSync(join(root, "usr/local/bin/routerctl"))).toBe(false);
    expect(existsSync(join(root, "etc/router-agent/agent.yaml"))).toBe(true);
    await install("0.1.0");
    const purge = await run(opt("current/install.sh"), ["--uninstall", "--purge"]);
    expect(purge.code, purge.out).toBe(0);
    expect(existsSync(join(root, "etc/router-agent"))).toBe(false);
    expect(existsSync(join(root, "var/lib/router-agent"))).toBe(false);
  });
});
