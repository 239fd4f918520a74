import { describe, expect, it } from "vitest";
import type { HookEvent } from "../../../agent/src/runtime/lease-hook.js";
import { LeaseTracker, leaseContextFromSpec } from "../../../agent/src/runtime/lease-tracker.js";
import type { LeaseEvent } from "../../../agent/src/runtime/router-runtime.js";
import { memoryLogger } from "../../support/memory-logger.js";

const MAC1 = "aa:bb:cc:00:00:01";
const MAC2 = "aa:bb:cc:00:00:02";

function tracker(replayLimit?: number) {
  let now = 1_700_000_000_000;
  const t = new LeaseTracker({
    logger: memoryLogger().logger,
    now: () => now,
    ...(replayLimit ? { replayLimit } : {}),
  });
  t.setContext({
    lans: [
      { name: "lan", address: "10.88.0.1/24" },
      { name: "guest", address: "10.89.0.1/24" },
    ],
    staticLeases: [{ mac: MAC2, ip: "10.88.0.10" }],
  });
  const seen: LeaseEvent[] = [];
  t.subscribe((e) => seen.push(e));
  return { t, seen, tick: (ms: number) => (now += ms) };
}

function ev(
  action: HookEvent["action"],
  mac: string,
  ip: string,
  extra: Partial<HookEvent> = {},
): HookEvent {
  return { action, mac, ip, tags: [], expires: 1_700_043_200, ...extra };
}

