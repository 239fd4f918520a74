/**
 * One Subscribe stream: leases (snapshot, sync marker, then events) and/or
 * counter samples, with heartbeats and resume tokens.
 *
 * Resume tokens are `<epoch>-<seq>`: the epoch names this API server
 * instance (a token from another agent process is never mistaken for ours)
 * and `seq` is the last lease event the client received. A resume replays the
 * events after `seq` from the lease source's buffer, then sends the sync
 * marker; when they are gone it sends `Reset` and a fresh snapshot. Streams
 * without leases carry an empty token.
 *
 * Backpressure: the session writes only while `call.write()` says the
 * transport keeps up; after a `false` it waits for `drain` and holds
 *   - lease events in a FIFO of at most `leaseQueue` entries: never dropped;
 *     on overflow the queue is discarded and the client gets `Reset` plus a
 *     fresh snapshot (which covers everything discarded);
 *   - at most one counter sample: a newer one replaces it and `duplicates`
 *     counts the replaced ones;
 *   - at most one heartbeat.
 * So a stream never holds more than `leaseQueue + 2` messages of its own,
 * however slow its reader.
 */
import type { ServerWritableStream } from "@grpc/grpc-js";
import type { Event } from "../../../proto/gen/router/v1/Event.js";
import type { SubscribeRequest__Output } from "../../../proto/gen/router/v1/SubscribeRequest.js";
import type { CounterSample, LeaseEvent, LeaseSource } from "../runtime/router-runtime.js";
import type { CounterSampler } from "./counter-sampler.js";
import {
  counterSampleToWire,
  leaseEventToWire,
  leaseToWire,
  timestampFromMs,
} from "./state-codec.js";

export interface SubscribeLimits {
  /** Lease events held for a slow reader before it is reset. */
  leaseQueue: number;
  /** A heartbeat goes out when nothing was written for this long. */
  heartbeatMs: number;
}

/** Counters shared by all sessions, for `ApiServer.stats()`. */
export interface SubscribeStats {
  /** The longest lease queue any session has held. */
  leaseQueueHighWater: number;
  /** Counter samples replaced before a slow reader got them. */
  coalescedSamples: number;
  /** Resets decided (queue overflow or impossible resume). */
  resets: number;
}

export interface SubscribeDeps {
  leases: LeaseSource;
  sampler: CounterSampler;
  /** Names this server instance inside resume tokens. */
  epoch: string;
  limits: SubscribeLimits;
  stats: SubscribeStats;
  /** Called once when the session ends. */
  onClose(): void;
}

export const MIN_COUNTER_INTERVAL_MS = 100;
export const MAX_COUNTER_INTERVAL_MS = 3_600_000;
export const DEFAULT_COUNTER_INTERVAL_MS = 1000;

type Call = ServerWritableStream<SubscribeRequest__Output, Event>;

/** The interval a request asks for, defaulted and clamped. */
export function counterInterval(requested: number): number {
  if (!requested) return DEFAULT_COUNTER_INTERVAL_MS;
  return Math.min(MAX_COUNTER_INTERVAL_MS, Math.max(MIN_COUNTER_INTERVAL_MS, requested));
}

/** The lease seq in a token of this epoch; undefined for a foreign or malformed token. */
export function parseResumeToken(token: string, epoch: string): number | undefined {
  const match = /^([0-9a-f]+)-(\d+)$/.exec(token);
  if (!match || match[1] !== epoch) return undefined;
  const seq = Number(match[2]);
  return Number.isSafeInteger(seq) ? seq : undefined;
}

/** Serves one Subscribe call until the client goes away. */
export function serveSubscribe(call: Call, deps: SubscribeDeps): void {
  new SubscribeSession(call, deps).start();
}

class SubscribeSession {
  private readonly leaseQueue: LeaseEvent[] = [];
  private pendingSample: { sample: CounterSample; duplicates: number } | undefined;
  private pendingHeartbeat = false;
  private resetReason: string | undefined;
  private waitingDrain = false;
  private closed = false;
  /** Highest lease seq written to, or queued for, this client. */
  private lastSeq = 0;
  /** Highest lease seq actually written: the resume position. */
  private writtenSeq = 0;
  private lastWriteAt = Date.now();
  private readonly cleanups: Array<() => void> = [];

  constructor(
    private readonly call: Call,
    private readonly deps: SubscribeDeps,
  ) {}

  start(): void {
    const req = this.call.request;
    for (const event of ["cancelled", "close", "error", "finish"] as const) {
      this.call.on(event, () => this.close());
    }
    if (req.leases) this.startLeases(req.resume_token);
    if (req.counters) {
      this.cleanups.push(
        this.deps.sampler.subscribe(counterInterval(req.counter_interval_ms), (s) =>
          this.onSample(s),
        ),
      );
    }
    const heartbeat = setInterval(() => {
      if (Date.now() - this.lastWriteAt < this.deps.limits.heartbeatMs) return;
      this.pendingHeartbeat = true;
      this.flush();
    }, this.deps.limits.heartbeatMs);
    heartbeat.unref();
    this.cleanups.push(() => clearInterval(heartbeat));
  }

