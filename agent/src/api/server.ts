/**
 * The gRPC API server: `router.v1.RouterAgent`, `grpc.health.v1.Health` and
 * server reflection, on one grpc-js server per listener (so each listener
 * authenticates its own way), all wired to one runtime, lease source and
 * counter source.
 *
 * Health reports NOT_SERVING (for "" and "router.v1.RouterAgent") until the
 * runtime has an applied revision. Health and reflection need no scope: they
 * reveal no router state, and TLS (and mTLS) still apply on TCP.
 *
 * Transport limits (see docs/api.md): messages up to 16 MiB (a spec with
 * 100k CIDRs is ~2 MiB); at most 64 concurrent streams per connection; at most
 * 256 Subscribe and 32 Reconcile streams in total (RESOURCE_EXHAUSTED
 * beyond); HTTP/2 keepalive pings every 30 s with a 10 s timeout, so dead
 * peers are noticed and idle streams survive NAT for days; no connection age
 * limit.
 */
import { randomBytes } from "node:crypto";
import * as grpc from "@grpc/grpc-js";
import { ReflectionService } from "@grpc/reflection";
import { HealthImplementation } from "grpc-health-check";
import type { Logger } from "pino";
import type { RouterAgentHandlers } from "../../../proto/gen/router/v1/RouterAgent.js";
import type { CounterSource, LeaseSource, RouterRuntime } from "../runtime/router-runtime.js";
import type { SystemInfoSource } from "../runtime/system-info.js";
import { AuditLog } from "./audit.js";
import { Authenticator, type CallIdentity, type MethodName, type TokenCredential } from "./auth.js";
import { CounterSampler } from "./counter-sampler.js";
import {
  bindWithPrivateMode,
  type ListenerConfig,
  planListener,
  prepareSocketPath,
} from "./listeners.js";
import { routerProto, SERVICE_NAME } from "./proto-loader.js";
import { serveReconcile } from "./reconcile-stream.js";
import { type SubscribeStats, serveSubscribe } from "./subscribe-stream.js";
import { getState, history, rollback } from "./unary-calls.js";

export interface ApiLimits {
  /** Largest message in either direction. Default 16 MiB. */
  maxMessageBytes: number;
  /** HTTP/2 streams per connection. Default 64. */
  maxConcurrentStreams: number;
  /** Subscribe streams over all connections. Default 256. */
  maxSubscribeStreams: number;
  /** Reconcile streams over all connections. Default 32. */
  maxReconcileStreams: number;
  /** Lease events held per slow Subscribe reader before a reset. Default 4096. */
  leaseQueue: number;
  /** Subscribe heartbeat period. Default 10 s. */
  heartbeatMs: number;
  /** HTTP/2 keepalive ping period. Default 30 s. */
  keepaliveMs: number;
  /** Keepalive ping ack timeout. Default 10 s. */
  keepaliveTimeoutMs: number;
}

export const DEFAULT_LIMITS: ApiLimits = {
  maxMessageBytes: 16 * 1024 * 1024,
  maxConcurrentStreams: 64,
  maxSubscribeStreams: 256,
  maxReconcileStreams: 32,
  leaseQueue: 4096,
  heartbeatMs: 10_000,
  keepaliveMs: 30_000,
  keepaliveTimeoutMs: 10_000,
};

export interface ApiServerOptions {
  runtime: RouterRuntime;
  leases: LeaseSource;
  counters: CounterSource;
  /** At least one. */
  listeners: ListenerConfig[];
  /** Bearer tokens accepted by `auth: "token"` listeners. */
  tokens?: TokenCredential[];
  /** The root logger; the server uses `child({ component: "api" })` and `"audit"`. */
  logger: Logger;
  limits?: Partial<ApiLimits>;
  /** Facts about the guest for GetState; absent: GetState carries none. */
  system?: SystemInfoSource;
}

export interface ApiStats extends SubscribeStats {
  subscribeStreams: number;
  reconcileStreams: number;
}

export interface ApiServer {
  /** Bound addresses in listener order: "127.0.0.1:40123", "unix:/run/router-agent/agent.sock". */
  addresses: string[];
  stats(): ApiStats;
  /** Stops accepting, cancels open streams, removes watchers. */
  close(): Promise<void>;
}

