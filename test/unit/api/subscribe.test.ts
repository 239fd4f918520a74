import type { ClientReadableStream } from "@grpc/grpc-js";
import { afterEach, describe, expect, it } from "vitest";
import type { Event__Output } from "../../../proto/gen/router/v1/Event.js";
import type { RouterAgentClient } from "../../../proto/gen/router/v1/RouterAgent.js";
import { leaseFor } from "../../support/api/fake-sources.js";
import {
  eventually,
  type Harness,
  Inbox,
  rawClient,
  settled,
  startHarness,
} from "../../support/api/harness.js";

describe("Subscribe", () => {
  let h: Harness | undefined;
  let client: RouterAgentClient | undefined;
  const streams: ClientReadableStream<Event__Output>[] = [];

  afterEach(async () => {
    for (const s of streams.splice(0)) s.cancel();
    client?.close();
    client = undefined;
    await h?.close();
    h = undefined;
  });

  async function open(req: Parameters<RouterAgentClient["Subscribe"]>[0], limits = {}) {
    h ??= await startHarness({ limits, leaseBuffer: 10 });
    client ??= rawClient(h.server.addresses[0] as string);
    const stream = client.Subscribe(req);
    streams.push(stream);
    return { stream, inbox: new Inbox<Event__Output>(stream) };
  }

  it("sends the snapshot, then the sync marker, then events, each with a resume token", async () => {
    h = await startHarness();
    h.leases.emit("add", leaseFor(1));
    h.leases.emit("add", leaseFor(2));
    const { inbox } = await open({ leases: true });
    const snap = await inbox.next();
    expect(snap.kind).toBe("lease_snapshot");
    expect(snap.lease_snapshot?.leases.map((l) => l.hostname)).toEqual(["host1", "host2"]);
    expect(snap.lease_snapshot?.leases[0]).toMatchObject({
      kind: "DYNAMIC",
      lan: "lan",
      expires_at: 1_900_000_001,
    });
    expect(snap.resume_token).toMatch(/^[0-9a-f]+-2$/);
    expect((await inbox.next()).kind).toBe("sync");
    h.leases.emit("del", leaseFor(1));
    const ev = await inbox.next();
    expect(ev.kind).toBe("lease_event");
    expect(ev.lease_event).toMatchObject({ action: "DEL", lease: { mac: leaseFor(1).mac } });
    expect(ev.resume_token).toMatch(/-3$/);
  });

  it("resumes from a token still in the replay buffer without a snapshot", async () => {
    const first = await open({ leases: true });
    await first.inbox.next(); // snapshot
    await first.inbox.next(); // sync
    const hh = h as Harness;
    hh.leases.emit("add", leaseFor(1));
    const seen = await first.inbox.next();
    first.stream.cancel();
    hh.leases.emit("add", leaseFor(2));
    hh.leases.emit("old", leaseFor(2, "renamed"));
    const second = await open({ leases: true, resume_token: seen.resume_token });
    const replayed = [await second.inbox.next(), await second.inbox.next()];
    expect(
      replayed.map((e) => [e.kind, e.lease_event?.action, e.lease_event?.lease?.hostname]),
    ).toEqual([
      ["lease_event", "ADD", "host2"],
      ["lease_event", "OLD", "renamed"],
    ]);
    expect((await second.inbox.next()).kind).toBe("sync");
    hh.leases.emit("del", leaseFor(2));
    expect((await second.inbox.next()).lease_event?.action).toBe("DEL");
  });

  it("resets with a fresh snapshot when the token is too old or foreign", async () => {
    const first = await open({ leases: true });
    const snap = await first.inbox.next();
    const hh = h as Harness;
    for (let i = 0; i < 20; i++) hh.leases.emit("add", leaseFor(i)); // buffer holds 10
    const old = await open({ leases: true, resume_token: snap.resume_token });
    const reset = await old.inbox.next();
    expect(reset.kind).toBe("reset");
    expect(reset.reset?.reason).toBe("resume token too old");
    const fresh = await old.inbox.next();
    expect(fresh.lease_snapshot?.leases).toHaveLength(20);
    expect(fresh.resume_token).toMatch(/-20$/);
    expect((await old.inbox.next()).kind).toBe("sync");

    const foreign = await open({ leases: true, resume_token: "deadbeef-3" });
    expect((await foreign.inbox.next()).reset?.reason).toBe(
      "resume token not from this agent process",
    );
    expect((await foreign.inbox.next()).kind).toBe("lease_snapshot");
  });

  it("streams counter samples at the requested interval with an empty token", async () => {
    const { inbox } = await open({ counters: true, counter_interval_ms: 100 });
    const a = await inbox.next();
    const b = await inbox.next();
    expect(a.kind).toBe("counter_sample");
    expect(a.resume_token).toBe("");
    expect(a.counter_sample?.rules[0]).toMatchObject({ id: "allow_ssh" });
    expect(a.counter_sample?.interfaces.map((i) => i.ifname)).toEqual(["eth0", "ens7"]);
    expect(Number(b.counter_sample?.rules[0]?.packets)).toBeGreaterThan(
      Number(a.counter_sample?.rules[0]?.packets),
    );
    expect(a.counter_sample?.duplicates).toBe(0);
  });

  it("sends heartbeats on a quiet stream", async () => {
    const { inbox } = await open({ leases: true }, { heartbeatMs: 100 });
    await inbox.next();
    await inbox.next();
    const hb = await inbox.next();
    expect(hb.kind).toBe("heartbeat");
    expect(Number(hb.heartbeat?.at?.seconds)).toBeGreaterThan(1_600_000_000);
  });

  it("rejects a request for nothing", async () => {
    const { stream } = await open({});
    const err = await settled(stream);
    expect(err?.code).toBe(3);
  });

  it("removes its watchers when the client cancels", async () => {
    const { stream, inbox } = await open({
      leases: true,
      counters: true,
      counter_interval_ms: 100,
    });
    await inbox.next();
    const hh = h as Harness;
    expect(hh.leases.listenerCount).toBe(1);
    expect(hh.server.stats().subscribeStreams).toBe(1);
    stream.cancel();
    await eventually(
      () => hh.leases.listenerCount === 0 && hh.server.stats().subscribeStreams === 0,
    );
    const samples = hh.counters.samples;
    await new Promise((r) => setTimeout(r, 350));
    expect(hh.counters.samples).toBe(samples); // the shared sampler stopped too
  });

  it("bounds a slow reader: samples coalesce, a lease overflow resets, nothing is lost", async () => {
    const { stream, inbox } = await open(
      { leases: true, counters: true, counter_interval_ms: 100 },
      { leaseQueue: 64, heartbeatMs: 60_000 },
    );
    const hh = h as Harness;
    hh.counters.padRules = 4000; // ~100 KB per sample: the HTTP/2 window fills fast
    await inbox.next(); // snapshot
    await inbox.next(); // sync
    stream.pause();
    await eventually(() => hh.server.stats().coalescedSamples > 0, 20_000);
    for (let i = 0; i < 500; i++) hh.leases.emit("add", leaseFor(i));
    await eventually(() => hh.server.stats().resets > 0, 20_000);
    const stats = hh.server.stats();
    expect(stats.leaseQueueHighWater).toBeLessThanOrEqual(64);
    hh.counters.padRules = 0;
    stream.resume();
    const reset = await inbox.until((e) => e.kind === "reset", 20_000);
    expect(reset.reset?.reason).toMatch(/overflow/);
    const snap = await inbox.next();
    expect(snap.kind).toBe("lease_snapshot");
    expect(snap.lease_snapshot?.leases).toHaveLength(500);
    expect((await inbox.next()).kind).toBe("sync");
    const coalesced = await inbox.until((e) => (e.counter_sample?.duplicates ?? 0) > 0, 20_000);
    expect(coalesced.kind).toBe("counter_sample");
  });
});

describe("transport limits", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("refuses Subscribe streams beyond the limit and messages beyond the size limit", async () => {
    h = await startHarness({ limits: { maxSubscribeStreams: 1, maxMessageBytes: 4096 } });
    const client = rawClient(h.server.addresses[0] as string);
    try {
      const first = client.Subscribe({ leases: true });
      const inbox = new Inbox<Event__Output>(first);
      await inbox.next();
      const second = client.Subscribe({ leases: true });
      expect((await settled(second))?.code).toBe(8); // RESOURCE_EXHAUSTED
      first.cancel();

      const stream = client.Reconcile();
      const big = {
        wan: { interface: "eth0" },
        dns: { blocked_domains: Array(1000).fill("ads.example.com") },
      };
      stream.write({ desired_state: { nonce: "n", generation: 1, spec: big } });
      expect((await settled(stream))?.code).toBe(8);
      expect(h.runtime.calls).toEqual([]);
    } finally {
      client.close();
    }
  });
});