  private startLeases(token: string): void {
    const source = this.deps.leases;
    // snapshot(), lastSeq() and subscribe() run in one tick: no event can
    // slip between the snapshot and the listener.
    if (token) {
      const seq = parseResumeToken(token, this.deps.epoch);
      const replay = seq === undefined || seq > source.lastSeq() ? undefined : source.since(seq);
      if (replay) {
        this.lastSeq = this.writtenSeq = seq as number;
        for (const event of replay) {
          this.write(
            { resume_token: this.token(event.seq), lease_event: leaseEventToWire(event) },
            event.seq,
          );
        }
        this.lastSeq = this.writtenSeq;
        this.write({ resume_token: this.token(this.writtenSeq), sync: {} });
      } else {
        const why =
          seq === undefined ? "resume token not from this agent process" : "resume token too old";
        this.deps.stats.resets++;
        this.writeResetAndSnapshot(why);
      }
    } else {
      this.writeSnapshot();
    }
    this.cleanups.push(source.subscribe((event) => this.onLeaseEvent(event)));
  }

  private onLeaseEvent(event: LeaseEvent): void {
    if (this.closed || event.seq <= this.lastSeq) return;
    if (this.resetReason !== undefined) return; // the coming snapshot covers it
    if (this.leaseQueue.length >= this.deps.limits.leaseQueue) {
      this.leaseQueue.length = 0;
      this.resetReason = "lease event queue overflow: the client reads too slowly";
      this.deps.stats.resets++;
      this.flush();
      return;
    }
    this.leaseQueue.push(event);
    this.lastSeq = event.seq;
    const stats = this.deps.stats;
    stats.leaseQueueHighWater = Math.max(stats.leaseQueueHighWater, this.leaseQueue.length);
    this.flush();
  }

  private onSample(sample: CounterSample): void {
    if (this.closed) return;
    if (this.pendingSample) {
      this.deps.stats.coalescedSamples++;
      this.pendingSample = { sample, duplicates: this.pendingSample.duplicates + 1 };
    } else {
      this.pendingSample = { sample, duplicates: 0 };
    }
    this.flush();
  }

  /** Writes what is held, in priority order, until the transport pushes back. */
  private flush(): void {
    while (!this.closed && !this.waitingDrain) {
      if (this.resetReason !== undefined) {
        const reason = this.resetReason;
        this.resetReason = undefined;
        this.writeResetAndSnapshot(reason);
        continue;
      }
      const event = this.leaseQueue.shift();
      if (event) {
        this.write(
          { resume_token: this.token(event.seq), lease_event: leaseEventToWire(event) },
          event.seq,
        );
        continue;
      }
      const held = this.pendingSample;
      if (held) {
        this.pendingSample = undefined;
        this.write({
          resume_token: this.token(this.writtenSeq),
          counter_sample: counterSampleToWire(held.sample, held.duplicates),
        });
        continue;
      }
      if (this.pendingHeartbeat) {
        this.pendingHeartbeat = false;
        this.write({
          resume_token: this.token(this.writtenSeq),
          heartbeat: { at: timestampFromMs(Date.now()) },
        });
        continue;
      }
      return;
    }
  }

  private writeSnapshot(): void {
    const source = this.deps.leases;
    const leases = source.snapshot();
    const seq = source.lastSeq();
    this.lastSeq = Math.max(this.lastSeq, seq);
    this.write(
      { resume_token: this.token(seq), lease_snapshot: { leases: leases.map(leaseToWire) } },
      seq,
    );
    this.write({ resume_token: this.token(seq), sync: {} });
  }

  private writeResetAndSnapshot(reason: string): void {
    this.leaseQueue.length = 0;
    this.write({ resume_token: this.token(this.writtenSeq), reset: { reason } });
    this.writeSnapshot();
  }

  /** Empty for streams without leases: they have no position to resume. */
  private token(seq: number): string {
    return this.call.request.leases ? `${this.deps.epoch}-${seq}` : "";
  }

  private write(event: Event, seq?: number): void {
    if (this.closed) return;
    if (seq !== undefined) this.writtenSeq = seq;
    this.lastWriteAt = Date.now();
    if (!this.call.write(event) && !this.waitingDrain) {
      this.waitingDrain = true;
      this.call.once("drain", () => {
        this.waitingDrain = false;
        this.flush();
      });
    }
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.leaseQueue.length = 0;
    this.pendingSample = undefined;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.deps.onClose();
  }
}
