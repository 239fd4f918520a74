import type { ClientDuplexStream } from "@grpc/grpc-js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeStatus } from "../../../agent/src/api/rpc-status.js";
import type { ReconcileRequest } from "../../../proto/gen/router/v1/ReconcileRequest.js";
import type { ReconcileResponse__Output } from "../../../proto/gen/router/v1/ReconcileResponse.js";
import type { RouterAgentClient } from "../../../proto/gen/router/v1/RouterAgent.js";
import {
  eventually,
  type Harness,
  Inbox,
  rawClient,
  settled,
  specFor,
  startHarness,
} from "../../support/api/harness.js";

type Stream = ClientDuplexStream<ReconcileRequest, ReconcileResponse__Output>;

describe("Reconcile", () => {
  let h: Harness;
  let client: RouterAgentClient;
  let stream: Stream;
  let inbox: Inbox<ReconcileResponse__Output>;

  beforeEach(async () => {
    h = await startHarness();
    client = rawClient(h.server.addresses[0] as string);
    stream = client.Reconcile();
    inbox = new Inbox(stream);
  });

  afterEach(async () => {
    stream?.cancel();
    client?.close();
    await h?.close();
  });

  const push = (nonce: string, generation: number, spec: unknown = specFor(), extra = {}) =>
    stream.write({
      desired_state: { nonce, generation, spec: spec as never, reason: `push ${nonce}`, ...extra },
    });
  const nextAck = async () => {
    const m = await inbox.until((m) => m.kind === "ack");
    if (!m.ack) throw new Error("ack without payload");
    return m.ack;
  };

  it("says Hello first, with what runs now", async () => {
    const first = await inbox.next();
    expect(first.kind).toBe("hello");
    expect(first.hello).toMatchObject({
      applied_generation: 0,
      applied_hash: "",
      applied_revision: 0,
      pending_commit: null,
    });
  });

  it("acks a push with the new generation, hash and plan, and streams the status change", async () => {
    await inbox.next();
    push("n1", 1);
    const ack = await nextAck();
    expect(ack).toMatchObject({
      nonce: "n1",
      accepted: true,
      applied_generation: 1,
      applied_revision: 1,
      superseded: false,
    });
    expect(ack.applied_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(ack.plan?.dnsmasq_action).toBe("DNSMASQ_ACTION_RESTART");
    expect(ack.plan?.link_ops).toEqual([
      { op: "ADDR_ADD", ifname: "ens7", address: "10.88.0.1/24" },
    ]);
    const status = h.runtime.status();
    expect(status.appliedHash).toBe(ack.applied_hash);
    // The spec reached the runtime as the YAML-shaped object, unset fields dropped.
    expect(h.runtime.history()[0]?.spec).toEqual(specFor());
    expect(h.runtime.calls[0]).toMatchObject({
      kind: "apply",
      actor: "local",
      generation: 1,
      reason: "push n1",
    });
  });

  it("sends RouterStatus on a condition change caused by anyone", async () => {
    await inbox.next();
    await h.runtime.apply({
      spec: specFor(),
      generation: 7,
      dryRun: false,
      reason: "other",
      actor: "x",
    });
    const st = await inbox.until((m) => m.kind === "status" && m.status?.applied_generation === 7);
    expect(st.status?.conditions.map((c) => c.type)).toEqual(["Ready", "AwaitingConfirm"]);
    expect(st.status?.conditions[0]).toMatchObject({
      status: true,
      reason: "Applied",
      observed_generation: 7,
    });
  });

  it("NACKs an invalid spec with field paths and keeps the last good state", async () => {
    await inbox.next();
    push("good", 1);
    const good = await nextAck();
    push("bad", 2, {
      wan: {},
      lans: [{ name: "lan", interface: { auto: true }, address: "10.88.0.1" }],
    });
    const bad = await nextAck();
    expect(bad.accepted).toBe(false);
    expect(bad.nonce).toBe("bad");
    expect(bad.applied_generation).toBe(1);
    expect(bad.applied_hash).toBe(good.applied_hash);
    expect(bad.applied_revision).toBe(1);
    expect(bad.error?.code).toBe(3);
    const decoded = decodeStatus(bad.error ?? {});
    expect(decoded.fieldViolations).toEqual([
      { path: "wan.interface", message: "required" },
      { path: "lans[0].address", message: '"10.88.0.1" needs a prefix' },
    ]);
    expect(h.runtime.status().appliedHash).toBe(good.applied_hash);
  });

  it("reports a failed apply as ABORTED with ErrorInfo", async () => {
    await inbox.next();
    h.runtime.failNextAt = "nft";
    push("f", 1);
    const ack = await nextAck();
    expect(ack.accepted).toBe(false);
    expect(ack.error?.code).toBe(10);
    expect(decodeStatus(ack.error ?? {}).errorInfo).toMatchObject({
      reason: "APPLY_FAILED",
      domain: "router-agent",
      metadata: { step: "nft", rolled_back: "true", stderr: "Error: boom" },
    });
  });

  it("supersedes a queued push with a newer one: one ack per nonce", async () => {
    await inbox.next();
    const release = h.runtime.hold();
    push("a", 1, specFor("eth0"));
    await eventually(() => h.runtime.calls.length === 1); // "a" is in flight
    push("b", 2, specFor("eth1"));
    push("c", 3, specFor("eth2"));
    push("d", 4, specFor("eth3"));
    const firstTwo = [await nextAck(), await nextAck()];
    expect(firstTwo.map((a) => [a.nonce, a.superseded, a.accepted])).toEqual([
      ["b", true, false],
      ["c", true, false],
    ]);
    release();
    const a = await nextAck();
    const d = await nextAck();
    expect([a.nonce, a.accepted, d.nonce, d.accepted]).toEqual(["a", true, "d", true]);
    expect(d.applied_generation).toBe(4);
    expect(h.runtime.calls.map((c) => c.generation)).toEqual([1, 4]);
    stream.end();
    await settled(stream);
    const acks = inbox.drain().filter((m) => m.kind === "ack");
    expect(acks).toEqual([]);
    const superseded = h.logs().filter((l) => l.audit && l.outcome === "superseded");
    expect(superseded.map((l) => l.generation)).toEqual([2, 3]);
  });

  it("carries a spec with 100k CIDRs (within the message size limit)", async () => {
    await inbox.next();
    const cidrs = Array.from({ length: 100_000 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.0/24`);
    const spec = specFor();
    (spec.lans as Array<Record<string, unknown>>)[0] = {
      ...(spec.lans as Array<Record<string, unknown>>)[0],
      blocked_destinations: cidrs,
    };
    push("big", 1, spec);
    const ack = await nextAck();
    expect(ack.accepted).toBe(true);
    const applied = h.runtime.history()[0]?.spec as unknown as {
      lans: Array<{ blocked_destinations: string[] }>;
    };
    expect(applied.lans[0]?.blocked_destinations).toHaveLength(100_000);
  });

  it("dry run returns the plan without applying", async () => {
    await inbox.next();
    push("dry", 1, specFor(), { dry_run: true });
    const ack = await nextAck();
    expect(ack.accepted).toBe(true);
    expect(ack.plan?.nft_diff).toContain("+table inet router_agent");
    expect(ack.applied_revision).toBe(0);
    expect(h.runtime.history()).toEqual([]);
  });

  it("runs a commit-confirm window: extend, then confirm", async () => {
    await inbox.next();
    push("p", 1, specFor(), { confirm_within: { seconds: 60 } });
    const ack = await nextAck();
    expect(ack.pending_commit?.commit_id).toBe("c1");
    expect(ack.pending_commit?.rollback_to).toBe(0);
    stream.write({ commit_control: { action: "EXTEND", extend_by: { seconds: 600 }, nonce: "e" } });
    const ext = await nextAck();
    expect(ext).toMatchObject({ nonce: "e", accepted: true });
    expect(Number(ext.pending_commit?.deadline?.seconds) * 1000).toBeGreaterThan(
      Date.now() + 500_000,
    );
    stream.write({ commit_control: { action: "CONFIRM", nonce: "c" } });
    const conf = await nextAck();
    expect(conf).toMatchObject({ nonce: "c", accepted: true, pending_commit: null });
    stream.write({ commit_control: { action: "CONFIRM", nonce: "again" } });
    const again = await nextAck();
    expect(again.accepted).toBe(false);
    expect(again.error?.code).toBe(9);
    expect(decodeStatus(again.error ?? {}).errorInfo?.reason).toBe("NO_PENDING_COMMIT");
  });

  it("cancel restores the previous revision", async () => {
    await inbox.next();
    push("one", 1, specFor("eth0"));
    const one = await nextAck();
    push("two", 2, specFor("eth1"), { confirm_within: { seconds: 60 } });
    await nextAck();
    stream.write({ commit_control: { action: "CANCEL", nonce: "x" } });
    const cancelled = await nextAck();
    expect(cancelled.accepted).toBe(true);
    expect(cancelled.applied_hash).toBe(one.applied_hash);
  });

  it("rejects a push without a nonce and a control without an action", async () => {
    await inbox.next();
    push("", 1);
    const noNonce = await nextAck();
    expect(noNonce).toMatchObject({ nonce: "", accepted: false });
    expect(noNonce.error?.message).toBe("nonce is required");
    stream.write({ commit_control: { nonce: "z" } });
    const noAction = await nextAck();
    expect(noAction).toMatchObject({ nonce: "z", accepted: false });
    expect(h.runtime.calls).toEqual([]);
  });

  it("ends the stream after the client half-closes and removes its status watcher", async () => {
    await inbox.next();
    expect(h.runtime.statusListeners).toBe(2); // health + this stream
    push("n", 1);
    stream.end();
    expect(await settled(stream)).toBeUndefined();
    expect(inbox.drain().some((m) => m.kind === "ack" && m.ack?.nonce === "n")).toBe(true);
    await eventually(() => h.runtime.statusListeners === 1);
    expect(h.server.stats().reconcileStreams).toBe(0);
  });

  it("audits every mutating call with who, what, why and outcome", async () => {
    await inbox.next();
    push("n", 5);
    const ack = await nextAck();
    const entry = h.logs().find((l) => l.audit && l.action === "apply");
    expect(entry).toMatchObject({
      component: "audit",
      actor: "local",
      via: "local",
      generation: 5,
      hash: ack.applied_hash,
      revision: 1,
      reason: "push n",
      outcome: "applied",
    });
  });
});
