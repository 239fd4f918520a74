/**
 * `RouterClient`: a typed client for one router-agent.
 *
 * Connect to `host:port` over TLS (mTLS with a client certificate, or a
 * bearer token), or to `unix:///run/router-agent/agent.sock` in plaintext.
 * Config changes go through a Reconcile stream: the client reads the agent's
 * `Hello`, pushes with generation = applied + 1 (unless given) and waits for
 * the `Ack` of its nonce. Telemetry comes from Subscribe.
 *
 * Every method rejects with a `RouterClientError` whose `kind` says what to
 * do about it (rejected, usage, unreachable, auth). A NACK is not an
 * exception: `apply` resolves with `accepted: false` and the field errors.
 */
import { randomUUID } from "node:crypto";
import * as grpc from "@grpc/grpc-js";
import { routerProto } from "../../agent/src/api/proto-loader.js";
import {
  type DecodedStatus,
  decodeStatus as decodeRpcStatus,
} from "../../agent/src/api/rpc-status.js";
import { specFromWire, specToWire } from "../../agent/src/api/spec-codec.js";
import { durationFromMs } from "../../agent/src/api/state-codec.js";
import { validateSpec } from "../../agent/src/model/validate.js";
import type {
  Lease,
  PendingCommit,
  Plan,
  RouterStatus,
} from "../../agent/src/runtime/router-runtime.js";
import type { SystemInfo } from "../../agent/src/runtime/system-info.js";
import type { Ack__Output } from "../../proto/gen/router/v1/Ack.js";
import type { Event__Output } from "../../proto/gen/router/v1/Event.js";
import type { GetStateResponse__Output } from "../../proto/gen/router/v1/GetStateResponse.js";
import type { HistoryResponse__Output } from "../../proto/gen/router/v1/HistoryResponse.js";
import type { ReconcileRequest } from "../../proto/gen/router/v1/ReconcileRequest.js";
import type { ReconcileResponse__Output } from "../../proto/gen/router/v1/ReconcileResponse.js";
import type { RollbackResponse__Output } from "../../proto/gen/router/v1/RollbackResponse.js";
import type { RouterAgentClient } from "../../proto/gen/router/v1/RouterAgent.js";
import type { SubscribeRequest } from "../../proto/gen/router/v1/SubscribeRequest.js";
import { fromServiceError, RouterClientError } from "./client-errors.js";
import { probeTls, splitTarget } from "./tls-probe.js";
import {
  type CounterSampleInfo,
  decodeCounterSample,
  decodeLease,
  decodeLeaseEvent,
  decodePendingCommit,
  decodePlan,
  decodeRevision,
  decodeStatus,
  decodeSystemInfo,
  type RevisionInfo,
} from "./wire-decode.js";

export interface ConnectOptions {
  /** `host:port`, `[v6]:port`, `unix:///path` or `unix:/path`. */
  target: string;
  /** PEM CA that signed the agent's certificate; default: the system roots. */
  ca?: Buffer;
  /** PEM client certificate and key, for mTLS. */
  cert?: Buffer;
  key?: Buffer;
  /** Bearer token, sent as `authorization: Bearer <token>` on every call. */
  token?: string;
  /** Plaintext TCP, for agents explicitly configured `insecure`. */
  insecure?: boolean;
  /** TLS name to verify instead of the target host. */
  serverName?: string;
  /** Deadline for unary calls and for the agent's Hello. Default 10 s. */
  timeoutMs?: number;
}

export interface ApplyOptions {
  dryRun?: boolean;
  /** Open a commit-confirm window of this many ms. */
  confirmWithinMs?: number;
  reason?: string;
  /** Default: the agent's applied generation + 1. */
  generation?: number;
  /** Continue this pending commit. */
  commitId?: string;
}

export interface AppliedState {
  generation: number;
  hash: string;
  revision: number;
}

/** The answer to a push or a commit control. */
export interface ApplyResult {
  accepted: boolean;
  /** A newer push on the same stream replaced this one before it was applied. */
  superseded: boolean;
  /** What runs now: the new state, or the last good one after a NACK. */
  applied: AppliedState;
  /** What ran before, from the agent's Hello. */
  previous: AppliedState;
  plan?: Plan;
  pendingCommit?: PendingCommit;
  /** Why it was not accepted; `fieldViolations` carry paths. */
  error?: DecodedStatus;
  /** The spec never left this machine: local validation failed. */
  checkedLocally?: boolean;
}

export interface StateInfo {
  status: RouterStatus;
  /** The applied spec (YAML-shaped), if any. */
  spec?: Record<string, unknown>;
  /** The guest's facts, when the agent could read them. */
  system?: SystemInfo;
}

