/**
 * The current DHCP lease table, kept from the hook's events and reconciled
 * against dnsmasq's lease file. Implements `LeaseSource` for the API.
 *
 * Leases are keyed by IP (a lease is an address handed to a MAC). Each change
 * to the table is one `LeaseEvent` with a per-process sequence number; an
 * event that would change nothing (dnsmasq repeats "old" for every lease on
 * start and on SIGHUP) is not emitted. Events are delivered to subscribers
 * synchronously, inside the call that caused them, and kept in a bounded
 * replay buffer for resuming streams.
 *
 * `reconcile` compares the table with the lease file and emits synthetic
 * add/old/del for the differences: this fills the table at start, repairs
 * events lost while the agent was down, and picks up lease renewals (dnsmasq
 * only reports those with `script-on-renewal`). No I/O here: the caller reads
 * the file (`lease-file-reader.ts`) and the clock is injected.
 */
import type { Logger } from "pino";
import { type Cidr, contains, parseCidr, parseIpv4 } from "../model/net.js";
import type { BoundSpec, RouterSpec } from "../model/types.js";
import type { FileLease } from "./lease-file.js";
import type { HookEvent } from "./lease-hook.js";
import type { Lease, LeaseAction, LeaseEvent, LeaseSource } from "./router-runtime.js";

/** What the tracker needs to know about the configuration to label leases. */
export interface LeaseContext {
  /** Each LAN's name and router address with prefix, e.g. `10.88.0.1/24`. */
  lans: { name: string; address: string }[];
  /** Configured static leases: a lease is "static" when MAC and IP both match one. */
  staticLeases: { mac: string; ip: string }[];
}

/** Derives the tracker's context from a validated spec. */
export function leaseContextFromSpec(spec: Pick<RouterSpec | BoundSpec, "lans">): LeaseContext {
  return {
    lans: spec.lans.map((l) => ({ name: l.name, address: l.address })),
    staticLeases: spec.lans.flatMap((l) =>
      (l.dhcp?.static_leases ?? []).map((s) => ({ mac: s.mac.toLowerCase(), ip: s.ip })),
    ),
  };
}

export interface LeaseTrackerOptions {
  logger: Logger;
  /** Unix ms; default `Date.now`. */
  now?: () => number;
  /** Events kept for `since`. Default 4096. */
  replayLimit?: number;
}

export class LeaseTracker implements LeaseSource {
  private readonly leases = new Map<string, Lease>();
  private readonly replay: LeaseEvent[] = [];
  private readonly listeners = new Set<(event: LeaseEvent) => void>();
  private readonly now: () => number;
  private readonly replayLimit: number;
  private seq = 0;
  private subnets: { name: string; cidr: Cidr }[] = [];
  private statics = new Set<string>();

  constructor(private readonly opts: LeaseTrackerOptions) {
    this.now = opts.now ?? Date.now;
    this.replayLimit = opts.replayLimit ?? 4096;
    if (!Number.isInteger(this.replayLimit) || this.replayLimit < 1) {
      throw new Error(`lease tracker: replayLimit must be a positive integer`);
    }
  }

  /**
   * Sets the LANs and static leases used to fill `lan` and `kind`. Leases
   * whose labels change because of it are re-emitted as "old".
   */
  setContext(ctx: LeaseContext): void {
    this.subnets = [];
    for (const lan of ctx.lans) {
      const cidr = parseCidr(lan.address);
      if (cidr && cidr.family === 4) this.subnets.push({ name: lan.name, cidr });
      else this.opts.logger.warn({ lan: lan.name }, "lease context: LAN address is not IPv4 CIDR");
    }
    this.statics = new Set(ctx.staticLeases.map((s) => staticKey(s.mac.toLowerCase(), s.ip)));
    for (const lease of [...this.leases.values()]) {
      this.put("old", { ...lease });
    }
  }

  /** Applies one event from the hook. Returns the emitted event, or undefined if nothing changed. */
  applyHookEvent(ev: HookEvent): LeaseEvent | undefined {
    if (ev.action === "del") {
      const existing = this.leases.get(ev.ip);
      if (!existing) return undefined;
      return this.remove(existing);
    }
    const lease: Lease = {
      mac: ev.mac,
      ip: ev.ip,
      expiresAt: this.expiryOf(ev),
      kind: "dynamic",
    };
    if (ev.hostname !== undefined) lease.hostname = ev.hostname;
    return this.put(ev.action, lease);
  }

