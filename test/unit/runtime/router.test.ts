import pino from "pino";
import { describe, expect, it } from "vitest";
import type { RouterSpec } from "../../../agent/src/model/types.js";
import { FakeClock } from "../../../agent/src/runtime/fake-clock.js";
import { Router, type RouterOptions } from "../../../agent/src/runtime/router.js";
import type {
  ApplyOutcome,
  ApplyRequest,
  RouterStatus,
} from "../../../agent/src/runtime/router-runtime.js";
import { FakeOs, linksAllUp } from "../../support/fake-os.js";
import { lan, seedSpec, specWith } from "../../support/runtime-specs.js";

const STATE = "/var/lib/router-agent";

const A = seedSpec();
const B = specWith((s) => {
  s.dns.upstreams = ["9.9.9.9"];
});
const C = specWith((s) => {
  s.lans = [lan("lan1", "ens7", 1), lan("lan2", "ens8", 2)];
});

function newRouter(os: FakeOs, clock: FakeClock, extra: Partial<RouterOptions> = {}) {
  let n = 0;
  return new Router({
    stateDir: STATE,
    runtimeDir: "/run/router-agent",
    leaseScript: "/usr/lib/router-agent/lease-hook",
    exec: os.exec,
    files: os.files,
    dnsmasq: os.dnsmasq,
    logger: pino({ level: "silent" }),
    clock,
    newCommitId: () => `commit-${++n}`,
    retry: { initialMs: 1_000, maxMs: 8_000 },
    ...extra,
  });
}

/** Links start up: the agent never takes one down, so dumps do not depend on history. */
async function setup(extra: Partial<RouterOptions> = {}) {
  const os = new FakeOs(linksAllUp());
  const clock = new FakeClock();
  const router = newRouter(os, clock, extra);
  await router.start();
  return { os, clock, router };
}

function req(spec: unknown, extra: Partial<ApplyRequest> = {}): ApplyRequest {
  return { spec, generation: 1, dryRun: false, reason: "test", actor: "tester", ...extra };
}

function applied(o: ApplyOutcome) {
  if (o.kind !== "applied") throw new Error(`expected applied, got ${JSON.stringify(o)}`);
  return o;
}

/** The machine state each spec leaves on a fresh router. */
async function dumpOf(spec: RouterSpec): Promise<string> {
  const { os, router } = await setup();
  applied(await router.apply(req(spec)));
  return os.dump();
}

function condition(status: RouterStatus, type: string) {
  return status.conditions.find((c) => c.type === type);
}

