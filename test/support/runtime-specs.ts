/**
 * Validated `RouterSpec` values for runtime tests, built by hand so runtime
 * tests do not depend on the validator's defaults. `seedSpec()` is the seed's
 * scenario: WAN eth0, one LAN 10.88.0.1/24 on ens7 with DHCP .50-.200.
 */
import type { LanSpec, RouterSpec } from "../../agent/src/model/types.js";

export function seedSpec(): RouterSpec {
  return {
    wan: { interface: "eth0", masquerade: true, management: { cidrs: [], ports: [7443] } },
    lans: [seedLan()],
    dns: {
      upstreams: ["1.1.1.1", "8.8.8.8"],
      hosts: [],
      blocked_domains: [],
      block_mode: "nxdomain",
    },
    firewall: {
      port_forwards: [],
      rules: [],
      log: { dropped: false, rate_per_minute: 10, prefix: "router-agent" },
    },
  };
}

export function seedLan(): LanSpec {
  return {
    name: "lan2",
    interface: { name: "ens7" },
    address: "10.88.0.1/24",
    allow_lans: [],
    blocked_destinations: ["192.168.1.0/24"],
    dhcp: {
      ranges: [{ start: "10.88.0.50", end: "10.88.0.200" }],
      lease_time: "12h",
      router: "10.88.0.1",
      dns_servers: ["10.88.0.1"],
      static_leases: [],
      options: [],
    },
  };
}

/** A LAN with DHCP on `ifname` at 10.<n>.0.1/24. */
export function lan(name: string, ifname: string, n: number): LanSpec {
  const base = `10.${n}.0`;
  return {
    name,
    interface: { name: ifname },
    address: `${base}.1/24`,
    allow_lans: [],
    blocked_destinations: [],
    dhcp: {
      ranges: [{ start: `${base}.50`, end: `${base}.200` }],
      lease_time: "12h",
      router: `${base}.1`,
      dns_servers: [`${base}.1`],
      static_leases: [],
      options: [],
    },
  };
}

/** The seed's spec with changes applied by `edit`. */
export function specWith(edit: (spec: RouterSpec) => void): RouterSpec {
  const spec = seedSpec();
  edit(spec);
  return spec;
}
