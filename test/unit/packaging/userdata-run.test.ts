/**
 * Runs generated userdata scripts for real, as root, inside a sandbox: a
 * private mount, network and PID namespace where /etc, /opt and /usr/local
 * are overlays whose upper layers are test directories. systemctl, journalctl
 * and apt-get are stubs that log their calls; the "guest" has a WAN (eth0) and
 * a LAN (ens7) that are veths. Nothing reaches the machine itself.
 * Needs root (skipped otherwise).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readlink, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ReleaseSource,
  renderUserdata,
  type UserdataInput,
} from "../../../host-client/src/userdata/render-userdata.js";
import { fakeReleaseTarball } from "./fake-release.js";
import { FAKE_PEM, urlInput } from "./userdata-script.js";

const execFileAsync = promisify(execFile);
const isRoot = process.getuid?.() === 0;

const SANDBOX = `
set -eu
T=$1; shift
for d in etc opt usr/local; do
  up="$T/up/$d"; work="$T/work/$d"
  mkdir -p "$up" "$work" "/$d"
  mount -t overlay overlay -o "lowerdir=/$d,upperdir=$up,workdir=$work" "/$d"
done
# No curl or wget (overlay whiteouts): the script falls back to bash alone.
mkdir -p "$T/up/usr/bin" "$T/work/usr/bin"
for tool in curl wget; do [ -e "$T/up/usr/bin/$tool" ] || mknod "$T/up/usr/bin/$tool" c 0 0; done
mount -t overlay overlay -o "lowerdir=/usr/bin,upperdir=$T/up/usr/bin,workdir=$T/work/usr/bin" /usr/bin
mount -t sysfs sysfs /sys # this namespace's links, not the machine's
ip link set lo up
# The WAN and the LAN: veths whose peers sit in a throwaway namespace.
unshare --net sleep 600 &
peer_ns=$!
sleep 0.2
ip link add eth0 type veth peer name wan0 netns "$peer_ns"
ip link add ens7 type veth peer name lan0 netns "$peer_ns"
ip link set eth0 up
ip link add br9 type bridge # virtual, not a veth: never a LAN candidate
busybox httpd -p 127.0.0.1:8099 -h "$T/serve"
for script; do
  echo "=== run $script"
  rc=0; bash "$script" || rc=$?
  echo "=== rc=$rc"
done
`;

function stubs(t: string): Record<string, string> {
  const logTo = (name: string, extra = "") =>
    `#!/bin/sh\necho "${name} $*" >>'${t}/calls.log'\n${extra}exit 0\n`;
  return {
    systemctl: `#!/bin/sh
echo "systemctl $*" >>'${t}/calls.log'
for last; do :; done
case "$1" in
  is-active) [ -e '${t}'/"$last".active ] && { [ "$2" = --quiet ] || echo active; exit 0; }; [ "$2" = --quiet ] || echo inactive; exit 3 ;;
  start|restart) touch '${t}'/"$last".active ;;
esac
exit 0
`,
    journalctl: logTo("journalctl"),
    "apt-get": logTo("apt-get"),
    networkctl: logTo("networkctl"),
    reboot: `#!/bin/sh\ntouch '${t}/REBOOTED'\n`,
  };
}

describe.skipIf(!isRoot)("generated userdata, run in a sandbox", () => {
  let t: string;
  let release: { path: string; sha256: string; bytes: Buffer };

  beforeAll(async () => {
    t = await mkdtemp(join(tmpdir(), "ra-userdata-"));
    await mkdir(join(t, "serve"));
    release = await fakeReleaseTarball(join(t, "serve"), "0.1.0");
    const sbin = join(t, "up/usr/local/sbin");
    await mkdir(sbin, { recursive: true });
    for (const [name, text] of Object.entries(stubs(t))) {
      await writeFile(join(sbin, name), text, { mode: 0o755 });
    }
  });

  afterAll(async () => {
    await rm(t, { recursive: true, force: true });
  });

  async function script(name: string, over: Partial<UserdataInput>): Promise<string> {
    const r = renderUserdata(
      urlInput({
        release: {
          kind: "url",
          fileName: "router-agent-0.1.0-linux-x64.tar.gz",
          sha256: release.sha256,
          url: "http://127.0.0.1:8099/router-agent-0.1.0-linux-x64.tar.gz",
        },
        ...over,
      }),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    const path = join(t, name);
    await writeFile(path, r.value, { mode: 0o600 });
    return path;
  }

  async function sandbox(...scripts: string[]): Promise<{ out: string; rcs: number[] }> {
    const { stdout, stderr } = await execFileAsync(
      "unshare",
      [
        "--mount",
        "--net",
        "--pid",
        "--fork",
        "--mount-proc",
        "bash",
        "-c",
        SANDBOX,
        "sandbox",
        t,
        ...scripts,
      ],
      { maxBuffer: 16 * 1024 * 1024, timeout: 120_000 },
    );
    const out = stdout + stderr;
    return { out, rcs: [...out.matchAll(/=== rc=(\d+)/g)].map((m) => Number(m[1])) };
  }

  const up = (...p: string[]) => join(t, "up", ...p);

  it("installs from the host over HTTP, writes the files, starts the agent; a second run changes nothing", async () => {
    const routerYaml =
      "# $(reboot) `reboot`\nwan:\n  interface: eth0\n__ROUTER_AGENT_B64_END__\nreboot\n";
    const path = await script("userdata-url.sh", { routerYaml });
    const { out, rcs } = await sandbox(path, path);
    expect(rcs, out).toEqual([0, 0]);

    // What the first run did.
    const [first, second] = out.split("=== run ").slice(1) as [string, string];
    expect(first).toContain("[router-agent-install] LAN interface: ens7");
    expect(first).toContain("[router-agent-install] nftables and dnsmasq already installed");
    expect(first).toContain(`[router-agent-install] SHA-256 verified: ${release.sha256}`);
    expect(first).toContain("[router-agent-install] Wrote /etc/router-agent/router.yaml");
    expect(first).toContain("[router-agent-install] Done.");
    expect(first).toMatch(/^ens7@\S+ +DOWN/m); // ip -br addr
    expect(await readFile(up("etc/router-agent/router.yaml"), "utf8")).toBe(routerYaml);
    expect(await readFile(up("etc/router-agent/tls/server.key"), "utf8")).toBe(FAKE_PEM.key);
    expect((await stat(up("etc/router-agent/tls/server.key"))).mode & 0o777).toBe(0o600);
    expect((await stat(up("etc/router-agent"))).mode & 0o777).toBe(0o700);
    expect(await readFile(up("etc/systemd/network/05-router-agent-lan.network"), "utf8")).toBe(
      "[Match]\nName=ens7\n\n[Link]\nUnmanaged=yes\n",
    );
    expect(await readlink(up("opt/router-agent/current"))).toBe(
      "releases/router-agent-0.1.0-linux-x64",
    );
    expect(await readFile(up("opt/router-agent/current/.sha256"), "utf8")).toBe(
      `${release.sha256}\n`,
    );
    expect(existsSync(up("etc/router-agent/agent.yaml"))).toBe(true); // install.sh's default
    expect(existsSync(join(t, "REBOOTED"))).toBe(false);

    // The second run found everything in place.
    expect(second).toContain(
      "[router-agent-install] Release router-agent-0.1.0-linux-x64 already unpacked",
    );
    expect(second).not.toContain("Wrote ");
    expect(second).not.toContain("Fetching");
    const calls = (await readFile(join(t, "calls.log"), "utf8")).split("\n");
    expect(calls.filter((c) => c === "systemctl start router-agent.service")).toHaveLength(2);
    expect(calls).not.toContain("systemctl restart router-agent.service");
    expect(calls.some((c) => c.startsWith("apt-get"))).toBe(false);
  });

  it("refuses a release whose SHA-256 does not match the pin, and installs nothing", async () => {
    await rm(up("opt/router-agent"), { recursive: true, force: true });
    const bad: ReleaseSource = {
      kind: "url",
      fileName: "router-agent-0.1.0-linux-x64.tar.gz",
      sha256: "0".repeat(64),
      url: "http://127.0.0.1:8099/router-agent-0.1.0-linux-x64.tar.gz",
    };
    const { out, rcs } = await sandbox(await script("userdata-bad.sh", { release: bad }));
    expect(rcs, out).toEqual([1]);
    expect(out).toContain(
      `[router-agent-install] ERROR: SHA-256 mismatch: expected ${"0".repeat(64)}, got ${release.sha256}`,
    );
    expect(existsSync(up("opt/router-agent/current"))).toBe(false);
  });

  it("installs an embedded release and restarts the agent when a file changed", async () => {
    const embed: ReleaseSource = {
      kind: "embed",
      fileName: "router-agent-0.1.0-linux-x64.tar.gz",
      sha256: release.sha256,
      bytes: release.bytes,
    };
    await writeFile(join(t, "router-agent.service.active"), ""); // the agent runs already
    const { out, rcs } = await sandbox(
      await script("userdata-embed.sh", {
        release: embed,
        routerYaml: "wan:\n  interface: eth0\n# v2\n",
      }),
    );
    expect(rcs, out).toEqual([0]);
    expect(out).toContain("Unpacking the embedded release");
    expect(out).toContain("[router-agent-install] Wrote /etc/router-agent/router.yaml");
    expect(out).toContain("[router-agent-install] Restarting router-agent.service");
    expect(await readFile(up("etc/router-agent/router.yaml"), "utf8")).toContain("# v2");
  });
});