/**
 * Binds every listener and serves until `close()`. Throws (before binding
 * anything) when a listener is unsafe or incomplete, e.g. TCP without TLS and
 * without `insecure: true`, and when a bind fails (address in use, bad
 * socket path); listeners already bound are then closed again.
 */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const log = options.logger.child({ component: "api" });
  if (options.listeners.length === 0) throw new Error("the API needs at least one listener");
  const plans = options.listeners.map((l) => planListener(l, options.tokens?.length ?? 0));

  const proto = routerProto();
  const audit = new AuditLog(options.logger);
  const sampler = new CounterSampler(options.counters, log);
  const epoch = randomBytes(4).toString("hex");
  const stats: ApiStats = {
    leaseQueueHighWater: 0,
    coalescedSamples: 0,
    resets: 0,
    subscribeStreams: 0,
    reconcileStreams: 0,
  };

  const health = new HealthImplementation({ "": "NOT_SERVING", [SERVICE_NAME]: "NOT_SERVING" });
  const updateHealth = () => {
    const serving = options.runtime.status().appliedRevision > 0 ? "SERVING" : "NOT_SERVING";
    health.setStatus("", serving);
    health.setStatus(SERVICE_NAME, serving);
  };
  updateHealth();
  const stopHealth = options.runtime.onStatus(updateHealth);
  const reflection = new ReflectionService(proto.packageDefinition);

  /** Open Reconcile and Subscribe calls, ended on close. */
  const streams = new Set<NodeJS.EventEmitter>();
  const servers: grpc.Server[] = [];
  const addresses: string[] = [];
  try {
    for (const plan of plans) {
      const authenticator = new Authenticator(plan.auth, options.tokens);
      const server = new grpc.Server({
        "grpc.max_receive_message_length": limits.maxMessageBytes,
        "grpc.max_send_message_length": limits.maxMessageBytes,
        "grpc.max_concurrent_streams": limits.maxConcurrentStreams,
        "grpc.keepalive_time_ms": limits.keepaliveMs,
        "grpc.keepalive_timeout_ms": limits.keepaliveTimeoutMs,
        "grpc.keepalive_permit_without_calls": 1,
      });
      server.addService(
        proto.grpcObject.router.v1.RouterAgent.service,
        handlers(authenticator, {
          options,
          audit,
          sampler,
          epoch,
          limits,
          stats,
          log,
          streams,
        }) as unknown as grpc.UntypedServiceImplementation,
      );
      health.addToServer(server);
      reflection.addToServer(server);
      servers.push(server);
      const bind = () =>
        new Promise<number>((resolve, reject) =>
          server.bindAsync(plan.bindAddress, plan.credentials, (err, port) =>
            err ? reject(err) : resolve(port),
          ),
        );
      if (plan.socketPath) {
        prepareSocketPath(plan.socketPath);
        await bindWithPrivateMode(plan.socketPath, bind);
        addresses.push(plan.bindAddress);
      } else {
        const port = await bind();
        addresses.push(plan.bindAddress.replace(/:\d+$/, `:${port}`));
      }
      if (plan.warning) log.warn({ listener: plan.bindAddress }, plan.warning);
      log.info({ listener: addresses.at(-1), auth: plan.auth }, "API listening");
    }
  } catch (err) {
    for (const server of servers) server.forceShutdown();
    stopHealth();
    sampler.close();
    throw new Error(`cannot start the API: ${(err as Error).message}`, { cause: err });
  }

  return {
    addresses,
    stats: () => ({ ...stats }),
    close: async () => {
      stopHealth();
      sampler.close();
      // Streams never end by themselves: end them with UNAVAILABLE, which
      // clients take as "reconnect later" (and resume).
      for (const call of [...streams]) {
        call.emit("error", {
          code: grpc.status.UNAVAILABLE,
          details: "the agent is shutting down",
        });
      }
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.tryShutdown(() => resolve());
              // Whatever is still open after a grace period is cancelled.
              setTimeout(() => server.forceShutdown(), 1000).unref();
            }),
        ),
      );
    },
  };
}