describe("Router.apply", () => {
  it("starts with nothing applied, then applies, persists and reports", async () => {
    const { os, router } = await setup();
    expect(router.status()).toMatchObject({ appliedRevision: 0, appliedHash: "" });
    expect(condition(router.status(), "Ready")).toMatchObject({
      status: false,
      reason: "NoDesiredState",
    });
    const o = applied(await router.apply(req(A, { generation: 7 })));
    expect(o.revision).toMatchObject({
      revision: 1,
      generation: 7,
      actor: "tester",
      reason: "test",
    });
    expect(o.plan.noop).toBe(false);
    expect(Object.keys(o.timings)).toContain("validate");
    expect(router.status()).toMatchObject({
      appliedRevision: 1,
      appliedGeneration: 7,
      appliedHash: o.revision.hash,
    });
    expect(condition(router.status(), "Ready")).toMatchObject({
      status: true,
      reason: "Applied",
      observedGeneration: 7,
    });
    expect(JSON.parse((await os.files.read(`${STATE}/last-good.json`)) as string).revision).toBe(1);
    expect(router.history().map((r) => r.revision)).toEqual([1]);
  });

  it("reports validation errors and changes nothing", async () => {
    const { os, router } = await setup();
    const o = await router.apply(req({ wan: { interface: "eth0" }, lans: [], bogus: 1 }));
    expect(o.kind).toBe("invalid");
    expect(o.kind === "invalid" && o.errors.map((e) => e.path)).toContain("bogus");
    expect(os.exec.calls).toEqual([]);
    expect(router.history()).toEqual([]);
  });

  it("fills in the WAN interface from the agent config", async () => {
    const { router } = await setup({ wanInterface: "eth0" });
    const { wan: _wan, ...noWan } = A;
    const o = applied(await router.apply(req({ ...noWan, wan: { masquerade: true } })));
    expect(o.revision.spec.wan.interface).toBe("eth0");
  });

  it("re-applying the same state is a no-op that adds no revision", async () => {
    const { os, router } = await setup();
    applied(await router.apply(req(A)));
    os.exec.clear();
    const o = applied(await router.apply(req(A, { generation: 2 })));
    expect(o.plan.noop).toBe(true);
    expect(o.revision.revision).toBe(1);
    expect(os.exec.calls).toEqual([]);
    expect(router.history()).toHaveLength(1);
  });

  it("a dry run returns the plan and touches nothing", async () => {
    const { os, router } = await setup();
    applied(await router.apply(req(A)));
    const before = os.dump();
    const o = await router.apply(req(B, { dryRun: true }));
    expect(o.kind).toBe("dry-run");
    expect(o.kind === "dry-run" && o.plan.dnsmasqAction).toBe("sighup");
    expect(os.dump()).toBe(before);
    expect(router.history()).toHaveLength(1);
  });

  it("a failed apply keeps the previous state and status", async () => {
    const { os, router } = await setup();
    applied(await router.apply(req(A)));
    const before = os.dump();
    const status = router.status();
    os.failNext.add("nft-apply");
    const o = await router.apply(req(C, { generation: 2 }));
    expect(o).toMatchObject({
      kind: "failed",
      step: "nft",
      rolledBack: true,
      stderr: /Could not process rule/,
    });
    expect(os.dump()).toBe(before);
    expect(router.status()).toEqual(status);
    expect(router.history()).toHaveLength(1);
  });

  it("serializes concurrent applies", async () => {
    const { os, router } = await setup();
    const [a, b, c] = await Promise.all([
      router.apply(req(A, { generation: 1 })),
      router.apply(req(B, { generation: 2 })),
      router.apply(req(C, { generation: 3 })),
    ]);
    expect([a, b, c].map((o) => applied(o).revision.revision)).toEqual([1, 2, 3]);
    expect(router.status().appliedGeneration).toBe(3);
    expect(os.dump()).toBe(await dumpOf(C));
  });
});