describe("LeaseTracker", () => {
  it("tracks add, old and del from the hook, labelling lan and kind", () => {
    const { t, seen } = tracker();
    t.applyHookEvent(ev("add", MAC1, "10.88.0.57", { hostname: "laptop" }));
    t.applyHookEvent(ev("add", MAC2, "10.88.0.10"));
    t.applyHookEvent(ev("add", "aa:bb:cc:00:00:03", "192.0.2.5"));
    expect(t.snapshot()).toEqual([
      { mac: MAC2, ip: "10.88.0.10", expiresAt: 1_700_043_200, kind: "static", lan: "lan" },
      {
        mac: MAC1,
        ip: "10.88.0.57",
        hostname: "laptop",
        expiresAt: 1_700_043_200,
        kind: "dynamic",
        lan: "lan",
      },
      { mac: "aa:bb:cc:00:00:03", ip: "192.0.2.5", expiresAt: 1_700_043_200, kind: "dynamic" },
    ]);
    t.applyHookEvent(ev("old", MAC1, "10.88.0.57", { hostname: "renamed" }));
    t.applyHookEvent(ev("del", MAC1, "10.88.0.57"));
    expect(seen.map((e) => [e.seq, e.action, e.lease.ip])).toEqual([
      [1, "add", "10.88.0.57"],
      [2, "add", "10.88.0.10"],
      [3, "add", "192.0.2.5"],
      [4, "old", "10.88.0.57"],
      [5, "del", "10.88.0.57"],
    ]);
    expect(seen[3]?.lease.hostname).toBe("renamed");
    expect(seen[4]?.lease).toMatchObject({ mac: MAC1, hostname: "renamed", lan: "lan" });
    expect(t.lastSeq()).toBe(5);
    expect(t.snapshot().map((l) => l.ip)).toEqual(["10.88.0.10", "192.0.2.5"]);
  });

  it("is dynamic when the MAC is static but the IP is not its fixed one", () => {
    const { t } = tracker();
    t.applyHookEvent(ev("add", MAC2, "10.88.0.99"));
    expect(t.snapshot()[0]?.kind).toBe("dynamic");
  });

  it("emits nothing for repeats that change nothing (dnsmasq start, SIGHUP)", () => {
    const { t, seen } = tracker();
    t.applyHookEvent(ev("add", MAC1, "10.88.0.57"));
    t.applyHookEvent(ev("old", MAC1, "10.88.0.57"));
    t.applyHookEvent(ev("add", MAC1, "10.88.0.57"));
    t.applyHookEvent(ev("del", MAC1, "10.88.0.99"));
    expect(seen).toHaveLength(1);
    expect(t.lastSeq()).toBe(1);
  });

  it("emits synchronously, inside applyHookEvent", () => {
    const { t, seen } = tracker();
    const returned = t.applyHookEvent(ev("add", MAC1, "10.88.0.57"));
    expect(seen).toHaveLength(1);
    expect(returned).toEqual(seen[0]);
  });

  it("derives the expiry from the time remaining when the absolute one is missing, 0 when neither", () => {
    const { t } = tracker();
    t.applyHookEvent({ action: "add", mac: MAC1, ip: "10.88.0.57", tags: [], remaining: 60 });
    t.applyHookEvent({ action: "add", mac: MAC2, ip: "10.88.0.58", tags: [] });
    expect(t.snapshot().map((l) => l.expiresAt)).toEqual([1_700_000_060, 0]);
  });

  it("hands subscribers copies and survives a throwing subscriber", () => {
    const { t, seen } = tracker();
    t.subscribe(() => {
      throw new Error("boom");
    });
    t.subscribe((e) => {
      e.lease.ip = "mutated";
    });
    t.applyHookEvent(ev("add", MAC1, "10.88.0.57"));
    expect(seen[0]?.lease.ip).toBe("10.88.0.57");
    expect(t.snapshot()[0]?.ip).toBe("10.88.0.57");
    expect(t.since(0)?.[0]?.lease.ip).toBe("10.88.0.57");
  });

  it("stops delivering after unsubscribe", () => {
    const { t } = tracker();
    const got: LeaseEvent[] = [];
    const off = t.subscribe((e) => got.push(e));
    t.applyHookEvent(ev("add", MAC1, "10.88.0.57"));
    off();
    t.applyHookEvent(ev("del", MAC1, "10.88.0.57"));
    expect(got).toHaveLength(1);
  });

  describe("since", () => {
    it("returns the events after a seq, [] when up to date", () => {
      const { t } = tracker();
      expect(t.since(0)).toEqual([]);
      for (let i = 0; i < 5; i++) t.applyHookEvent(ev("add", MAC1, `10.88.0.${50 + i}`));
      expect(t.since(0)?.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
      expect(t.since(3)?.map((e) => e.seq)).toEqual([4, 5]);
      expect(t.since(5)).toEqual([]);
    });

    it("returns undefined once the buffer no longer reaches back", () => {
      const { t } = tracker(3);
      for (let i = 0; i < 5; i++) t.applyHookEvent(ev("add", MAC1, `10.88.0.${50 + i}`));
      // Buffer holds 3, 4, 5.
      expect(t.since(2)?.map((e) => e.seq)).toEqual([3, 4, 5]);
      expect(t.since(1)).toBeUndefined();
      expect(t.since(0)).toBeUndefined();
    });

    it("returns undefined for seqs this process never issued", () => {
      const { t } = tracker();
      t.applyHookEvent(ev("add", MAC1, "10.88.0.50"));
      expect(t.since(2)).toBeUndefined();
      expect(t.since(-1)).toBeUndefined();
      expect(t.since(0.5)).toBeUndefined();
    });
  });

  describe("reconcile", () => {
    it("emits add, old and del for the differences with the lease file", () => {
      const { t, seen } = tracker();
      t.applyHookEvent(ev("add", MAC1, "10.88.0.57", { hostname: "a" }));
      t.applyHookEvent(ev("add", MAC1, "10.88.0.58"));
      seen.length = 0;
      const out = t.reconcile([
        { expiresAt: 1_700_043_200, mac: MAC1, ip: "10.88.0.57", hostname: "a" }, // same
        { expiresAt: 1_700_050_000, mac: MAC1, ip: "10.88.0.58" }, // renewed
        { expiresAt: 0, mac: MAC2, ip: "10.88.0.10" }, // new
      ]);
      expect(out).toEqual(seen);
      expect(seen.map((e) => [e.action, e.lease.ip])).toEqual([
        ["old", "10.88.0.58"],
        ["add", "10.88.0.10"],
      ]);
      expect(
        t
          .reconcile([{ expiresAt: 0, mac: MAC2, ip: "10.88.0.10" }])
          .map((e) => [e.action, e.lease.ip]),
      ).toEqual([
        ["del", "10.88.0.57"],
        ["del", "10.88.0.58"],
      ]);
      expect(t.reconcile([{ expiresAt: 0, mac: MAC2, ip: "10.88.0.10" }])).toEqual([]);
    });

    it("absorbs a late hook event for a change the file already showed", () => {
      const { t, seen } = tracker();
      t.reconcile([{ expiresAt: 1_700_043_200, mac: MAC1, ip: "10.88.0.57" }]);
      t.applyHookEvent(ev("add", MAC1, "10.88.0.57"));
      t.reconcile([]);
      t.applyHookEvent(ev("del", MAC1, "10.88.0.57"));
      expect(seen.map((e) => e.action)).toEqual(["add", "del"]);
    });
  });

  it("re-labels leases as old when the static leases or LANs change", () => {
    const { t, seen } = tracker();
    t.applyHookEvent(ev("add", MAC1, "10.88.0.57"));
    t.applyHookEvent(ev("add", MAC2, "10.88.0.10"));
    seen.length = 0;
    t.setContext({
      lans: [{ name: "lan", address: "10.88.0.1/24" }],
      staticLeases: [{ mac: MAC1, ip: "10.88.0.57" }],
    });
    expect(seen.map((e) => [e.action, e.lease.ip, e.lease.kind])).toEqual([
      ["old", "10.88.0.57", "static"],
      ["old", "10.88.0.10", "dynamic"],
    ]);
  });

  it("builds its context from a spec", () => {
    expect(
      leaseContextFromSpec({
        lans: [
          {
            name: "lan",
            interface: { auto: true },
            address: "10.88.0.1/24",
            allow_lans: [],
            blocked_destinations: [],
            dhcp: {
              ranges: [],
              lease_time: "12h",
              router: "10.88.0.1",
              dns_servers: [],
              options: [],
              static_leases: [{ mac: "AA:BB:CC:00:00:01", ip: "10.88.0.10", hostname: "p" }],
            },
          },
          {
            name: "iot",
            interface: { name: "eth2" },
            address: "10.90.0.1/24",
            allow_lans: [],
            blocked_destinations: [],
          },
        ],
      }),
    ).toEqual({
      lans: [
        { name: "lan", address: "10.88.0.1/24" },
        { name: "iot", address: "10.90.0.1/24" },
      ],
      staticLeases: [{ mac: MAC1, ip: "10.88.0.10" }],
    });
  });
});