interface HandlerContext {
  options: ApiServerOptions;
  audit: AuditLog;
  sampler: CounterSampler;
  epoch: string;
  limits: ApiLimits;
  stats: ApiStats;
  log: Logger;
  streams: Set<NodeJS.EventEmitter>;
}

/** RouterAgent's handlers for one listener. */
function handlers(auth: Authenticator, ctx: HandlerContext): RouterAgentHandlers {
  const { options, audit, stats, limits } = ctx;
  const runtime = options.runtime;

  /** The caller, or undefined after failing the call. */
  const admit = (
    call: CallIdentity,
    method: MethodName,
    fail: (error: { code: grpc.status; details: string }) => void,
  ) => {
    const result = auth.authorize(call, method);
    if (result.ok) return result.caller;
    if (
      result.code === grpc.status.PERMISSION_DENIED &&
      (method === "Reconcile" || method === "Rollback")
    ) {
      const who = auth.authenticate(call);
      if (who.ok) {
        audit.record({
          action: method === "Reconcile" ? "apply" : "rollback",
          caller: who.caller,
          outcome: "denied",
          detail: result.message,
        });
      }
    }
    ctx.log.info({ method, code: result.code, peer: safePeer(call) }, result.message);
    fail({ code: result.code, details: result.message });
    return undefined;
  };

  return {
    Reconcile(call) {
      const caller = admit(call, "Reconcile", (e) => call.emit("error", e));
      if (!caller) return;
      if (stats.reconcileStreams >= limits.maxReconcileStreams) {
        call.emit("error", {
          code: grpc.status.RESOURCE_EXHAUSTED,
          details: "too many Reconcile streams",
        });
        return;
      }
      stats.reconcileStreams++;
      track(ctx.streams, call);
      let counted = true;
      const release = () => {
        if (counted) stats.reconcileStreams--;
        counted = false;
      };
      for (const event of ["cancelled", "close", "error", "finish"] as const)
        call.on(event, release);
      serveReconcile(call, caller, { runtime, audit, logger: ctx.log });
    },

    Subscribe(call) {
      const caller = admit(call, "Subscribe", (e) => call.emit("error", e));
      if (!caller) return;
      const req = call.request;
      if (!req.leases && !req.counters) {
        call.emit("error", {
          code: grpc.status.INVALID_ARGUMENT,
          details: "set leases and/or counters",
        });
        return;
      }
      if (stats.subscribeStreams >= limits.maxSubscribeStreams) {
        call.emit("error", {
          code: grpc.status.RESOURCE_EXHAUSTED,
          details: "too many Subscribe streams",
        });
        return;
      }
      stats.subscribeStreams++;
      track(ctx.streams, call);
      serveSubscribe(call, {
        leases: options.leases,
        sampler: ctx.sampler,
        epoch: ctx.epoch,
        limits: { leaseQueue: limits.leaseQueue, heartbeatMs: limits.heartbeatMs },
        stats,
        onClose: () => {
          stats.subscribeStreams--;
        },
      });
    },

    GetState(call, callback) {
      if (!admit(call, "GetState", callback)) return;
      getState(runtime, options.system).then(
        (state) => callback(null, state),
        (err: Error) => callback({ code: grpc.status.INTERNAL, details: err.message }),
      );
    },

    History(call, callback) {
      if (!admit(call, "History", callback)) return;
      callback(null, history(runtime, call.request));
    },

    Rollback(call, callback) {
      const caller = admit(call, "Rollback", callback);
      if (!caller) return;
      rollback(runtime, audit, caller, call.request).then(
        (result) => (result.ok ? callback(null, result.value) : callback(result.error)),
        (err: unknown) => callback({ code: grpc.status.INTERNAL, details: String(err) }),
      );
    },
  };
}

/** Keeps `call` in `set` until it ends, however it ends. */
function track(set: Set<NodeJS.EventEmitter>, call: NodeJS.EventEmitter): void {
  set.add(call);
  const drop = () => set.delete(call);
  for (const event of ["cancelled", "close", "error", "finish"]) call.on(event, drop);
}

function safePeer(call: CallIdentity): string {
  try {
    return call.getPeer();
  } catch {
    return "unknown";
  }
}