describe("Router commit-confirm", () => {
  it("rolls back when the window passes without a confirm", async () => {
    const { os, clock, router } = await setup();
    applied(await router.apply(req(A)));
    const o = applied(await router.apply(req(C, { generation: 2, confirmWithinMs: 60_000 })));
    expect(o.pendingCommit).toEqual({
      commitId: "commit-1",
      deadline: new Date(clock.now() + 60_000).toISOString(),
      rollbackTo: 1,
    });
    expect(condition(router.status(), "AwaitingConfirm")).toMatchObject({
      status: true,
      reason: "CommitPending",
    });
    expect(os.dump()).toBe(await dumpOf(C));

    await clock.advance(59_000);
    expect(router.status().appliedRevision).toBe(2);
    await clock.advance(1_000);
    expect(os.dump()).toBe(await dumpOf(A));
    const status = router.status();
    expect(status.pendingCommit).toBeUndefined();
    expect(status.appliedRevision).toBe(3);
    expect(condition(status, "AwaitingConfirm")).toMatchObject({
      status: false,
      reason: "RolledBack",
    });
    expect(
      router.history().map((r) => [r.revision, r.hash === router.history()[2]?.hash, r.actor]),
    ).toEqual([
      [3, true, "commit-confirm"],
      [2, false, "tester"],
      [1, true, "tester"],
    ]);
    expect(await os.files.read(`${STATE}/pending-commit.json`)).toBeUndefined();
    expect(JSON.parse((await os.files.read(`${STATE}/last-good.json`)) as string).revision).toBe(3);
  });

  it("refuses another push during the window unless it carries the commit id", async () => {
    const { router } = await setup();
    applied(await router.apply(req(A)));
    applied(await router.apply(req(B, { confirmWithinMs: 60_000 })));
    expect(await router.apply(req(C))).toMatchObject({ kind: "refused", code: "commit-pending" });
    expect(await router.rollback(1, "x", "y")).toMatchObject({
      kind: "refused",
      code: "commit-pending",
    });
    const o = applied(
      await router.apply(req(C, { commitId: "commit-1", confirmWithinMs: 30_000 })),
    );
    expect(o.pendingCommit?.rollbackTo).toBe(1);
    expect((await router.apply(req(C, { dryRun: true }))).kind).toBe("dry-run");
  });

  it("keeps the new state once confirmed", async () => {
    const { os, clock, router } = await setup();
    applied(await router.apply(req(A)));
    applied(await router.apply(req(C, { confirmWithinMs: 60_000 })));
    expect(await router.confirm("tester", "wrong")).toMatchObject({
      kind: "refused",
      code: "no-pending-commit",
    });
    applied(await router.confirm("tester", "commit-1"));
    await clock.advance(120_000);
    expect(os.dump()).toBe(await dumpOf(C));
    expect(router.status().pendingCommit).toBeUndefined();
    expect(JSON.parse((await os.files.read(`${STATE}/last-good.json`)) as string).revision).toBe(2);
    expect(await router.confirm("tester")).toMatchObject({
      kind: "refused",
      code: "no-pending-commit",
    });
  });

  it("cancel rolls back at once; extend moves the deadline", async () => {
    const { os, clock, router } = await setup();
    applied(await router.apply(req(A)));
    applied(await router.apply(req(C, { confirmWithinMs: 10_000 })));
    await clock.advance(9_000);
    const e = applied(await router.extend("tester", 10_000));
    expect(e.pendingCommit?.deadline).toBe(new Date(clock.now() + 10_000).toISOString());
    await clock.advance(9_000);
    expect(os.dump()).toBe(await dumpOf(C));
    applied(await router.cancel("tester"));
    expect(os.dump()).toBe(await dumpOf(A));
    expect(router.history()[0]?.reason).toBe("commit commit-1 cancelled by tester");
  });

  it("a restart inside the window rolls back before anything else", async () => {
    const os = new FakeOs(linksAllUp());
    const clock = new FakeClock();
    const first = newRouter(os, clock);
    await first.start();
    applied(await first.apply(req(A)));
    applied(await first.apply(req(C, { confirmWithinMs: 60_000 })));
    await first.stop();
    await clock.advance(10_000);

    const second = newRouter(os, clock);
    const o = await second.start();
    expect(o?.kind).toBe("applied");
    expect(os.dump()).toBe(await dumpOf(A));
    expect(second.status()).toMatchObject({ appliedRevision: 3 });
    expect(second.status().pendingCommit).toBeUndefined();
    expect(second.history()[0]?.actor).toBe("agent-start");
  });

  it("an unconfirmed first commit is removed entirely", async () => {
    const os = new FakeOs(linksAllUp());
    os.addForeignTable("ip", "docker");
    const clock = new FakeClock();
    const router = newRouter(os, clock);
    await router.start();
    applied(await router.apply(req(A, { confirmWithinMs: 5_000 })));
    await clock.advance(5_000);
    expect(os.tableNames()).toEqual(["ip docker"]);
    expect(os.links.get("ens7")?.addresses).toEqual([]);
    expect(router.status()).toMatchObject({ appliedRevision: 0 });
    expect(condition(router.status(), "Ready")).toMatchObject({
      status: false,
      reason: "RolledBack",
    });
  });
});

