import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { hashToken } from "../../../agent/src/api/auth.js";
import { type ApiServer, startApiServer } from "../../../agent/src/api/server.js";
import type { Lease } from "../../../agent/src/runtime/router-runtime.js";
import { RouterClient } from "../../../host-client/src/router-client.js";
import { FakeRuntime } from "../../support/api/fake-runtime.js";
import { FakeCounterSource, FakeLeaseSource, leaseFor } from "../../support/api/fake-sources.js";
import { eventually } from "../../support/api/harness.js";
import { makePki } from "../../support/api/pki-fixture.js";

describe("RouterClient", () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  const silent = pino({ level: "silent" });

  it("a lease watch survives an agent restart: it resumes, gets a reset and a fresh snapshot", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ra-client-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, "agent.sock");
    const runtime = new FakeRuntime();
    const leases = new FakeLeaseSource();
    const counters = new FakeCounterSource();
    const start = () =>
      startApiServer({
        runtime,
        leases,
        counters,
        logger: silent,
        listeners: [{ kind: "unix", path }],
      });
    let server: ApiServer = await start();
    cleanups.push(() => server.close());
    const client = new RouterClient({ target: `unix://${path}` });
    cleanups.push(() => client.close());

    const snapshots: Lease[][] = [];
    const events: string[] = [];
    const resets: string[] = [];
    let reconnects = 0;
    leases.emit("add", leaseFor(1));
    const watch = client.watch(
      { leases: true },
      {
        onSnapshot: (l) => snapshots.push(l),
        onLeaseEvent: (e) => events.push(`${e.action} ${e.lease.hostname}`),
        onReset: (r) => resets.push(r),
        onReconnect: () => reconnects++,
      },
    );
    cleanups.push(() => watch.cancel());
    await eventually(() => snapshots.length === 1);
    leases.emit("add", leaseFor(2));
    await eventually(() => events.length === 1);

    await server.close();
    leases.emit("add", leaseFor(3)); // while the agent is down
    server = await start();
    await eventually(() => snapshots.length === 2, 15_000);
    expect(reconnects).toBeGreaterThan(0);
    expect(resets).toEqual(["resume token not from this agent process"]);
    expect(snapshots[1]?.map((l) => l.hostname).sort()).toEqual(["host1", "host2", "host3"]);
    leases.emit("del", leaseFor(1));
    await eventually(() => events.includes("del host1"));
    watch.cancel();
    await watch.done;
  });

  it("apply validates locally and sends nothing when the spec is invalid", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ra-client-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const runtime = new FakeRuntime();
    const server = await startApiServer({
      runtime,
      leases: new FakeLeaseSource(),
      counters: new FakeCounterSource(),
      logger: silent,
      listeners: [{ kind: "unix", path: join(dir, "a.sock") }],
    });
    cleanups.push(() => server.close());
    const client = new RouterClient({ target: `unix://${join(dir, "a.sock")}` });
    cleanups.push(() => client.close());
    const result = await client.apply({
      wan: { interface: "eth0" },
      lans: [{ name: "x", interface: "ens7", address: "nope" }],
    });
    expect(result.accepted).toBe(false);
    expect(result.checkedLocally).toBe(true);
    expect(result.error?.fieldViolations.map((v) => v.path)).toContain("lans[0].address");
    expect(runtime.calls).toEqual([]);
    const ok = await client.apply(
      {
        wan: { interface: "eth0" },
        lans: [{ name: "x", interface: "ens7", address: "10.88.0.1/24" }],
      },
      { reason: "r" },
    );
    expect(ok).toMatchObject({
      accepted: true,
      applied: { generation: 1, revision: 1 },
      previous: { generation: 0 },
    });
    const again = await client.apply({
      wan: { interface: "eth1" },
      lans: [{ name: "x", interface: "ens7", address: "10.88.0.1/24" }],
    });
    expect(again.applied.generation).toBe(2);
  });

  it("authenticates with a bearer token over TLS", async () => {
    const pki = await makePki();
    cleanups.push(() => pki.cleanup());
    const server = await startApiServer({
      runtime: new FakeRuntime(),
      leases: new FakeLeaseSource(),
      counters: new FakeCounterSource(),
      logger: silent,
      tokens: [{ name: "ci", scope: "read", sha256: hashToken("tok") }],
      listeners: [
        {
          kind: "tcp",
          host: "127.0.0.1",
          port: 0,
          auth: "token",
          tls: { cert: pki.server.cert, key: pki.server.key },
        },
      ],
    });
    cleanups.push(() => server.close());
    const good = new RouterClient({
      target: server.addresses[0] as string,
      ca: pki.ca,
      token: "tok",
    });
    const bad = new RouterClient({
      target: server.addresses[0] as string,
      ca: pki.ca,
      token: "wrong",
    });
    cleanups.push(
      () => good.close(),
      () => bad.close(),
    );
    expect((await good.status()).status.appliedRevision).toBe(0);
    await expect(bad.status()).rejects.toMatchObject({
      kind: "auth",
      message: "not authenticated: unknown bearer token",
    });
    const spec = {
      wan: { interface: "eth0" },
      lans: [{ name: "x", interface: "ens7", address: "10.88.0.1/24" }],
    };
    await expect(good.apply(spec)).rejects.toMatchObject({
      kind: "auth",
    });
  });
});
