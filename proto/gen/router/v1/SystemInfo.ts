// Original file: proto/router/v1/router.proto

import type { Long } from '@grpc/proto-loader';

/**
 * The guest and the agent process, as `routerctl status` shows them.
 */
export interface SystemInfo {
  'hostname'?: (string);
  /**
   * Distribution and release, e.g. "Ubuntu 22.04.4 LTS".
   */
  'os'?: (string);
  'kernel'?: (string);
  /**
   * e.g. "x64", "arm64".
   */
  'arch'?: (string);
  /**
   * Seconds since the guest booted.
   */
  'uptime_seconds'?: (number | string | Long);
  'memory_total_bytes'?: (number | string | Long);
  /**
   * Memory the kernel could give out without swapping (MemAvailable).
   */
  'memory_available_bytes'?: (number | string | Long);
  /**
   * 1, 5 and 15 minute load averages.
   */
  'load_average'?: (number | string)[];
  /**
   * The agent's own version and Node.js runtime.
   */
  'agent_version'?: (string);
  'node_version'?: (string);
  /**
   * The agent process's resident memory.
   */
  'agent_rss_bytes'?: (number | string | Long);
}

/**
 * The guest and the agent process, as `routerctl status` shows them.
 */
export interface SystemInfo__Output {
  'hostname': (string);
  /**
   * Distribution and release, e.g. "Ubuntu 22.04.4 LTS".
   */
  'os': (string);
  'kernel': (string);
  /**
   * e.g. "x64", "arm64".
   */
  'arch': (string);
  /**
   * Seconds since the guest booted.
   */
  'uptime_seconds': (number);
  'memory_total_bytes': (number);
  /**
   * Memory the kernel could give out without swapping (MemAvailable).
   */
  'memory_available_bytes': (number);
  /**
   * 1, 5 and 15 minute load averages.
   */
  'load_average': (number)[];
  /**
   * The agent's own version and Node.js runtime.
   */
  'agent_version': (string);
  'node_version': (string);
  /**
   * The agent process's resident memory.
   */
  'agent_rss_bytes': (number);
}
