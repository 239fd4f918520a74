/**
 * Wire messages the agent sends, as the plain camelCase values the runtime
 * contract defines (agent/src/runtime/router-runtime.ts), so callers of
 * `RouterClient` see the same shapes the agent works with. The inverse of
 * agent/src/api/state-codec.ts.
 */
import { specFromWire } from "../../agent/src/api/spec-codec.js";
import { msFromTimestamp } from "../../agent/src/api/state-codec.js";
import type { LinkOp } from "../../agent/src/render/links.js";
import type {
  CounterSample,
  DnsmasqAction,
  Lease,
  LeaseEvent,
  PendingCommit,
  Plan,
  Revision,
  RouterStatus,
} from "../../agent/src/runtime/router-runtime.js";
import type { SystemInfo } from "../../agent/src/runtime/system-info.js";
import type { CounterSample__Output } from "../../proto/gen/router/v1/CounterSample.js";
import type { Lease__Output } from "../../proto/gen/router/v1/Lease.js";
import type { LeaseEvent__Output } from "../../proto/gen/router/v1/LeaseEvent.js";
import type { PendingCommit__Output } from "../../proto/gen/router/v1/PendingCommit.js";
import type { Plan__Output } from "../../proto/gen/router/v1/Plan.js";
import type { Revision__Output } from "../../proto/gen/router/v1/Revision.js";
import type { RouterStatus__Output } from "../../proto/gen/router/v1/RouterStatus.js";
import type { SystemInfo__Output } from "../../proto/gen/router/v1/SystemInfo.js";

type Ts = Parameters<typeof msFromTimestamp>[0];

function iso(ts: Ts): string {
  const ms = msFromTimestamp(ts);
  return ms === undefined ? "" : new Date(ms).toISOString();
}

export function decodePendingCommit(
  p: PendingCommit__Output | null | undefined,
): PendingCommit | undefined {
  if (!p) return undefined;
  return { commitId: p.commit_id, deadline: iso(p.deadline), rollbackTo: p.rollback_to };
}

const DNSMASQ_ACTIONS: Record<string, DnsmasqAction> = {
  DNSMASQ_ACTION_NONE: "none",
  DNSMASQ_ACTION_INOTIFY: "inotify",
  DNSMASQ_ACTION_SIGHUP: "sighup",
  DNSMASQ_ACTION_RESTART: "restart",
};

export function decodePlan(p: Plan__Output | null | undefined): Plan | undefined {
  if (!p) return undefined;
  const linkOps: LinkOp[] = p.link_ops.map((op) => {
    if (op.op === "LINK_UP") return { op: "link-up", ifname: op.ifname };
    return {
      op: op.op === "ADDR_DEL" ? "addr-del" : "addr-add",
      ifname: op.ifname,
      address: op.address,
    };
  });
  return {
    nftDiff: p.nft_diff,
    dnsmasqDiff: p.dnsmasq_diff,
    linkOps,
    dnsmasqAction: DNSMASQ_ACTIONS[p.dnsmasq_action] ?? "none",
    noop: p.noop,
  };
}

export function decodeStatus(s: RouterStatus__Output): RouterStatus {
  const pendingCommit = decodePendingCommit(s.pending_commit);
  return {
    appliedRevision: s.applied_revision,
    appliedGeneration: s.applied_generation,
    appliedHash: s.applied_hash,
    conditions: s.conditions.map((c) => ({
      type: c.type as RouterStatus["conditions"][number]["type"],
      status: c.status,
      reason: c.reason,
      message: c.message,
      observedGeneration: c.observed_generation,
      lastTransitionTime: iso(c.last_transition_time),
    })),
    ...(pendingCommit ? { pendingCommit } : {}),
    dnsmasq: {
      running: s.dnsmasq?.running ?? false,
      ...(s.dnsmasq?.pid ? { pid: s.dnsmasq.pid } : {}),
      restarts: s.dnsmasq?.restarts ?? 0,
    },
    startedAt: iso(s.started_at),
  };
}

export function decodeSystemInfo(s: SystemInfo__Output): SystemInfo {
  return {
    hostname: s.hostname,
    os: s.os,
    kernel: s.kernel,
    arch: s.arch,
    uptimeSeconds: s.uptime_seconds,
    memoryTotalBytes: s.memory_total_bytes,
    memoryAvailableBytes: s.memory_available_bytes,
    loadAverage: s.load_average,
    agentVersion: s.agent_version,
    nodeVersion: s.node_version,
    agentRssBytes: s.agent_rss_bytes,
  };
}

/** A revision; `spec` is the YAML-shaped plain object, when it was asked for. */
export type RevisionInfo = Omit<Revision, "spec"> & { spec?: Record<string, unknown> };

export function decodeRevision(r: Revision__Output): RevisionInfo {
  return {
    revision: r.revision,
    hash: r.hash,
    generation: r.generation,
    appliedAt: iso(r.applied_at),
    actor: r.actor,
    reason: r.reason,
    ...(r.spec ? { spec: specFromWire(r.spec) } : {}),
  };
}

export function decodeLease(l: Lease__Output): Lease {
  return {
    mac: l.mac,
    ip: l.ip,
    ...(l.hostname !== undefined ? { hostname: l.hostname } : {}),
    expiresAt: l.expires_at,
    kind: l.kind === "STATIC" ? "static" : "dynamic",
    ...(l.lan !== undefined ? { lan: l.lan } : {}),
  };
}

const LEASE_ACTIONS = { ADD: "add", OLD: "old", DEL: "del" } as const;

/** A lease event; `seq` is not on the wire (it lives in the resume token) and is 0. */
export function decodeLeaseEvent(e: LeaseEvent__Output): LeaseEvent {
  return {
    seq: 0,
    action: LEASE_ACTIONS[e.action as keyof typeof LEASE_ACTIONS] ?? "old",
    lease: e.lease ? decodeLease(e.lease) : { mac: "", ip: "", expiresAt: 0, kind: "dynamic" },
    at: msFromTimestamp(e.at) ?? 0,
  };
}

export interface CounterSampleInfo extends CounterSample {
  /** Samples the agent coalesced into this one because we read slowly. */
  duplicates: number;
}

export function decodeCounterSample(s: CounterSample__Output): CounterSampleInfo {
  return {
    at: msFromTimestamp(s.at) ?? 0,
    rules: s.rules.map((r) => ({ id: r.id, packets: r.packets, bytes: r.bytes })),
    interfaces: s.interfaces.map((i) => ({
      ifname: i.ifname,
      rxBytes: i.rx_bytes,
      rxPackets: i.rx_packets,
      txBytes: i.tx_bytes,
      txPackets: i.tx_packets,
    })),
    conntrackCount: s.conntrack_count,
    duplicates: s.duplicates,
  };
}