export interface RollbackResult {
  applied: AppliedState;
  plan?: Plan;
}

/** Callbacks of a Subscribe watch; all optional. */
export interface WatchHandlers {
  /** The full lease table: at start and after every reset. */
  onSnapshot?(leases: Lease[]): void;
  onSync?(): void;
  onLeaseEvent?(event: ReturnType<typeof decodeLeaseEvent>): void;
  onCounters?(sample: CounterSampleInfo): void;
  onReset?(reason: string): void;
  onHeartbeat?(): void;
  /** The stream broke and is being resumed. */
  onReconnect?(error: RouterClientError): void;
}

export interface Watch {
  /** Stops watching; `done` then resolves. */
  cancel(): void;
  /** Resolves when cancelled; rejects on a failure that cannot be resumed. */
  done: Promise<void>;
}

export class RouterClient {
  private readonly client: RouterAgentClient;
  private readonly timeoutMs: number;

  /** Creates the channel; connects lazily on the first call. Throws on bad options. */
  constructor(private readonly options: ConnectOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    const Ctor = routerProto().grpcObject.router.v1.RouterAgent;
    this.client = new Ctor(normalizeTarget(options.target), channelCredentials(options), {
      "grpc.max_receive_message_length": 16 * 1024 * 1024,
      "grpc.max_send_message_length": 16 * 1024 * 1024,
      "grpc.keepalive_time_ms": 30_000,
      "grpc.keepalive_timeout_ms": 10_000,
      ...(options.serverName ? { "grpc.ssl_target_name_override": options.serverName } : {}),
    }) as unknown as RouterAgentClient;
  }

  close(): void {
    this.client.close();
  }

  /**
   * Validates `spec` (YAML-shaped) locally, then pushes it. Resolves with the
   * agent's answer, or with `checkedLocally` and the field errors when it is
   * invalid.
   */
  async apply(spec: unknown, opts: ApplyOptions = {}): Promise<ApplyResult> {
    const validated = validateSpec(spec);
    const wire = validated.ok ? specToWire(validated.value) : validated;
    if (!wire.ok) {
      const none = { generation: 0, hash: "", revision: 0 };
      return {
        accepted: false,
        superseded: false,
        applied: none,
        previous: none,
        checkedLocally: true,
        error: {
          code: grpc.status.INVALID_ARGUMENT,
          message: "invalid desired state",
          fieldViolations: wire.errors,
        },
      };
    }
    return this.reconcile((hello) => ({
      desired_state: {
        nonce: randomUUID(),
        generation: opts.generation ?? hello.generation + 1,
        spec: wire.value,
        dry_run: opts.dryRun ?? false,
        ...(opts.confirmWithinMs ? { confirm_within: durationFromMs(opts.confirmWithinMs) } : {}),
        commit_id: opts.commitId ?? "",
        reason: opts.reason ?? "",
      },
    }));
  }

  /** Makes the pending commit (or the one named) final. */
  confirm(commitId?: string): Promise<ApplyResult> {
    return this.control("CONFIRM", commitId);
  }

  /** Rolls the pending commit back now. */
  cancel(commitId?: string): Promise<ApplyResult> {
    return this.control("CANCEL", commitId);
  }

  /** Moves the pending commit's deadline to `ms` from now. */
  extend(ms: number, commitId?: string): Promise<ApplyResult> {
    return this.control("EXTEND", commitId, ms);
  }

  /** Re-applies `revision` (default: the one before the current). */
  async rollback(revision = 0, reason = ""): Promise<RollbackResult> {
    const res = await this.unary<RollbackResponse__Output>((cb) =>
      this.client.Rollback({ revision, reason }, this.metadata(), this.callOptions(), cb),
    );
    const plan = decodePlan(res.plan);
    return {
      applied: {
        generation: res.applied_generation,
        hash: res.applied_hash,
        revision: res.applied_revision,
      },
      ...(plan ? { plan } : {}),
    };
  }

  /** Revisions, newest first. */
  async history(opts: { limit?: number; includeSpecs?: boolean } = {}): Promise<RevisionInfo[]> {
    const res = await this.unary<HistoryResponse__Output>((cb) =>
      this.client.History(
        { limit: opts.limit ?? 0, include_specs: opts.includeSpecs ?? false },
        this.metadata(),
        this.callOptions(),
        cb,
      ),
    );
    return res.revisions.map(decodeRevision);
  }

