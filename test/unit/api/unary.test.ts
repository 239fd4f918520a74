import { createRequire } from "node:module";
import { hostname, release, totalmem } from "node:os";
import { dirname, join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { protoPath as healthProtoPath } from "grpc-health-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeStatusTrailer } from "../../../agent/src/api/rpc-status.js";
import { HostSystemInfo } from "../../../agent/src/runtime/system-info.js";
import { RouterClient } from "../../../host-client/src/router-client.js";
import type { RouterAgentClient } from "../../../proto/gen/router/v1/RouterAgent.js";
import { type Harness, rawClient, specFor, startHarness } from "../../support/api/harness.js";

const require = createRequire(import.meta.url);

function unary<Req, Res>(
  fn: (req: Req, cb: (err: grpc.ServiceError | null, res?: Res) => void) => unknown,
  req: Req,
): Promise<{ err: grpc.ServiceError | null; res: Res | undefined }> {
  return new Promise((resolve) => fn(req, (err, res) => resolve({ err, res })));
}

describe("GetState, History, Rollback, health and reflection", () => {
  let h: Harness;
  let client: RouterAgentClient;
  const apply = (wan: string, generation: number) =>
    h.runtime.apply({
      spec: specFor(wan),
      generation,
      dryRun: false,
      reason: `to ${wan}`,
      actor: "tester",
    });

  beforeEach(async () => {
    h = await startHarness();
    client = rawClient(h.server.addresses[0] as string);
  });

  afterEach(async () => {
    client.close();
    await h.close();
  });

  it("GetState returns the status and the applied spec", async () => {
    const before = await unary(client.GetState.bind(client), {});
    expect(before.res?.spec).toBeNull();
    expect(before.res?.status?.applied_revision).toBe(0);
    await apply("eth0", 3);
    const { res } = await unary(client.GetState.bind(client), {});
    expect(res?.status).toMatchObject({
      applied_generation: 3,
      applied_revision: 1,
      dnsmasq: { running: true, pid: 4242, restarts: 0 },
    });
    expect(res?.spec?.wan).toMatchObject({ interface: "eth0", masquerade: true });
    expect(res?.spec?.lans[0]?.interface).toMatchObject({ name: "ens7", match: "name" });
    expect(Number(res?.status?.started_at?.seconds)).toBeGreaterThan(1_600_000_000);
  });

  it("GetState carries no system facts when the server has no source", async () => {
    const { res } = await unary(client.GetState.bind(client), {});
    expect(res?.system).toBeNull();
  });

  it("History lists revisions newest first, specs only on request", async () => {
    await apply("eth0", 1);
    await apply("eth1", 2);
    await apply("eth2", 3);
    const { res } = await unary(client.History.bind(client), { limit: 2 });
    expect(res?.revisions.map((r) => [r.revision, r.generation, r.actor, r.reason])).toEqual([
      [3, 3, "tester", "to eth2"],
      [2, 2, "tester", "to eth1"],
    ]);
    expect(res?.revisions[0]?.spec).toBeNull();
    const withSpecs = await unary(client.History.bind(client), { include_specs: true });
    expect(withSpecs.res?.revisions).toHaveLength(3);
    expect(withSpecs.res?.revisions[2]?.spec?.wan?.interface).toBe("eth0");
  });

  it("Rollback re-applies a revision; 0 means the previous one", async () => {
    await apply("eth0", 1);
    const second = await apply("eth1", 2);
    const { err, res } = await unary(client.Rollback.bind(client), { revision: 0, reason: "oops" });
    expect(err).toBeNull();
    expect(res?.applied_revision).toBe(3);
    expect(h.runtime.calls.at(-1)).toMatchObject({
      kind: "rollback",
      revision: 1,
      actor: "local",
      reason: "oops",
    });
    expect(res?.applied_hash).not.toBe(second.kind === "applied" ? second.revision.hash : "");
    const audit = h.logs().find((l) => l.audit && l.action === "rollback");
    expect(audit).toMatchObject({
      outcome: "applied",
      revision: 3,
      reason: "oops",
      actor: "local",
    });
  });

  it("Rollback to an unknown revision fails NOT_FOUND with details in the trailer", async () => {
    await apply("eth0", 1);
    const { err } = await unary(client.Rollback.bind(client), { revision: 42, reason: "" });
    expect(err?.code).toBe(grpc.status.NOT_FOUND);
    const details = decodeStatusTrailer(err?.metadata);
    expect(details?.errorInfo).toMatchObject({
      reason: "NO_SUCH_REVISION",
      domain: "router-agent",
    });
  });

  it("health is NOT_SERVING until a state is applied, then SERVING", async () => {
    const def = protoLoader.loadSync(healthProtoPath, { keepCase: true, enums: String });
    // biome-ignore lint/suspicious/noExplicitAny: untyped third-party proto
    const Health = (grpc.loadPackageDefinition(def) as any).grpc.health.v1.Health;
    const health = new Health(h.server.addresses[0], grpc.credentials.createInsecure());
    try {
      const check = (service: string) =>
        new Promise<string>((resolve, reject) =>
          health.Check({ service }, (err: Error | null, res: { status: string }) =>
            err ? reject(err) : resolve(res.status),
          ),
        );
      expect(await check("")).toBe("NOT_SERVING");
      expect(await check("router.v1.RouterAgent")).toBe("NOT_SERVING");
      await apply("eth0", 1);
      expect(await check("")).toBe("SERVING");
      expect(await check("router.v1.RouterAgent")).toBe("SERVING");
    } finally {
      health.close();
    }
  });

  it("reflection lists router.v1.RouterAgent", async () => {
    const reflectionDir = join(
      dirname(require.resolve("@grpc/reflection/package.json")),
      "build/proto",
    );
    const def = protoLoader.loadSync("grpc/reflection/v1/reflection.proto", {
      keepCase: true,
      includeDirs: [reflectionDir],
      oneofs: true,
    });
    // biome-ignore lint/suspicious/noExplicitAny: untyped third-party proto
    const Reflection = (grpc.loadPackageDefinition(def) as any).grpc.reflection.v1.ServerReflection;
    const refl = new Reflection(h.server.addresses[0], grpc.credentials.createInsecure());
    try {
      const call = refl.ServerReflectionInfo();
      const answer = new Promise<{ list_services_response: { service: Array<{ name: string }> } }>(
        (resolve, reject) => {
          call.on("data", resolve);
          call.on("error", reject);
        },
      );
      call.write({ list_services: "" });
      const names = (await answer).list_services_response.service.map((s) => s.name);
      expect(names).toContain("router.v1.RouterAgent");
      call.end();
    } finally {
      refl.close();
    }
  });
});

describe("GetState with the guest's facts", () => {
  it("reads them with systeminformation and decodes them in RouterClient", async () => {
    const h = await startHarness({ system: new HostSystemInfo("9.9.9-test") });
    const rc = new RouterClient({ target: `unix://${join(h.dir, "agent.sock")}` });
    try {
      const { system } = await rc.status();
      expect(system).toMatchObject({
        hostname: hostname(),
        kernel: release(),
        agentVersion: "9.9.9-test",
        nodeVersion: process.version,
      });
      expect(system?.memoryTotalBytes).toBe(totalmem());
      expect(system?.memoryAvailableBytes).toBeGreaterThan(0);
      expect(system?.memoryAvailableBytes).toBeLessThanOrEqual(totalmem());
      expect(system?.agentRssBytes).toBeGreaterThan(10 * 2 ** 20);
      expect(system?.uptimeSeconds).toBeGreaterThan(0);
      expect(system?.loadAverage).toHaveLength(3);
    } finally {
      rc.close();
      await h.close();
    }
  });
});
