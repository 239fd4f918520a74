/**
 * The router's conditions (Ready, DhcpServing, AwaitingConfirm, Degraded), in
 * the Kubernetes style: a status, a machine reason, a message and the time of
 * the last status flip. Pure bookkeeping; the caller passes the time.
 */
import type { Condition, ConditionType } from "./router-runtime.js";

const ORDER: ConditionType[] = ["Ready", "DhcpServing", "AwaitingConfirm", "Degraded"];

export interface ConditionUpdate {
  status: boolean;
  reason: string;
  message: string;
  observedGeneration: number;
}

export class Conditions {
  private readonly byType = new Map<ConditionType, Condition>();

  constructor(now: number) {
    const at = new Date(now).toISOString();
    const initial: Record<ConditionType, [boolean, string, string]> = {
      Ready: [false, "Starting", "no desired state applied yet"],
      DhcpServing: [false, "Starting", "dnsmasq not started yet"],
      AwaitingConfirm: [false, "NoPendingCommit", ""],
      Degraded: [false, "AsExpected", ""],
    };
    for (const type of ORDER) {
      const [status, reason, message] = initial[type];
      this.byType.set(type, {
        type,
        status,
        reason,
        message,
        observedGeneration: 0,
        lastTransitionTime: at,
      });
    }
  }

  /**
   * Sets a condition. `lastTransitionTime` moves only when the status flips.
   * Returns whether anything visible changed.
   */
  set(type: ConditionType, update: ConditionUpdate, now: number): boolean {
    const old = this.byType.get(type) as Condition;
    const next: Condition = {
      type,
      ...update,
      lastTransitionTime:
        old.status === update.status ? old.lastTransitionTime : new Date(now).toISOString(),
    };
    const changed =
      old.status !== next.status ||
      old.reason !== next.reason ||
      old.message !== next.message ||
      old.observedGeneration !== next.observedGeneration;
    this.byType.set(type, next);
    return changed;
  }

  get(type: ConditionType): Condition {
    return { ...(this.byType.get(type) as Condition) };
  }

  /** All conditions in a fixed order. */
  list(): Condition[] {
    return ORDER.map((t) => this.get(t));
  }
}