  /**
   * Makes the table equal to the lease file's content, emitting add for new
   * leases, old for changed ones and del for those no longer in the file.
   * Returns the emitted events.
   */
  reconcile(fileLeases: FileLease[]): LeaseEvent[] {
    const out: LeaseEvent[] = [];
    const seen = new Set<string>();
    for (const fl of fileLeases) {
      seen.add(fl.ip);
      const lease: Lease = { mac: fl.mac, ip: fl.ip, expiresAt: fl.expiresAt, kind: "dynamic" };
      if (fl.hostname !== undefined) lease.hostname = fl.hostname;
      const ev = this.put(this.leases.has(fl.ip) ? "old" : "add", lease);
      if (ev) out.push(ev);
    }
    for (const lease of [...this.leases.values()]) {
      if (seen.has(lease.ip)) continue;
      const ev = this.remove(lease);
      if (ev) out.push(ev);
    }
    return out;
  }

  snapshot(): Lease[] {
    return [...this.leases.values()]
      .sort((a, b) => ipNumber(a.ip) - ipNumber(b.ip))
      .map((l) => ({ ...l }));
  }

  lastSeq(): number {
    return this.seq;
  }

  /**
   * Events after `afterSeq`, oldest first. Undefined when the buffer no longer
   * reaches back that far, or when `afterSeq` is not a seq this process
   * issued (negative, fractional, or in the future): the caller must resync
   * from `snapshot()`.
   */
  since(afterSeq: number): LeaseEvent[] | undefined {
    if (!Number.isInteger(afterSeq) || afterSeq < 0 || afterSeq > this.seq) return undefined;
    if (afterSeq === this.seq) return [];
    const oldest = this.replay[0];
    if (!oldest || oldest.seq > afterSeq + 1) return undefined;
    return this.replay.slice(afterSeq + 1 - oldest.seq).map(cloneEvent);
  }

  subscribe(listener: (event: LeaseEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private expiryOf(ev: HookEvent): number {
    if (ev.expires !== undefined) return ev.expires;
    if (ev.remaining !== undefined) return Math.floor(this.now() / 1000) + ev.remaining;
    return 0;
  }

  /** Labels and stores a lease; emits `action` unless nothing changed. */
  private put(action: LeaseAction, raw: Lease): LeaseEvent | undefined {
    const lease = this.label(raw);
    const existing = this.leases.get(lease.ip);
    if (existing && sameLease(existing, lease)) return undefined;
    this.leases.set(lease.ip, lease);
    return this.emit(action, lease);
  }

  private remove(lease: Lease): LeaseEvent {
    this.leases.delete(lease.ip);
    return this.emit("del", lease);
  }

  private label(lease: Lease): Lease {
    const out: Lease = {
      mac: lease.mac,
      ip: lease.ip,
      expiresAt: lease.expiresAt,
      kind: this.statics.has(staticKey(lease.mac, lease.ip)) ? "static" : "dynamic",
    };
    if (lease.hostname !== undefined) out.hostname = lease.hostname;
    const ip = parseIpv4(lease.ip);
    const lan = ip && this.subnets.find((s) => contains(s.cidr, ip.value));
    if (lan) out.lan = lan.name;
    return out;
  }

  private emit(action: LeaseAction, lease: Lease): LeaseEvent {
    this.seq++;
    const event: LeaseEvent = { seq: this.seq, action, lease: { ...lease }, at: this.now() };
    this.replay.push(event);
    if (this.replay.length > this.replayLimit) this.replay.shift();
    for (const listener of [...this.listeners]) {
      try {
        listener(cloneEvent(event));
      } catch (err) {
        this.opts.logger.error({ err }, "lease subscriber failed");
      }
    }
    return cloneEvent(event);
  }
}

function staticKey(mac: string, ip: string): string {
  return `${mac}|${ip}`;
}

function sameLease(a: Lease, b: Lease): boolean {
  return (
    a.mac === b.mac &&
    a.ip === b.ip &&
    a.hostname === b.hostname &&
    a.expiresAt === b.expiresAt &&
    a.kind === b.kind &&
    a.lan === b.lan
  );
}

function cloneEvent(e: LeaseEvent): LeaseEvent {
  return { ...e, lease: { ...e.lease } };
}

function ipNumber(ip: string): number {
  return parseIpv4(ip)?.value ?? 0;
}
