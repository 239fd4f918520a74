/**
 * The contract between the agent's runtime (reconciler, supervisor, telemetry)
 * and its adapters (the gRPC server, the CLI's offline commands, main).
 *
 * The gRPC layer only translates wire messages into these calls; all router
 * logic lives behind them. Implementations: `./router.ts` (real) and the fakes
 * used in unit tests.
 */
import type { FieldError, RouterSpec } from "../model/types.js";
import type { LinkOp } from "../render/links.js";

/** Whom an apply is from: a certificate subject, a token name, or "local". */
export type Actor = string;

export interface ApplyRequest {
  /** Untrusted: the YAML-shaped plain object. Validated inside `apply`. */
  spec: unknown;
  /** The sender's generation counter; echoed in acks and status. */
  generation: number;
  dryRun: boolean;
  /** Commit-confirm window in ms; absent or 0: apply is final at once. */
  confirmWithinMs?: number;
  /** Id of the pending commit this push continues (allowed during a window). */
  commitId?: string;
  reason: string;
  actor: Actor;
}

export type DnsmasqAction = "none" | "inotify" | "sighup" | "restart";

/** What an apply would change, compared with what runs now. */
export interface Plan {
  /** Unified diff of the rendered nft document (pretty JSON) against the live one. */
  nftDiff: string;
  /** Unified diff of every dnsmasq file, keyed by path. */
  dnsmasqDiff: string;
  linkOps: LinkOp[];
  dnsmasqAction: DnsmasqAction;
  /** True when the hash equals the applied one: nothing would be done. */
  noop: boolean;
}

export interface Revision {
  /** Monotonic, starting at 1. */
  revision: number;
  /** sha256 hex of the canonical JSON of the validated spec. */
  hash: string;
  generation: number;
  /** ISO-8601. */
  appliedAt: string;
  actor: Actor;
  reason: string;
  spec: RouterSpec;
}

export interface PendingCommit {
  commitId: string;
  /** ISO-8601. */
  deadline: string;
  /** The revision restored if the commit is not confirmed in time. */
  rollbackTo: number;
}

export type ApplyStep =
  | "validate"
  | "bind"
  | "render"
  | "preflight"
  | "sysctl"
  | "links"
  | "nft"
  | "dnsmasq"
  | "persist";

export type ApplyOutcome =
  | {
      kind: "applied";
      revision: Revision;
      plan: Plan;
      pendingCommit?: PendingCommit;
      /** Duration of each step in ms. */
      timings: Partial<Record<ApplyStep, number>>;
    }
  | { kind: "dry-run"; plan: Plan }
  | { kind: "invalid"; errors: FieldError[] }
  /** A step failed; everything done so far was rolled back to last-good. */
  | { kind: "failed"; step: ApplyStep; message: string; stderr?: string; rolledBack: boolean }
  /** Refused without touching anything, e.g. a commit is pending. */
  | {
      kind: "refused";
      code: "commit-pending" | "no-such-revision" | "no-pending-commit";
      message: string;
    };

export type ConditionType = "Ready" | "DhcpServing" | "AwaitingConfirm" | "Degraded";

export interface Condition {
  type: ConditionType;
  status: boolean;
  /** CamelCase machine reason, e.g. "Applied", "DnsmasqDown", "Drift". */
  reason: string;
  message: string;
  observedGeneration: number;
  /** ISO-8601. */
  lastTransitionTime: string;
}

export interface DnsmasqState {
  running: boolean;
  pid?: number;
  restarts: number;
}

export interface RouterStatus {
  appliedRevision: number;
  appliedGeneration: number;
  appliedHash: string;
  conditions: Condition[];
  pendingCommit?: PendingCommit;
  dnsmasq: DnsmasqState;
  /** ISO-8601 start time of the agent process. */
  startedAt: string;
}

export interface RouterRuntime {
  /** Validate, render, pre-flight, apply in order, persist. Never throws. */
  apply(req: ApplyRequest): Promise<ApplyOutcome>;
  /** Confirm the pending commit (any, or the one with this id). */
  confirm(actor: Actor, commitId?: string): Promise<ApplyOutcome>;
  /** Roll back the pending commit now. */
  cancel(actor: Actor, commitId?: string): Promise<ApplyOutcome>;
  /** Push the pending commit's deadline out by `ms` from now. */
  extend(actor: Actor, ms: number, commitId?: string): Promise<ApplyOutcome>;
  /** Re-apply a stored revision as a new revision. */
  rollback(revision: number, actor: Actor, reason: string): Promise<ApplyOutcome>;
  status(): RouterStatus;
  /** Newest first. */
  history(): Revision[];
  /** Called on every condition or applied-state change. Returns an unsubscribe. */
  onStatus(listener: (status: RouterStatus) => void): () => void;
}

export type LeaseKind = "static" | "dynamic";

export interface Lease {
  mac: string;
  ip: string;
  /** Client-supplied: hostile data, never interpreted. */
  hostname?: string;
  /** Unix seconds; 0 for infinite. */
  expiresAt: number;
  kind: LeaseKind;
  /** The LAN whose subnet holds `ip`, if any. */
  lan?: string;
}

export type LeaseAction = "add" | "old" | "del";

export interface LeaseEvent {
  /** Monotonic per agent process; the basis of resume tokens. */
  seq: number;
  action: LeaseAction;
  lease: Lease;
  /** Unix ms when the agent learned of it. */
  at: number;
}

export interface LeaseSource {
  snapshot(): Lease[];
  /** Highest seq emitted so far. */
  lastSeq(): number;
  /** Events with seq > afterSeq still held in the replay buffer, or undefined if gone. */
  since(afterSeq: number): LeaseEvent[] | undefined;
  subscribe(listener: (event: LeaseEvent) => void): () => void;
}

export interface RuleCounter {
  id: string;
  packets: number;
  bytes: number;
}

export interface InterfaceCounter {
  ifname: string;
  rxBytes: number;
  rxPackets: number;
  txBytes: number;
  txPackets: number;
}

export interface CounterSample {
  /** Unix ms. */
  at: number;
  rules: RuleCounter[];
  interfaces: InterfaceCounter[];
  conntrackCount: number;
}

export interface CounterSource {
  sample(): Promise<CounterSample>;
}
