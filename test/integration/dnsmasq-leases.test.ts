/**
 * Real dnsmasq under the supervisor, in throwaway namespaces: a server
 * namespace with a bridge (10.88.0.1/24) and two client namespaces running
 * busybox udhcpc. The config is the renderer's; lease events travel through
 * the real hook script and FIFO into the tracker.
 *
 * Root only. Every namespace carries a random prefix and is removed in
 * afterEach, whatever happened.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { BoundSpec, StaticLease } from "../../agent/src/model/types.js";
import { dnsmasqPaths, renderDnsmasq } from "../../agent/src/render/dnsmasq.js";
import { DnsmasqSupervisor } from "../../agent/src/runtime/dnsmasq-supervisor.js";
import { RealExec } from "../../agent/src/runtime/exec.js";
import { DiskFileStore } from "../../agent/src/runtime/file-store.js";
import { LeaseTracker, leaseContextFromSpec } from "../../agent/src/runtime/lease-tracker.js";
import { LeaseWatcher } from "../../agent/src/runtime/lease-watcher.js";
import type { DnsmasqState, LeaseEvent } from "../../agent/src/runtime/router-runtime.js";
import { type MemoryLogger, memoryLogger } from "../support/memory-logger.js";
import {
  addAddress,
  addBridge,
  addNamespace,
  addVeth,
  cleanupStale,
  nsRun,
  randomPrefix,
  setMaster,
} from "../support/netns.js";
import { seedSpec } from "../support/runtime-specs.js";

const ROOT = process.getuid?.() === 0;
const MAC1 = "02:00:00:00:00:c1";
const MAC2 = "02:00:00:00:00:c2";

/** Our own children that have exited but were not reaped. */
function zombieChildren(): string[] {
  const out: string[] = [];
  for (const pid of readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue;
    }
    // pid (comm) state ppid ...; comm may contain spaces, so split after the last ")".
    const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (state === "Z" && Number(ppid) === process.pid)
      out.push(stat.slice(0, stat.lastIndexOf(")") + 1));
  }
  return out;
}

function boundSpec(staticLeases: StaticLease[] = []): BoundSpec {
  const spec = seedSpec();
  const lan = spec.lans[0];
  if (!lan?.dhcp) throw new Error("seed spec has no DHCP LAN");
  lan.dhcp.static_leases = staticLeases;
  return {
    ...spec,
    // No upstreams: nothing in the test may leave the namespaces.
    dns: { ...spec.dns, upstreams: [] },
    lans: [{ ...lan, name: "lan", ifname: "br-lan" }],
  };
}

interface Rig {
  prefix: string;
  srv: string;
  dir: string;
  mem: MemoryLogger;
  supervisor: DnsmasqSupervisor;
  tracker: LeaseTracker;
  watcher: LeaseWatcher;
  events: LeaseEvent[];
  leaseFile: string;
  writeConfig(spec: BoundSpec): Promise<void>;
  /** Runs udhcpc in client namespace `c1`/`c2`; resolves with the address it was given. */
  dhcp(client: "c1" | "c2", hostname: string): Promise<string>;
  nextEvent(pred: (e: LeaseEvent) => boolean): Promise<LeaseEvent>;
  nextState(pred: (s: DnsmasqState) => boolean): Promise<DnsmasqState>;
}

