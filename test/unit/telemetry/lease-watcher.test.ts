import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RealExec } from "../../../agent/src/runtime/exec.js";
import { LeaseTracker } from "../../../agent/src/runtime/lease-tracker.js";
import { LeaseWatcher } from "../../../agent/src/runtime/lease-watcher.js";
import type { LeaseEvent } from "../../../agent/src/runtime/router-runtime.js";
import { type MemoryLogger, memoryLogger } from "../../support/memory-logger.js";

describe("LeaseWatcher (real FIFO and hook, no dnsmasq)", () => {
  let dir: string;
  let mem: MemoryLogger;
  let watcher: LeaseWatcher | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "ra-watch-"));
    mem = memoryLogger();
  });
  afterEach(() => {
    watcher?.stop();
    watcher = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  function make(reconcileIntervalMs = 0) {
    const tracker = new LeaseTracker({ logger: mem.logger });
    tracker.setContext({ lans: [{ name: "lan", address: "10.88.0.1/24" }], staticLeases: [] });
    const events: LeaseEvent[] = [];
    tracker.subscribe((e) => events.push(e));
    watcher = new LeaseWatcher({
      tracker,
      fifoPath: join(dir, "run", "lease-events"),
      leaseFile: join(dir, "leases"),
      hookPath: join(dir, "lease-hook"),
      exec: new RealExec(),
      logger: mem.logger,
      reconcileIntervalMs,
      read: { pauseMs: 1 },
    });
    return { tracker, events, watcher };
  }

  it("installs an executable hook whose events reach the tracker synchronously on arrival", async () => {
    const { tracker, watcher: w } = make();
    await w.start();
    const hook = join(dir, "lease-hook");
    expect(statSync(hook).mode & 0o777).toBe(0o755);
    const arrived = new Promise<LeaseEvent>((resolve) => tracker.subscribe(resolve));
    await new Promise((resolve) =>
      spawn(hook, ["add", "aa:bb:cc:00:00:01", "10.88.0.57", "laptop"], {
        env: { PATH: process.env.PATH ?? "", DNSMASQ_LEASE_EXPIRES: "1796356031" },
        stdio: "ignore",
      }).on("exit", resolve),
    );
    const ev = await arrived;
    expect(ev).toMatchObject({
      seq: 1,
      action: "add",
      lease: {
        mac: "aa:bb:cc:00:00:01",
        ip: "10.88.0.57",
        hostname: "laptop",
        expiresAt: 1796356031,
        lan: "lan",
      },
    });
  });

  it("reconciles with the lease file at start, and skips a missing file", async () => {
    writeFileSync(
      join(dir, "leases"),
      "1796356031 aa:bb:cc:00:00:01 10.88.0.57 laptop *\nrubbish\n",
    );
    const { tracker, events, watcher: w } = make();
    await w.start();
    expect(tracker.snapshot().map((l) => l.ip)).toEqual(["10.88.0.57"]);
    expect(events.map((e) => e.action)).toEqual(["add"]);
    rmSync(join(dir, "leases"));
    expect(await w.reconcileNow()).toEqual([]);
    expect(tracker.snapshot()).toHaveLength(1);
  });

  it("reconciles periodically", async () => {
    const { events, watcher: w } = make(20);
    await w.start();
    expect(events).toEqual([]);
    const seen = new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (events.length > 0) {
          clearInterval(t);
          resolve();
        }
      }, 5);
    });
    writeFileSync(join(dir, "leases"), "0 aa:bb:cc:00:00:02 10.88.0.60 * *\n");
    await seen;
    expect(events[0]).toMatchObject({ action: "add", lease: { ip: "10.88.0.60", expiresAt: 0 } });
  });

  it("shares one run between concurrent reconcile calls", async () => {
    writeFileSync(join(dir, "leases"), "0 aa:bb:cc:00:00:02 10.88.0.60 * *\n");
    const { watcher: w } = make();
    await w.start();
    const a = w.reconcileNow();
    const b = w.reconcileNow();
    expect(a).toBe(b);
    await a;
  });
});
