import { statSync } from "node:fs";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { hashToken, scopeFromSubject } from "../../../agent/src/api/auth.js";
import { planListener } from "../../../agent/src/api/listeners.js";
import type { RouterAgentClient } from "../../../proto/gen/router/v1/RouterAgent.js";
import {
  type Harness,
  Inbox,
  rawClient,
  settled,
  startHarness,
} from "../../support/api/harness.js";
import { makePki, type PkiFixture } from "../../support/api/pki-fixture.js";

function getState(client: RouterAgentClient): Promise<grpc.ServiceError | null> {
  return new Promise((resolve) => {
    client.GetState({}, { deadline: Date.now() + 5000 }, (err) => resolve(err));
  });
}

/** Opens Reconcile and resolves with its first message, or the error. */
async function reconcileFirst(client: RouterAgentClient): Promise<string | grpc.ServiceError> {
  const stream = client.Reconcile();
  const inbox = new Inbox<{ kind: string }>(stream);
  const err = settled(stream);
  const first = inbox.next(5000).then((m) => m.kind);
  const result = await Promise.race([first, err]);
  stream.cancel();
  return result ?? "ended";
}

describe("mTLS listener", () => {
  let pki: PkiFixture;
  let h: Harness;
  let address: string;
  const clients: RouterAgentClient[] = [];

  beforeAll(async () => {
    pki = await makePki();
    h = await startHarness({
      listeners: () => [
        {
          kind: "tcp",
          host: "127.0.0.1",
          port: 0,
          tls: { cert: pki.server.cert, key: pki.server.key, clientCa: pki.ca },
        },
      ],
    });
    address = h.server.addresses[0] as string;
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await h?.close();
    await pki?.cleanup();
  });

  const client = (creds: grpc.ChannelCredentials) => {
    const c = rawClient(address, creds);
    clients.push(c);
    return c;
  };

  it("binds an ephemeral port", () => {
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(address).not.toMatch(/:0$/);
  });

  it("serves a client with a write certificate from the CA", async () => {
    const c = client(grpc.credentials.createSsl(pki.ca, pki.writer.key, pki.writer.cert));
    expect(await getState(c)).toBeNull();
    expect(await reconcileFirst(c)).toBe("hello");
  });

  it("rejects a client certificate from another CA", async () => {
    const c = client(grpc.credentials.createSsl(pki.ca, pki.stranger.key, pki.stranger.cert));
    const err = await getState(c);
    expect(err?.code).toBe(grpc.status.UNAVAILABLE);
  });

  it("rejects a client without a certificate", async () => {
    const c = client(grpc.credentials.createSsl(pki.ca));
    const err = await getState(c);
    expect(err?.code).toBe(grpc.status.UNAVAILABLE);
  });

  it("gives a read certificate PERMISSION_DENIED on Reconcile and Rollback, and audits it", async () => {
    const c = client(grpc.credentials.createSsl(pki.ca, pki.reader.key, pki.reader.cert));
    expect(await getState(c)).toBeNull();
    const denied = await reconcileFirst(c);
    expect((denied as grpc.ServiceError).code).toBe(grpc.status.PERMISSION_DENIED);
    expect((denied as grpc.ServiceError).details).toBe(
      "viewer has scope read; Reconcile needs write",
    );
    const rb = await new Promise<grpc.ServiceError | null>((resolve) =>
      c.Rollback({ revision: 1 }, (err) => resolve(err)),
    );
    expect(rb?.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(h.runtime.calls).toEqual([]);
    const audit = h.logs().filter((l) => l.audit && l.outcome === "denied");
    expect(audit.map((l) => [l.action, l.actor, l.via])).toEqual([
      ["apply", "viewer", "mtls"],
      ["rollback", "viewer", "mtls"],
    ]);
  });

  it("records the certificate CN as the actor", async () => {
    const c = client(grpc.credentials.createSsl(pki.ca, pki.writer.key, pki.writer.cert));
    const stream = c.Reconcile();
    const inbox = new Inbox<{ kind: string; ack?: { accepted: boolean } }>(stream);
    await inbox.next();
    stream.write({
      desired_state: {
        nonce: "n",
        generation: 1,
        spec: { wan: { interface: "eth0" } },
        reason: "via mtls",
      },
    });
    const ack = await inbox.until((m) => m.kind === "ack");
    expect(ack.ack?.accepted).toBe(true);
    stream.end();
    expect(h.runtime.history()[0]?.actor).toBe("ops");
  });
});

describe("token listener", () => {
  let pki: PkiFixture;
  let h: Harness;
  const clients: RouterAgentClient[] = [];

  beforeAll(async () => {
    pki = await makePki();
    h = await startHarness({
      tokens: [
        { name: "ci", scope: "write", sha256: hashToken("s3cret-write") },
        { name: "grafana", scope: "read", sha256: hashToken("s3cret-read") },
      ],
      listeners: () => [
        {
          kind: "tcp",
          host: "127.0.0.1",
          port: 0,
          tls: { cert: pki.server.cert, key: pki.server.key },
          auth: "token",
        },
      ],
    });
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await h?.close();
    await pki?.cleanup();
  });

  const withToken = (token?: string) => {
    const tls = grpc.credentials.createSsl(pki.ca);
    const creds = token
      ? grpc.credentials.combineChannelCredentials(
          tls,
          grpc.credentials.createFromMetadataGenerator((_p, cb) => {
            const md = new grpc.Metadata();
            md.set("authorization", `Bearer ${token}`);
            cb(null, md);
          }),
        )
      : tls;
    const c = rawClient(h.server.addresses[0] as string, creds);
    clients.push(c);
    return c;
  };

  it("accepts a known token and names its actor", async () => {
    const c = withToken("s3cret-write");
    expect(await getState(c)).toBeNull();
    expect(await reconcileFirst(c)).toBe("hello");
  });

  it("rejects a missing or unknown token with UNAUTHENTICATED", async () => {
    expect((await getState(withToken()))?.code).toBe(grpc.status.UNAUTHENTICATED);
    expect((await getState(withToken("nope")))?.code).toBe(grpc.status.UNAUTHENTICATED);
  });

  it("denies writes to a read token", async () => {
    const c = withToken("s3cret-read");
    expect(await getState(c)).toBeNull();
    const denied = await reconcileFirst(c);
    expect((denied as grpc.ServiceError).code).toBe(grpc.status.PERMISSION_DENIED);
  });
});

describe("listener policy", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("refuses TCP without TLS unless insecure", () => {
    expect(() => planListener({ kind: "tcp", host: "0.0.0.0", port: 7443 }, 0)).toThrow(
      "refusing to listen on TCP 0.0.0.0:7443 without TLS",
    );
    expect(() =>
      planListener({ kind: "tcp", host: "0.0.0.0", port: 7443, tls: { cert: "x", key: "y" } }, 0),
    ).toThrow('auth "mtls" needs tls.clientCa');
    expect(() =>
      planListener({ kind: "tcp", host: "::", port: 1, insecure: true, auth: "token" }, 0),
    ).toThrow("needs at least one configured token");
  });

  it("warns at start when a TCP listener is insecure", async () => {
    h = await startHarness({
      listeners: () => [{ kind: "tcp", host: "127.0.0.1", port: 0, insecure: true, auth: "none" }],
    });
    const warning = h.logs().find((l) => l.level === 40 && String(l.msg).startsWith("INSECURE"));
    expect(warning?.msg).toMatch(/without TLS/);
    const c = rawClient(h.server.addresses[0] as string);
    expect(await getState(c)).toBeNull();
    c.close();
  });

  it("creates the unix socket with mode 0600", async () => {
    h = await startHarness();
    const path = (h.server.addresses[0] as string).replace(/^unix:/, "");
    expect(path).toBe(join(h.dir, "agent.sock"));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(path).isSocket()).toBe(true);
  });

  it("takes the scope from the subject OU", () => {
    expect(scopeFromSubject({ OU: "write" })).toBe("write");
    expect(scopeFromSubject({ OU: ["read", "write"] })).toBe("write");
    expect(scopeFromSubject({ OU: "read" })).toBe("read");
    expect(scopeFromSubject({})).toBeUndefined();
  });
});