describe("Router start and history", () => {
  it("restores last-good on start", async () => {
    const os = new FakeOs(linksAllUp());
    const clock = new FakeClock();
    const first = newRouter(os, clock);
    await first.start();
    applied(await first.apply(req(A)));
    applied(await first.apply(req(B, { generation: 5 })));
    await first.stop();
    os.exec.clear();

    const second = newRouter(os, clock);
    const o = await second.start();
    expect(o?.kind).toBe("applied");
    expect(second.status()).toMatchObject({ appliedRevision: 2, appliedGeneration: 5 });
    expect(condition(second.status(), "Ready")).toMatchObject({ status: true, reason: "Restored" });
    expect(os.exec.callsOf("nft", ["-j", "-f", "-"])).toHaveLength(1);
    expect(second.history()).toHaveLength(2);
    // The restore runs no new revision, and the same state again is a no-op.
    os.exec.clear();
    expect(applied(await second.apply(req(B))).plan.noop).toBe(true);
    expect(os.exec.calls).toEqual([]);
  });

  it("retries a failed restore with backoff and recovers", async () => {
    const os = new FakeOs(linksAllUp());
    const clock = new FakeClock();
    const first = newRouter(os, clock);
    await first.start();
    applied(await first.apply(req(A)));
    await first.stop();
    const ens7 = os.links.get("ens7");
    os.links.delete("ens7"); // the NIC has not shown up yet after a reboot

    const second = newRouter(os, clock);
    const seen: string[] = [];
    second.onStatus((s) =>
      seen.push(`${condition(s, "Ready")?.reason}/${condition(s, "Degraded")?.reason}`),
    );
    const o = await second.start();
    expect(o?.kind).toBe("invalid");
    expect(condition(second.status(), "Ready")).toMatchObject({
      status: false,
      reason: "RestoreFailed",
    });
    expect(condition(second.status(), "Degraded")?.status).toBe(true);
    await clock.advance(1_000); // first retry: still missing
    os.links.set("ens7", ens7 as never);
    await clock.advance(2_000); // second retry
    expect(condition(second.status(), "Ready")).toMatchObject({ status: true, reason: "Restored" });
    expect(condition(second.status(), "Degraded")?.status).toBe(false);
    expect(seen.at(-1)).toBe("Restored/Recovered");
  });

  it("rolls back to a stored revision as a new revision", async () => {
    const { os, router } = await setup();
    applied(await router.apply(req(A)));
    applied(await router.apply(req(C)));
    expect(await router.rollback(9, "tester", "why")).toMatchObject({
      kind: "refused",
      code: "no-such-revision",
    });
    const o = applied(await router.rollback(1, "ops", "bad change"));
    expect(o.revision).toMatchObject({ revision: 3, actor: "ops", reason: "bad change" });
    expect(os.dump()).toBe(await dumpOf(A));
    // Rolling back to what already runs adds nothing.
    expect(applied(await router.rollback(1, "ops", "again")).revision.revision).toBe(3);
    expect(router.history()).toHaveLength(3);
  });
});

describe("Router conditions and drift", () => {
  it("repairs drift and raises Degraded until the repair succeeds", async () => {
    const { os, router } = await setup();
    applied(await router.apply(req(A)));
    const clean = os.dump();
    const degraded: boolean[] = [];
    const off = router.onStatus((s) => degraded.push(condition(s, "Degraded")?.status ?? false));
    expect((await router.checkDrift()).repaired).toBe(false);
    await os.exec.run("nft", ["-j", "-f", "-"], {
      input: JSON.stringify({
        nftables: [{ delete: { table: { family: "inet", name: "router_agent" } } }],
      }),
    });
    const check = await router.checkDrift();
    expect(check.drift.nft).toContain("table inet router_agent: missing");
    expect(check.repaired).toBe(true);
    expect(os.dump()).toBe(clean);
    expect(degraded).toEqual([true, false]);
    expect(condition(router.status(), "Degraded")?.reason).toBe("DriftRepaired");
    off();
    await router.checkDrift();
    expect(degraded).toHaveLength(2);
  });

  it("DhcpServing follows dnsmasq", async () => {
    const { os, router } = await setup();
    applied(await router.apply(req(A)));
    expect(condition(router.status(), "DhcpServing")).toMatchObject({
      status: true,
      reason: "Running",
    });
    os.dnsmasq.crash();
    expect(condition(router.status(), "DhcpServing")).toMatchObject({
      status: false,
      reason: "DnsmasqDown",
    });
    expect(router.status().dnsmasq.running).toBe(false);
  });
});
