/**
 * Typed `BoundSpec` literals for the renderer tests: the seed's scenario and a
 * richer multi-LAN one. Each call returns a fresh object, so tests may mutate.
 */
import type {
  BoundLan,
  BoundSpec,
  DhcpSpec,
  FirewallRule,
} from "../../../agent/src/model/types.js";

export function seedDhcp(): DhcpSpec {
  return {
    ranges: [{ start: "10.88.0.50", end: "10.88.0.200" }],
    lease_time: "12h",
    router: "10.88.0.1",
    dns_servers: ["10.88.0.1"],
    static_leases: [],
    options: [],
  };
}

export function seedLan(): BoundLan {
  return {
    name: "lan2",
    interface: { name: "ens7" },
    ifname: "ens7",
    address: "10.88.0.1/24",
    allow_lans: [],
    blocked_destinations: ["192.168.1.0/24"],
    dhcp: seedDhcp(),
  };
}

/** The seed: LAN 10.88.0.1/24 on ens7, WAN eth0, DMZ block of 192.168.1.0/24. */
export function seedSpec(): BoundSpec {
  return {
    wan: {
      interface: "eth0",
      masquerade: true,
      management: { cidrs: ["192.168.130.1/32"], ports: [7443] },
    },
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

export function userRule(partial: Partial<FirewallRule> & { id: string }): FirewallRule {
  return {
    chain: "forward",
    action: "accept",
    from: "any",
    to: "any",
    protocol: "any",
    source_cidrs: [],
    destination_cidrs: [],
    ports: [],
    log: false,
    ...partial,
  };
}

/** Three LANs, one allowed into another, leases, host records, rules and forwards. */
export function richSpec(): BoundSpec {
  const spec = seedSpec();
  spec.dns.domain = "home.arpa";
  spec.dns.hosts = [{ name: "nas", ip: "10.88.1.10" }];
  spec.dns.blocked_domains = ["ads.example", "tracker.example"];
  spec.lans.push(
    {
      name: "office",
      interface: { name: "ens8" },
      ifname: "ens8",
      address: "10.88.1.1/24",
      allow_lans: ["lan2"],
      blocked_destinations: ["192.168.1.0/24", "2001:db8::/32"],
      domain: "office.home.arpa",
      dhcp: {
        ...seedDhcp(),
        ranges: [{ start: "10.88.1.100", end: "10.88.1.150" }],
        router: "10.88.1.1",
        dns_servers: ["10.88.1.1"],
        static_leases: [{ mac: "52:54:00:aa:bb:01", ip: "10.88.1.10", hostname: "nas" }],
        options: [{ option: "ntp-server", values: ["10.88.1.1"] }],
      },
    },
    {
      name: "iot",
      interface: { name: "ens9" },
      ifname: "ens9",
      address: "10.88.2.1/24",
      allow_lans: [],
      blocked_destinations: [],
    },
  );
  spec.firewall.rules = [
    userRule({
      id: "deny-iot-smtp",
      from: "iot",
      to: "wan",
      protocol: "tcp",
      ports: ["25", "465", "587"],
      action: "reject",
      log: true,
    }),
    userRule({
      id: "ssh-from-office",
      chain: "input",
      from: "office",
      protocol: "tcp",
      ports: ["22"],
    }),
    userRule({
      id: "mixed",
      source_cidrs: ["10.88.0.0/24", "2001:db8:1::/48"],
      destination_cidrs: ["198.51.100.0/24"],
    }),
  ];
  spec.firewall.port_forwards = [
    {
      id: "web",
      protocol: "tcp",
      wan_port: 8080,
      to: "10.88.0.10",
      to_port: 80,
      source_cidrs: ["203.0.113.0/24"],
      hairpin: true,
    },
    {
      id: "dns-udp",
      protocol: "udp",
      wan_port: 5353,
      to: "10.88.1.10",
      to_port: 53,
      source_cidrs: [],
      hairpin: false,
    },
  ];
  spec.firewall.log.dropped = true;
  return spec;
}
