/**
 * Desired states for the lab tests, as YAML-shaped plain objects: the lab's
 * seed scenario (examples/lab/router.yaml) and small, named variations of it.
 * Each function returns a fresh object; none validates (the agent does).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { repoRoot } from "./lab.js";

// biome-ignore lint/suspicious/noExplicitAny: the spec is untrusted YAML-shaped data on purpose.
export type SpecObject = Record<string, any>;

/** examples/lab/router.yaml: LAN "lan2" on ens7 (10.88.0.1/24), DMZ block of 192.168.1.0/24. */
export function seedSpec(): SpecObject {
  return parse(
    readFileSync(join(repoRoot(), "examples", "lab", "router.yaml"), "utf8"),
  ) as SpecObject;
}

/** The seed plus a second LAN "lan3" on ens8 (10.88.1.1/24) with DHCP; `allowLans` for lan2. */
export function twoLanSpec(allowLans: string[] = []): SpecObject {
  const spec = seedSpec();
  spec.lans[0].allow_lans = allowLans;
  spec.lans.push({
    name: "lan3",
    interface: "ens8",
    address: "10.88.1.1/24",
    blocked_destinations: ["192.168.1.0/24"],
    dhcp: { ranges: [{ start: "10.88.1.50", end: "10.88.1.200" }], lease_time: "12h" },
  });
  return spec;
}

/** Adds a static lease to the first LAN. */
export function withStaticLease(
  spec: SpecObject,
  mac: string,
  ip: string,
  hostname?: string,
): SpecObject {
  const dhcp = spec.lans[0].dhcp;
  dhcp.static_leases = [
    ...(dhcp.static_leases ?? []),
    { mac, ip, ...(hostname ? { hostname } : {}) },
  ];
  return spec;
}

/** Adds a TCP port forward from the WAN. */
export function withPortForward(
  spec: SpecObject,
  id: string,
  wanPort: number,
  to: string,
  toPort: number,
): SpecObject {
  spec.firewall ??= {};
  spec.firewall.port_forwards = [
    ...(spec.firewall.port_forwards ?? []),
    { id, protocol: "tcp", wan_port: wanPort, to, to_port: toPort },
  ];
  return spec;
}