describe.skipIf(!ROOT)("dnsmasq supervision and lease events (real dnsmasq, netns)", () => {
  let rig: Rig | undefined;
  const teardown: Array<() => Promise<void> | void> = [];

  beforeEach(async () => {
    const prefix = randomPrefix();
    teardown.push(() => cleanupStale(prefix).then(() => undefined));
    const srv = `${prefix}-srv`;
    await addNamespace(srv);
    await addBridge(srv, "br-lan");
    await addAddress(srv, "br-lan", "10.88.0.1/24");
    for (const [name, mac] of [
      ["c1", MAC1],
      ["c2", MAC2],
    ] as const) {
      await addNamespace(`${prefix}-${name}`);
      await addVeth(
        { ns: srv, ifname: `p-${name}` },
        { ns: `${prefix}-${name}`, ifname: "eth0", mac },
      );
      await setMaster(srv, `p-${name}`, "br-lan");
    }

    const dir = mkdtempSync(join(tmpdir(), "ra-dnsmasq-"));
    teardown.push(() => rmSync(dir, { recursive: true, force: true }));
    // dnsmasq drops root after start: its files must be reachable by its user.
    chmodSync(dir, 0o755);
    const layout = { dir: join(dir, "dnsmasq"), leaseScript: join(dir, "lease-hook") };
    const fifoPath = join(dir, "run", "lease-events");
    const files = new DiskFileStore();
    const writeConfig = async (spec: BoundSpec) => {
      for (const f of renderDnsmasq(spec, layout)) await files.write(f.path, f.content);
    };
    const spec = boundSpec();
    await writeConfig(spec);

    const mem = memoryLogger();
    const exec = new RealExec({ prefix: ["ip", "netns", "exec", srv] });
    const supervisor = new DnsmasqSupervisor({
      confFile: dnsmasqPaths(layout).conf,
      spawnPrefix: ["ip", "netns", "exec", srv],
      logger: mem.logger.child({ component: "dnsmasq" }),
      backoff: { initialMs: 100, maxMs: 1_000 },
    });
    teardown.push(() => supervisor.stop());
    const tracker = new LeaseTracker({ logger: mem.logger.child({ component: "leases" }) });
    tracker.setContext(leaseContextFromSpec(spec));
    const events: LeaseEvent[] = [];
    tracker.subscribe((e) => events.push(e));
    const leaseFile = dnsmasqPaths(layout).leases;
    // No periodic reconcile: every event seen below was pushed by the hook.
    const watcher = new LeaseWatcher({
      tracker,
      fifoPath,
      leaseFile,
      hookPath: layout.leaseScript,
      exec,
      logger: mem.logger.child({ component: "leases" }),
      reconcileIntervalMs: 0,
    });
    teardown.push(() => watcher.stop());
    await watcher.start();

    rig = {
      prefix,
      srv,
      dir,
      mem,
      supervisor,
      tracker,
      watcher,
      events,
      leaseFile,
      writeConfig,
      async dhcp(client, hostname) {
        const out = join(dir, `${client}.ip`);
        const script = join(dir, `${client}.udhcpc`);
        writeFileSync(script, `#!/bin/sh\n[ "$1" = bound ] && echo "$ip" > '${out}'\nexit 0\n`);
        chmodSync(script, 0o755);
        await nsRun(
          `${prefix}-${client}`,
          "busybox",
          [
            "udhcpc",
            "-f",
            "-q",
            "-n",
            "-i",
            "eth0",
            "-s",
            script,
            "-t",
            "10",
            "-T",
            "1",
            "-x",
            `hostname:${hostname}`,
          ],
          { timeoutMs: 30_000 },
        );
        return readFileSync(out, "utf8").trim();
      },
      nextEvent(pred) {
        return new Promise((resolve) => {
          const off = tracker.subscribe((e) => {
            if (pred(e)) {
              off();
              resolve(e);
            }
          });
        });
      },
      nextState(pred) {
        return new Promise((resolve) => {
          const off = supervisor.onState((s) => {
            if (pred(s)) {
              off();
              resolve(s);
            }
          });
        });
      },
    };
    await supervisor.ensureRunning();
  });

  afterEach(async () => {
    const errors: unknown[] = [];
    for (const fn of teardown.splice(0).reverse()) {
      try {
        await fn();
      } catch (err) {
        errors.push(err);
      }
    }
    rig = undefined;
    if (errors.length > 0) throw new AggregateError(errors, "teardown failed");
  });

  it("a client's lease reaches the tracker as a pushed add event, and dnsmasq's log reaches pino", async () => {
    const r = rig as Rig;
    const pid = r.supervisor.state().pid as number;
    // The PID the supervisor signals is dnsmasq's own, through `ip netns exec`.
    expect(readFileSync(`/proc/${pid}/comm`, "utf8").trim()).toBe("dnsmasq");
    const added = r.nextEvent((e) => e.action === "add" && e.lease.mac === MAC1);
    const ip = await r.dhcp("c1", "laptop");
    const ev = await added;
    expect(ev.lease).toMatchObject({
      mac: MAC1,
      ip,
      hostname: "laptop",
      kind: "dynamic",
      lan: "lan",
    });
    expect(ev.lease.expiresAt).toBeGreaterThan(Math.floor(Date.now() / 1000));
    expect(r.tracker.snapshot()).toEqual([ev.lease]);
    expect(r.watcher.stats().dropped).toBe(0);

    const ack = await r.mem.waitFor((rec) => rec.dhcp === "DHCPACK" && rec.mac === MAC1);
    expect(ack).toMatchObject({
      component: "dnsmasq",
      program: "dnsmasq-dhcp",
      dnsmasqPid: pid,
      ip,
      level: 30,
    });
    const started = await r.mem.waitFor((rec) => String(rec.msg).startsWith("started, version"));
    expect(started.component).toBe("dnsmasq");
  });

  it("kill -9 of dnsmasq: the supervisor restarts it and a new client still gets a lease", async () => {
    const r = rig as Rig;
    await r.dhcp("c1", "first");
    const pid = r.supervisor.state().pid as number;
    const down = r.nextState((s) => !s.running);
    const back = r.nextState((s) => s.running && s.pid !== pid);
    process.kill(pid, "SIGKILL");
    await down;
    const st = await back;
    expect(st.restarts).toBe(1);
    expect(zombieChildren()).toEqual([]);

    const added = r.nextEvent((e) => e.action === "add" && e.lease.mac === MAC2);
    const ip = await r.dhcp("c2", "second");
    expect((await added).lease.ip).toBe(ip);
    // The first lease survived the crash: it is in the restarted dnsmasq's lease file.
    expect(
      r.tracker
        .snapshot()
        .map((l) => l.mac)
        .sort(),
    ).toEqual([MAC1, MAC2]);
    expect(readFileSync(r.leaseFile, "utf8")).toContain(MAC1);
  });

  it("a static-lease change is picked up without restarting dnsmasq", async () => {
    const r = rig as Rig;
    const pid = r.supervisor.state().pid;
    const spec = boundSpec([{ mac: MAC2, ip: "10.88.0.10", hostname: "printer" }]);
    // Only dhcp-hosts.d changes; inotify picks up the new line.
    await r.writeConfig(spec);
    await r.mem.waitFor(
      (rec) => rec.msg === `read ${join(r.dir, "dnsmasq", "dhcp-hosts.d", "static")}`,
    );
    r.tracker.setContext(leaseContextFromSpec(spec));
    const added = r.nextEvent((e) => e.action === "add" && e.lease.mac === MAC2);
    expect(await r.dhcp("c2", "printer")).toBe("10.88.0.10");
    expect((await added).lease).toMatchObject({ ip: "10.88.0.10", kind: "static", lan: "lan" });
    // A SIGHUP (what a changed or removed lease needs) keeps the PID too.
    await r.supervisor.reload();
    expect(r.supervisor.state()).toMatchObject({ running: true, pid, restarts: 0 });
    await r.mem.waitFor((rec) => rec.msg === "dnsmasq reloaded (SIGHUP)" && rec.dnsmasqPid === pid);
  });

  it("leases survive a dnsmasq restart and a fresh tracker recovers them from the lease file", async () => {
    const r = rig as Rig;
    const ip = await r.dhcp("c1", "keeper");
    const pid = r.supervisor.state().pid;
    await r.supervisor.restart();
    expect(r.supervisor.state().pid).not.toBe(pid);
    expect(r.supervisor.state().restarts).toBe(0);
    // The same client asking again gets the same address back.
    expect(await r.dhcp("c1", "keeper")).toBe(ip);

    // An agent restart: a new tracker fills itself from the file alone.
    const fresh = new LeaseTracker({ logger: r.mem.logger });
    fresh.setContext(leaseContextFromSpec(boundSpec()));
    const w = new LeaseWatcher({
      tracker: fresh,
      fifoPath: join(r.dir, "run", "other-events"),
      leaseFile: r.leaseFile,
      exec: new RealExec(),
      logger: r.mem.logger,
      reconcileIntervalMs: 0,
    });
    try {
      await w.start();
      expect(fresh.snapshot()).toEqual([
        expect.objectContaining({ mac: MAC1, ip, hostname: "keeper", kind: "dynamic", lan: "lan" }),
      ]);
      expect(fresh.since(0)?.map((e) => e.action)).toEqual(["add"]);
    } finally {
      w.stop();
    }
  });
});
