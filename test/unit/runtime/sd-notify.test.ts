import pino from "pino";
import { describe, expect, it } from "vitest";
import { FakeExec } from "../../../agent/src/runtime/fake-exec.js";
import { SdNotify } from "../../../agent/src/runtime/sd-notify.js";

const logger = pino({ level: "silent" });

describe("SdNotify", () => {
  it("does nothing without NOTIFY_SOCKET", async () => {
    const exec = new FakeExec();
    const n = new SdNotify({ exec, logger, env: {}, pid: 42 });
    await n.ready("up");
    expect(n.startWatchdog()).toBeUndefined();
    expect(exec.calls).toEqual([]);
  });

  it("runs systemd-notify with our pid and one-line statuses", async () => {
    const exec = new FakeExec();
    const n = new SdNotify({
      exec,
      logger,
      env: { NOTIFY_SOCKET: "/run/systemd/notify" },
      pid: 42,
    });
    await n.ready("serving\nrevision 3");
    await n.status("drift repaired");
    await n.stopping();
    expect(exec.dump()).toBe(
      [
        '$ systemd-notify --pid=42 READY=1 "STATUS=serving revision 3"',
        '$ systemd-notify --pid=42 "STATUS=drift repaired"',
        "$ systemd-notify --pid=42 STOPPING=1 STATUS=stopping",
      ].join("\n"),
    );
  });

  it("pings the watchdog at a third of WATCHDOG_USEC, only when meant for us", () => {
    const env = { NOTIFY_SOCKET: "/s", WATCHDOG_USEC: "30000000" };
    const exec = new FakeExec();
    expect(new SdNotify({ exec, logger, env, pid: 42 }).watchdogIntervalMs()).toBe(10_000);
    expect(
      new SdNotify({
        exec,
        logger,
        env: { ...env, WATCHDOG_PID: "7" },
        pid: 42,
      }).watchdogIntervalMs(),
    ).toBeUndefined();
    const n = new SdNotify({ exec, logger, env: { ...env, WATCHDOG_PID: "42" }, pid: 42 });
    expect(n.startWatchdog()).toBe(10_000);
    n.stopWatchdog();
    expect(exec.dump()).toBe("$ systemd-notify --pid=42 WATCHDOG=1");
  });

  it("survives a failing systemd-notify", async () => {
    const exec = new FakeExec().on("systemd-notify", [], { code: 1, stderr: "No such socket" });
    await new SdNotify({ exec, logger, env: { NOTIFY_SOCKET: "/s" } }).ready("x");
  });
});
