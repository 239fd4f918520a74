/**
 * The runtime's plain values (status, plans, revisions, leases, counters) as
 * `router.v1` wire messages, and back for the client. Pure translation: no
 * defaults invented, no logic.
 */
import type { Timestamp } from "../../../proto/gen/google/protobuf/Timestamp.js";
import type { CounterSample as WireCounterSample } from "../../../proto/gen/router/v1/CounterSample.js";
import type { Lease as WireLease } from "../../../proto/gen/router/v1/Lease.js";
import type { LeaseEvent as WireLeaseEvent } from "../../../proto/gen/router/v1/LeaseEvent.js";
import type { PendingCommit as WirePendingCommit } from "../../../proto/gen/router/v1/PendingCommit.js";
import type { Plan as WirePlan } from "../../../proto/gen/router/v1/Plan.js";
import type { Revision as WireRevision } from "../../../proto/gen/router/v1/Revision.js";
import type { RouterStatus as WireRouterStatus } from "../../../proto/gen/router/v1/RouterStatus.js";
import type { SystemInfo as WireSystemInfo } from "../../../proto/gen/router/v1/SystemInfo.js";
import type { LinkOp } from "../render/links.js";
import type {
  CounterSample,
  DnsmasqAction,
  Lease,
  LeaseEvent,
  PendingCommit,
  Plan,
  Revision,
  RouterStatus,
} from "../runtime/router-runtime.js";
import type { SystemInfo } from "../runtime/system-info.js";
import { specToWire } from "./spec-codec.js";

/** Unix milliseconds as a Timestamp. */
export function timestampFromMs(ms: number): Timestamp {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

/** An ISO-8601 time as a Timestamp; null when absent or unparsable. */
export function timestampFromIso(iso: string | undefined): Timestamp | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : timestampFromMs(ms);
}

/** A decoded Timestamp as unix ms (fractional); undefined for null. */
export function msFromTimestamp(
  ts: { seconds?: number | string; nanos?: number } | null | undefined,
) {
  if (!ts) return undefined;
  return Number(ts.seconds ?? 0) * 1000 + (ts.nanos ?? 0) / 1e6;
}

/** A decoded Duration as ms; 0 for null. */
export function msFromDuration(
  d: { seconds?: number | string; nanos?: number } | null | undefined,
): number {
  if (!d) return 0;
  return Number(d.seconds ?? 0) * 1000 + Math.floor((d.nanos ?? 0) / 1e6);
}

/** Milliseconds as a Duration. */
export function durationFromMs(ms: number): { seconds: number; nanos: number } {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

export function pendingCommitToWire(p: PendingCommit | undefined): WirePendingCommit | null {
  if (!p) return null;
  return {
    commit_id: p.commitId,
    deadline: timestampFromIso(p.deadline),
    rollback_to: p.rollbackTo,
  };
}

const DNSMASQ_ACTIONS: Record<DnsmasqAction, WirePlan["dnsmasq_action"]> = {
  none: "DNSMASQ_ACTION_NONE",
  inotify: "DNSMASQ_ACTION_INOTIFY",
  sighup: "DNSMASQ_ACTION_SIGHUP",
  restart: "DNSMASQ_ACTION_RESTART",
};

const LINK_OPS = { "link-up": "LINK_UP", "addr-add": "ADDR_ADD", "addr-del": "ADDR_DEL" } as const;

export function planToWire(plan: Plan | undefined): WirePlan | null {
  if (!plan) return null;
  return {
    nft_diff: plan.nftDiff,
    dnsmasq_diff: plan.dnsmasqDiff,
    link_ops: plan.linkOps.map((op: LinkOp) => ({
      op: LINK_OPS[op.op],
      ifname: op.ifname,
      address: "address" in op ? op.address : "",
    })),
    dnsmasq_action: DNSMASQ_ACTIONS[plan.dnsmasqAction],
    noop: plan.noop,
  };
}

export function statusToWire(s: RouterStatus): WireRouterStatus {
  return {
    conditions: s.conditions.map((c) => ({
      type: c.type,
      status: c.status,
      reason: c.reason,
      message: c.message,
      observed_generation: c.observedGeneration,
      last_transition_time: timestampFromIso(c.lastTransitionTime),
    })),
    applied_generation: s.appliedGeneration,
    applied_hash: s.appliedHash,
    applied_revision: s.appliedRevision,
    dnsmasq: { running: s.dnsmasq.running, pid: s.dnsmasq.pid ?? 0, restarts: s.dnsmasq.restarts },
    pending_commit: pendingCommitToWire(s.pendingCommit),
    started_at: timestampFromIso(s.startedAt),
  };
}

export function systemInfoToWire(s: SystemInfo): WireSystemInfo {
  return {
    hostname: s.hostname,
    os: s.os,
    kernel: s.kernel,
    arch: s.arch,
    uptime_seconds: s.uptimeSeconds,
    memory_total_bytes: s.memoryTotalBytes,
    memory_available_bytes: s.memoryAvailableBytes,
    load_average: s.loadAverage,
    agent_version: s.agentVersion,
    node_version: s.nodeVersion,
    agent_rss_bytes: s.agentRssBytes,
  };
}

/** A revision; its spec only when asked (specs can be megabytes). */
export function revisionToWire(r: Revision, withSpec: boolean): WireRevision {
  const spec = withSpec ? specToWire(r.spec) : undefined;
  return {
    revision: r.revision,
    hash: r.hash,
    generation: r.generation,
    applied_at: timestampFromIso(r.appliedAt),
    actor: r.actor,
    reason: r.reason,
    spec: spec?.ok ? spec.value : null,
  };
}

export function leaseToWire(l: Lease): WireLease {
  const out: WireLease = {
    mac: l.mac,
    ip: l.ip,
    expires_at: l.expiresAt,
    kind: l.kind === "static" ? "STATIC" : "DYNAMIC",
  };
  if (l.hostname !== undefined) out.hostname = l.hostname;
  if (l.lan !== undefined) out.lan = l.lan;
  return out;
}

const LEASE_ACTIONS = { add: "ADD", old: "OLD", del: "DEL" } as const;

export function leaseEventToWire(e: LeaseEvent): WireLeaseEvent {
  return {
    action: LEASE_ACTIONS[e.action],
    lease: leaseToWire(e.lease),
    at: timestampFromMs(e.at),
  };
}

export function counterSampleToWire(s: CounterSample, duplicates: number): WireCounterSample {
  return {
    at: timestampFromMs(s.at),
    rules: s.rules.map((r) => ({ id: r.id, packets: r.packets, bytes: r.bytes })),
    interfaces: s.interfaces.map((i) => ({
      ifname: i.ifname,
      rx_bytes: i.rxBytes,
      rx_packets: i.rxPackets,
      tx_bytes: i.txBytes,
      tx_packets: i.txPackets,
    })),
    conntrack_count: s.conntrackCount,
    duplicates,
  };
}