  /** The agent's status and applied spec. */
  async status(): Promise<StateInfo> {
    const res = await this.unary<GetStateResponse__Output>((cb) =>
      this.client.GetState({}, this.metadata(), this.callOptions(), cb),
    );
    if (!res.status) throw new RouterClientError("rejected", "the agent sent no status");
    const spec = res.spec ? specFromWire(res.spec) : undefined;
    return {
      status: decodeStatus(res.status),
      ...(spec ? { spec } : {}),
      ...(res.system ? { system: decodeSystemInfo(res.system) } : {}),
    };
  }

  /** The current lease table (one snapshot). */
  async leases(): Promise<Lease[]> {
    return new Promise<Lease[]>((resolve, reject) => {
      let leases: Lease[] | undefined;
      const watch = this.watch(
        { leases: true },
        {
          onSnapshot: (l) => {
            leases = l;
            watch.cancel();
          },
        },
        { reconnect: false },
      );
      watch.done.then(
        () =>
          leases ? resolve(leases) : reject(new RouterClientError("rejected", "no lease snapshot")),
        reject,
      );
    });
  }

  /** `count` consecutive counter samples `intervalMs` apart (at least 1). */
  async counters(intervalMs: number, count = 2): Promise<CounterSampleInfo[]> {
    return new Promise((resolve, reject) => {
      const samples: CounterSampleInfo[] = [];
      const watch = this.watch(
        { counters: true, counter_interval_ms: intervalMs },
        {
          onCounters: (s) => {
            samples.push(s);
            if (samples.length >= count) watch.cancel();
          },
        },
        { reconnect: false },
      );
      watch.done.then(() => resolve(samples), reject);
    });
  }

  /**
   * Subscribes and calls `handlers` for every event. When the stream breaks
   * (agent restarted, network blip), it reconnects with the last resume token
   * after a back-off of 1 s up to 30 s, unless `reconnect` is false; the agent
   * then replays what was missed or resets with a new snapshot.
   */
  watch(
    request: SubscribeRequest,
    handlers: WatchHandlers,
    opts: { reconnect?: boolean } = {},
  ): Watch {
    let token = request.resume_token ?? "";
    let call: grpc.ClientReadableStream<Event__Output> | undefined;
    let cancelled = false;
    let backoff = 1000;
    let retryTimer: NodeJS.Timeout | undefined;
    let finish: () => void = () => {};
    let fail: (e: unknown) => void = () => {};
    const done = new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    // A caller that never awaits `done` must not see an unhandled rejection.
    done.catch(() => {});
    const open = () => {
      const stream = this.client.Subscribe({ ...request, resume_token: token }, this.metadata());
      call = stream;
      stream.on("data", (e: Event__Output) => {
        backoff = 1000;
        if (e.resume_token) token = e.resume_token;
        switch (e.kind) {
          case "lease_snapshot":
            handlers.onSnapshot?.((e.lease_snapshot?.leases ?? []).map(decodeLease));
            break;
          case "sync":
            handlers.onSync?.();
            break;
          case "lease_event":
            if (e.lease_event) handlers.onLeaseEvent?.(decodeLeaseEvent(e.lease_event));
            break;
          case "counter_sample":
            if (e.counter_sample) handlers.onCounters?.(decodeCounterSample(e.counter_sample));
            break;
          case "reset":
            handlers.onReset?.(e.reset?.reason ?? "");
            break;
          case "heartbeat":
            handlers.onHeartbeat?.();
            break;
        }
      });
      stream.on("error", (err: grpc.ServiceError) => {
        if (cancelled) return;
        const error = fromServiceError(err, this.options.target);
        // CANCELLED from the agent's side (we did not cancel): it went away.
        const retryable = error.kind === "unreachable" || err.code === grpc.status.CANCELLED;
        if (opts.reconnect === false || !retryable) {
          this.explain(err).then(fail);
          return;
        }
        handlers.onReconnect?.(error);
        retryTimer = setTimeout(open, backoff);
        backoff = Math.min(backoff * 2, 30_000);
      });
      stream.on("end", () => {
        if (cancelled) finish();
      });
    };
    open();
    return {
      cancel: () => {
        if (cancelled) return;
        cancelled = true;
        if (retryTimer) clearTimeout(retryTimer);
        call?.cancel();
        finish();
      },
      done,
    };
  }

  private control(action: "CONFIRM" | "CANCEL" | "EXTEND", commitId?: string, ms?: number) {
    return this.reconcile(() => ({
      commit_control: {
        action,
        nonce: randomUUID(),
        commit_id: commitId ?? "",
        ...(ms !== undefined ? { extend_by: durationFromMs(ms) } : {}),
      },
    }));
  }

