/**
 * The supervisor against a fake dnsmasq: a sh script that logs like dnsmasq
 * on stderr and reacts to signals. The real dnsmasq is exercised in
 * test/integration/dnsmasq-supervisor.test.ts.
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DnsmasqSupervisor,
  findDnsmasqByConf,
} from "../../../agent/src/runtime/dnsmasq-supervisor.js";
import type { DnsmasqState } from "../../../agent/src/runtime/router-runtime.js";
import { type MemoryLogger, memoryLogger } from "../../support/memory-logger.js";

const FAKE = `#!/bin/sh
# $MODE: normal | ignore-term | fail
if [ "$MODE" = fail ]; then echo "dnsmasq: bad option at line 2 of /x.conf" >&2; exit 1; fi
trap 'echo "dnsmasq[$$]: read /etc/hosts - 0 names (SIGHUP)" >&2' HUP
if [ "$MODE" = ignore-term ]; then trap '' TERM; else trap 'echo "dnsmasq[$$]: exiting on receipt of SIGTERM" >&2; exit 0' TERM; fi
echo "dnsmasq[$$]: started, version 2.90 (fake) args: $*" >&2
echo "dnsmasq-dhcp[$$]: 123 DHCPACK(lan0) 10.88.0.57 aa:bb:cc:dd:ee:ff laptop" >&2
while :; do sleep 0.05; done
`;

describe("DnsmasqSupervisor (fake dnsmasq)", () => {
  let dir: string;
  let mem: MemoryLogger;
  let sup: DnsmasqSupervisor | undefined;
  const states: DnsmasqState[] = [];

  function make(mode: string, opts: { stopTimeoutMs?: number } = {}): DnsmasqSupervisor {
    const s = new DnsmasqSupervisor({
      confFile: join(dir, "dnsmasq.conf"),
      binary: join(dir, "fake-dnsmasq"),
      logger: mem.logger,
      env: { ...process.env, MODE: mode },
      backoff: { initialMs: 20, maxMs: 200, stableMs: 60_000 },
      readyTimeoutMs: 5_000,
      ...opts,
    });
    s.onState((st) => states.push(st));
    sup = s;
    return s;
  }

  function nextState(pred: (s: DnsmasqState) => boolean): Promise<DnsmasqState> {
    return new Promise((resolve) => {
      const off = sup?.onState((s) => {
        if (pred(s)) {
          off?.();
          resolve(s);
        }
      });
    });
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "ra-sup-"));
    writeFileSync(join(dir, "fake-dnsmasq"), FAKE);
    chmodSync(join(dir, "fake-dnsmasq"), 0o755);
    mem = memoryLogger();
    states.length = 0;
  });

  afterEach(async () => {
    await sup?.stop();
    sup = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it("starts dnsmasq in the foreground with its config and logging to stderr, and forwards its log", async () => {
    const s = make("normal");
    await s.ensureRunning();
    const st = s.state();
    expect(st.running).toBe(true);
    expect(st.restarts).toBe(0);
    const started = await mem.waitFor((r) => String(r.msg).startsWith("started, version"));
    expect(started).toMatchObject({ program: "dnsmasq", dnsmasqPid: st.pid, level: 30 });
    expect(String(started.msg)).toContain(
      `--keep-in-foreground --conf-file=${join(dir, "dnsmasq.conf")} --log-facility=-`,
    );
    const ack = await mem.waitFor((r) => r.dhcp === "DHCPACK");
    expect(ack).toMatchObject({
      ip: "10.88.0.57",
      mac: "aa:bb:cc:dd:ee:ff",
      clientHostname: "laptop",
      xid: 123,
    });
    // Idempotent: a second call keeps the same process.
    await s.ensureRunning();
    expect(s.state().pid).toBe(st.pid);
  });

  it("reload sends SIGHUP to the same process", async () => {
    const s = make("normal");
    await s.ensureRunning();
    const pid = s.state().pid;
    await s.reload();
    await mem.waitFor((r) => String(r.msg).includes("(SIGHUP)") && r.dnsmasqPid === pid);
    expect(s.state()).toEqual({ running: true, pid, restarts: 0 });
  });

  it("reload starts dnsmasq when it is not running", async () => {
    const s = make("normal");
    await s.reload();
    expect(s.state()).toMatchObject({ running: true, restarts: 0 });
    expect(mem.records().some((r) => r.msg === "dnsmasq reloaded (SIGHUP)")).toBe(false);
  });

  it("restarts dnsmasq after it is killed, reporting it down meanwhile", async () => {
    const s = make("normal");
    await s.ensureRunning();
    const pid = s.state().pid as number;
    const back = nextState((st) => st.running && st.pid !== pid);
    process.kill(pid, "SIGKILL");
    const st = await back;
    expect(st.restarts).toBe(1);
    expect(states.some((x) => !x.running && x.restarts === 0)).toBe(true);
    const died = await mem.waitFor((r) => r.msg === "dnsmasq died");
    expect(died).toMatchObject({ signal: "SIGKILL", level: 50 });
    expect(s.lastExit()?.signal).toBe("SIGKILL");
  });

  it("restart() replaces the process without counting it as a failure", async () => {
    const s = make("normal");
    await s.ensureRunning();
    const pid = s.state().pid;
    await s.restart();
    expect(s.state().running).toBe(true);
    expect(s.state().pid).not.toBe(pid);
    expect(s.state().restarts).toBe(0);
    await mem.waitFor(
      (r) => String(r.msg).includes("exiting on receipt of SIGTERM") && r.dnsmasqPid === pid,
    );
  });

  it("stop() terminates cleanly and nothing restarts it", async () => {
    const s = make("normal");
    await s.ensureRunning();
    const pid = s.state().pid as number;
    await s.stop();
    expect(s.state()).toEqual({ running: false, restarts: 0 });
    expect(s.lastExit()).toMatchObject({ code: 0, signal: null });
    // Reaped, not a zombie: kill(pid, 0) fails only once the PID is gone.
    expect(() => process.kill(pid, 0)).toThrow();
    // Longer than the backoff: a wrongly scheduled restart would have happened.
    await new Promise((r) => setTimeout(r, 100));
    expect(s.state()).toEqual({ running: false, restarts: 0 });
    await s.stop();
  });

  it("stop() falls back to SIGKILL when SIGTERM is ignored", async () => {
    const s = make("ignore-term", { stopTimeoutMs: 200 });
    await s.ensureRunning();
    await s.stop();
    expect(s.lastExit()?.signal).toBe("SIGKILL");
    await mem.waitFor((r) => r.msg === "dnsmasq ignored SIGTERM; sending SIGKILL");
  });

  it("ensureRunning rejects with dnsmasq's error when it fails to start, and keeps retrying with backoff", async () => {
    const s = make("fail");
    await expect(s.ensureRunning()).rejects.toThrow(/bad option at line 2/);
    // The backoff restarts it again and again.
    await nextState((st) => st.restarts >= 2);
    expect(s.state().running).toBe(false);
    const err = await mem.waitFor((r) => r.msg === "bad option at line 2 of /x.conf");
    expect(err.level).toBe(50);
    await s.stop();
    const after = s.state().restarts;
    await new Promise((r) => setTimeout(r, 300));
    expect(s.state().restarts).toBe(after);
  });

  it("stops a stray dnsmasq left running with the same config before starting", async () => {
    const conf = join(dir, "dnsmasq.conf");
    const stray = spawn(
      "bash",
      [
        "-c",
        `exec -a dnsmasq /bin/sh -c 'trap "exit 0" TERM; while :; do sleep 0.05; done' --conf-file=${conf}`,
      ],
      { stdio: "ignore" },
    );
    const strayExit = new Promise((r) => stray.on("exit", r));
    await new Promise((r) => setTimeout(r, 100));
    expect(await findDnsmasqByConf(conf)).toEqual([stray.pid]);
    const s = make("normal");
    await s.ensureRunning();
    await strayExit;
    await mem.waitFor((r) => r.msg === "stopping dnsmasq processes left over with our config");
    expect(await findDnsmasqByConf(conf)).toEqual([]);
  });
});
