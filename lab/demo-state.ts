/**
 * Where a running `make demo` records its lab (`<prefix>.json`: prefix, lab
 * directory, namespaces and the demo's pid), so `make demo-down` can find and
 * remove it from another terminal or after a crash.
 */
export const DEMO_STATE_DIR = process.env.ROUTER_AGENT_LAB_STATE_DIR ?? "/run/router-agent-lab";

export interface DemoState {
  prefix: string;
  dir: string;
  pid: number;
}