  /**
   * Opens a Reconcile stream, waits for Hello, sends the one request `make`
   * builds from it, waits for the Ack of its nonce and half-closes.
   */
  private reconcile(make: (hello: AppliedState) => ReconcileRequest): Promise<ApplyResult> {
    return new Promise<ApplyResult>((resolve, reject) => {
      const stream = this.client.Reconcile(this.metadata());
      let previous: AppliedState | undefined;
      let nonce: string | undefined;
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(helloTimer);
        fn();
      };
      const helloTimer = setTimeout(() => {
        settle(() =>
          reject(
            new RouterClientError(
              "unreachable",
              `the agent at ${this.options.target} did not say Hello in time`,
            ),
          ),
        );
        stream.cancel();
      }, this.timeoutMs);
      stream.on("data", (msg: ReconcileResponse__Output) => {
        if (msg.kind === "hello" && msg.hello && !previous) {
          clearTimeout(helloTimer);
          previous = {
            generation: msg.hello.applied_generation,
            hash: msg.hello.applied_hash,
            revision: msg.hello.applied_revision,
          };
          const req = make(previous);
          nonce = req.desired_state?.nonce ?? req.commit_control?.nonce;
          stream.write(req);
        } else if (msg.kind === "ack" && msg.ack && msg.ack.nonce === nonce && previous) {
          const result = decodeAck(msg.ack, previous);
          settle(() => resolve(result));
          stream.end();
        }
      });
      let failed = false;
      stream.on("error", (err: grpc.ServiceError) => {
        if (settled || failed) return;
        failed = true;
        clearTimeout(helloTimer);
        this.explain(err).then((e) => settle(() => reject(e)));
      });
      stream.on("end", () => {
        if (failed) return;
        settle(() =>
          reject(
            new RouterClientError("rejected", "the agent closed the stream without an answer"),
          ),
        );
      });
    });
  }

  /**
   * The error for a failed call; a TCP "unreachable" is re-checked with a TLS
   * probe and becomes "auth" when the agent turned our credentials down.
   */
  private async explain(err: grpc.ServiceError): Promise<RouterClientError> {
    const error = fromServiceError(err, this.options.target);
    const where = splitTarget(this.options.target);
    if (error.kind !== "unreachable" || !where || this.options.insecure) return error;
    const why = await probeTls({
      ...where,
      ...(this.options.ca ? { ca: this.options.ca } : {}),
      ...(this.options.cert ? { cert: this.options.cert } : {}),
      ...(this.options.key ? { key: this.options.key } : {}),
      ...(this.options.serverName ? { serverName: this.options.serverName } : {}),
    });
    if (!why) return error;
    return new RouterClientError(
      "auth",
      `TLS with ${this.options.target} failed: ${why} (check --ca, --cert and --key)`,
      error.grpcCode,
      undefined,
      { cause: err },
    );
  }

  private unary<T>(
    call: (cb: (err: grpc.ServiceError | null, res?: T) => void) => unknown,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      call((err, res) => {
        if (err) this.explain(err).then(reject, reject);
        else if (res === undefined) reject(new RouterClientError("rejected", "empty response"));
        else resolve(res);
      });
    });
  }

  private metadata(): grpc.Metadata {
    const md = new grpc.Metadata();
    if (this.options.token) md.set("authorization", `Bearer ${this.options.token}`);
    return md;
  }

  private callOptions(): grpc.CallOptions {
    return { deadline: Date.now() + this.timeoutMs };
  }
}

function decodeAck(ack: Ack__Output, previous: AppliedState): ApplyResult {
  const plan = decodePlan(ack.plan);
  const pendingCommit = decodePendingCommit(ack.pending_commit);
  return {
    accepted: ack.accepted,
    superseded: ack.superseded,
    applied: {
      generation: ack.applied_generation,
      hash: ack.applied_hash,
      revision: ack.applied_revision,
    },
    previous,
    ...(plan ? { plan } : {}),
    ...(pendingCommit ? { pendingCommit } : {}),
    ...(ack.error ? { error: decodeRpcStatus(ack.error) } : {}),
  };
}

/** grpc-js wants `unix:///abs` or `unix:/abs`; accept both and plain `host:port`. */
function normalizeTarget(target: string): string {
  if (!target)
    throw new RouterClientError("usage", "no target: pass --target or set ROUTERCTL_TARGET");
  return target;
}

function channelCredentials(o: ConnectOptions): grpc.ChannelCredentials {
  if (o.target.startsWith("unix:")) return grpc.credentials.createInsecure();
  if (o.insecure) return grpc.credentials.createInsecure();
  if ((o.cert === undefined) !== (o.key === undefined)) {
    throw new RouterClientError("usage", "a client certificate needs both --cert and --key");
  }
  return grpc.credentials.createSsl(o.ca ?? null, o.key ?? null, o.cert ?? null);
}
