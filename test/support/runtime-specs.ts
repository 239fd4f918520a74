/**
 * Validated `RouterSpec` values for runtime tests, built by hand so runtime
 * tests do not depend on the validator's defaults. `seedSpec()` is the seed's
 * scenario: WAN eth0, one LAN 10.88.0.1/24 on ens7 with DHCP .50-.200. Each
 * call returns a fresh object, so tests may mutate it. The renderer tests bind
 * these (`test/unit/render/bound-specs.ts`) and the validator's test expects
 * the seed example to come out as `seedSpec()` with its management CIDR.
 */
import type { DhcpSpec, LanSpec, RouterSpec } from "../../agent/src/model/types.js";

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

/** The seed's LAN: `lan("lan2", "ens7", 88)` that may not reach the DMZ 192.168.1.0/24. */
export function seedLan(): LanSpec {
  return { ...lan("lan2", "ens7", 88), blocked_destinations: ["192.168.1.0/24"] };
}

/** A LAN with DHCP on `ifname` at 10.<n>.0.1/24. */
export function lan(name: string, ifname: string, n: number): LanSpec {
  return {
    name,
    interface: { name: ifname },
    address: `10.${n}.0.1/24`,
    allow_lans: [],
    blocked_destinations: [],
    dhcp: lanDhcp(n),
  };
}

/** DHCP for the LAN 10.<n>.0.1/24: .50-.200 for 12h, the LAN's address as router and DNS. */
export function lanDhcp(n: number): DhcpSpec {
  const base = `10.${n}.0`;
  return {
    ranges: [{ start: `${base}.50`, end: `${base}.200` }],
    lease_time: "12h",
    router: `${base}.1`,
    dns_servers: [`${base}.1`],
    static_leases: [],
    options: [],
  };
}

/** The seed's spec with changes applied by `edit`. */
export function specWith(edit: (spec: RouterSpec) => void): RouterSpec {
  const spec = seedSpec();
  edit(spec);
  return spec;
}
