/**
 * Facts about the guest and the agent process for `routerctl status`: host
 * name, distribution, kernel, uptime, memory, load and the agent's own RSS.
 *
 * Read on demand only (a GetState call), never at idle: `systeminformation`
 * is imported lazily so that it costs the daemon no memory until someone
 * asks. Reading never throws; a source that fails yields `undefined` and the
 * caller leaves the facts out.
 */
import { loadavg } from "node:os";

export interface SystemInfo {
  hostname: string;
  os: string;
  kernel: string;
  arch: string;
  uptimeSeconds: number;
  memoryTotalBytes: number;
  memoryAvailableBytes: number;
  /** 1, 5 and 15 minute load averages. */
  loadAverage: number[];
  agentVersion: string;
  nodeVersion: string;
  agentRssBytes: number;
}

export interface SystemInfoSource {
  read(): Promise<SystemInfo | undefined>;
}

/** Reads the facts with `systeminformation` and Node's own process data. */
export class HostSystemInfo implements SystemInfoSource {
  constructor(private readonly agentVersion: string) {}

  async read(): Promise<SystemInfo | undefined> {
    try {
      const si = await import("systeminformation");
      const [osInfo, mem] = await Promise.all([si.osInfo(), si.mem()]);
      return {
        hostname: osInfo.hostname,
        os: [osInfo.distro, osInfo.release].filter(Boolean).join(" "),
        kernel: osInfo.kernel,
        arch: osInfo.arch,
        uptimeSeconds: Math.floor(si.time().uptime),
        memoryTotalBytes: mem.total,
        memoryAvailableBytes: mem.available,
        loadAverage: loadavg(),
        agentVersion: this.agentVersion,
        nodeVersion: process.version,
        agentRssBytes: process.memoryUsage.rss(),
      };
    } catch {
      return undefined;
    }
  }
}
