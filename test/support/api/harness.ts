/**
 * A real API server on an ephemeral port or a temp unix socket, wired to the
 * in-memory fakes, plus raw gRPC clients and stream helpers for asserting the
 * wire. Logs go to an in-memory pino stream (`logs()`).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import * as grpc from "@grpc/grpc-js";
import pino from "pino";
import type { TokenCredential } from "../../../agent/src/api/auth.js";
import type { ListenerConfig } from "../../../agent/src/api/listeners.js";
import { routerProto } from "../../../agent/src/api/proto-loader.js";
import { type ApiLimits, type ApiServer, startApiServer } from "../../../agent/src/api/server.js";
import type { SystemInfoSource } from "../../../agent/src/runtime/system-info.js";
import type { RouterAgentClient } from "../../../proto/gen/router/v1/RouterAgent.js";
import { FakeRuntime } from "./fake-runtime.js";
import { FakeCounterSource, FakeLeaseSource } from "./fake-sources.js";

export interface Harness {
  server: ApiServer;
  runtime: FakeRuntime;
  leases: FakeLeaseSource;
  counters: FakeCounterSource;
  dir: string;
  logs(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startHarness(
  opts: {
    listeners?: (dir: string) => ListenerConfig[];
    tokens?: TokenCredential[];
    limits?: Partial<ApiLimits>;
    leaseBuffer?: number;
    system?: SystemInfoSource;
  } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), "ra-api-"));
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      cb();
    },
  });
  const logger = pino({ level: "debug" }, sink);
  const runtime = new FakeRuntime();
  const leases = new FakeLeaseSource(opts.leaseBuffer ?? 100);
  const counters = new FakeCounterSource();
  let server: ApiServer;
  try {
    server = await startApiServer({
      runtime,
      leases,
      counters,
      logger,
      listeners: opts.listeners?.(dir) ?? [{ kind: "unix", path: join(dir, "agent.sock") }],
      ...(opts.tokens ? { tokens: opts.tokens } : {}),
      ...(opts.limits ? { limits: opts.limits } : {}),
      ...(opts.system ? { system: opts.system } : {}),
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    server,
    runtime,
    leases,
    counters,
    dir,
    logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A raw generated client for `address` (as in `ApiServer.addresses`). */
export function rawClient(
  address: string,
  credentials = grpc.credentials.createInsecure(),
  options: grpc.ChannelOptions = {},
): RouterAgentClient {
  const Ctor = routerProto().grpcObject.router.v1.RouterAgent;
  return new Ctor(address, credentials, options) as unknown as RouterAgentClient;
}

/** Collects a readable stream's messages; `next()` waits for the next one. */
export class Inbox<T> {
  private readonly items: T[] = [];
  private waiters: Array<(t: T) => void> = [];
  ended = false;
  error: grpc.ServiceError | undefined;

  constructor(stream: NodeJS.EventEmitter) {
    stream.on("data", (m: T) => {
      const w = this.waiters.shift();
      if (w) w(m);
      else this.items.push(m);
    });
    stream.on("end", () => {
      this.ended = true;
    });
    stream.on("error", (e: grpc.ServiceError) => {
      this.error = e;
    });
  }

  next(timeoutMs = 5000): Promise<T> {
    const item = this.items.shift();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new Error(
            `no message within ${timeoutMs} ms${this.error ? `: ${this.error.message}` : ""}`,
          ),
        );
      }, timeoutMs);
      const waiter = (t: T) => {
        clearTimeout(timer);
        resolve(t);
      };
      this.waiters.push(waiter);
    });
  }

  /** Skips messages until one satisfies `pred`. */
  async until(pred: (t: T) => boolean, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = await this.next(Math.max(1, deadline - Date.now()));
      if (pred(m)) return m;
    }
  }

  /** Messages already received and not yet taken. */
  drain(): T[] {
    return this.items.splice(0);
  }
}

/** Resolves when `stream` errors or ends; with the error, if any. */
export function settled(stream: NodeJS.EventEmitter): Promise<grpc.ServiceError | undefined> {
  return new Promise((resolve) => {
    stream.on("error", (e: grpc.ServiceError) => resolve(e));
    stream.on("end", () => resolve(undefined));
  });
}

/** Polls `cond` until true (for state that changes on the server side). */
export async function eventually(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A minimal valid spec for the fake runtime. */
export function specFor(wan = "eth0"): Record<string, unknown> {
  return {
    wan: { interface: wan, masquerade: true },
    lans: [{ name: "lan", interface: { name: "ens7" }, address: "10.88.0.1/24" }],
  };
}
