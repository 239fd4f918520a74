/**
 * The counter source for telemetry: the agent's named nft counters, per
 * interface traffic and the conntrack entry count, sampled through the
 * `Exec` seam so that an `ip netns exec` prefix measures inside a namespace.
 *
 * A sample never fails as a whole: a part whose command fails is left empty
 * (or 0 for conntrack) and logged at debug level, because a missing table
 * before the first apply or an unloaded conntrack module is normal.
 */
import type { Logger } from "pino";
import { AGENT_TABLE } from "../render/nft-types.js";
import {
  parseConntrackCount,
  parseIpLinkStats,
  parseNftCounters,
  type TableRef,
} from "./counter-parsers.js";
import type { Exec } from "./exec.js";
import type { CounterSample, CounterSource } from "./router-runtime.js";

export const CONNTRACK_COUNT_PATH = "/proc/sys/net/netfilter/nf_conntrack_count";

export interface SystemCounterSourceOptions {
  exec: Exec;
  logger: Logger;
  /** Default: the agent's table, `inet router_agent`. */
  table?: TableRef;
  /** Which interfaces to report; default all but loopback. */
  includeInterface?: (ifname: string) => boolean;
  /** Unix ms; default `Date.now`. */
  now?: () => number;
  /** Per-command timeout in ms. Default 5 000. */
  timeoutMs?: number;
}

export class SystemCounterSource implements CounterSource {
  private readonly table: TableRef;
  private readonly include: (ifname: string) => boolean;
  private readonly now: () => number;

  constructor(private readonly opts: SystemCounterSourceOptions) {
    this.table = opts.table ?? { family: AGENT_TABLE.family, name: AGENT_TABLE.name };
    this.include = opts.includeInterface ?? ((ifname) => ifname !== "lo");
    this.now = opts.now ?? Date.now;
  }

  /** Runs the three reads in parallel. Never rejects. */
  async sample(): Promise<CounterSample> {
    const at = this.now();
    const [rules, interfaces, conntrackCount] = await Promise.all([
      this.part("nft counters", [], async () => {
        const r = await this.run("nft", [
          "-j",
          "list",
          "counters",
          "table",
          this.table.family,
          this.table.name,
        ]);
        return parseNftCounters(r, this.table);
      }),
      this.part("interface counters", [], async () => {
        const r = await this.run("ip", ["-j", "-s", "link", "show"]);
        return parseIpLinkStats(r).filter((c) => this.include(c.ifname));
      }),
      this.part("conntrack count", 0, async () =>
        parseConntrackCount(await this.run("cat", [CONNTRACK_COUNT_PATH])),
      ),
    ]);
    return { at, rules, interfaces, conntrackCount };
  }

  private async run(cmd: string, args: string[]): Promise<string> {
    const r = await this.opts.exec.run(cmd, args, { timeoutMs: this.opts.timeoutMs ?? 5_000 });
    if (r.code !== 0)
      throw new Error(`${cmd} ${args.join(" ")}: exit ${r.code}: ${r.stderr.trim().slice(0, 200)}`);
    return r.stdout;
  }

  private async part<T>(what: string, fallback: T, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      this.opts.logger.debug({ err }, `${what} unavailable`);
      return fallback;
    }
  }
}
