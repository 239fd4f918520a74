/**
 * Typed `BoundSpec` values for the renderer tests: the seed's scenario and a
 * richer multi-LAN one. Each call returns a fresh object, so tests may mutate.
 */
import type { BoundLan, BoundSpec, FirewallRule } from "../../../agent/src/model/types.js";
import { lanDhcp, seedLan, specWith } from "../../support/runtime-specs.js";

/**
 * The seed (`test/support/runtime-specs.ts`) bound: LAN 10.88.0.1/24 on ens7,
 * WAN eth0 managed from 192.168.130.1/32, DMZ block of 192.168.1.0/24.
 */
export function seedSpec(): BoundSpec {
  const spec = specWith((s) => {
    s.wan.management.cidrs = ["192.168.130.1/32"];
  });
  const lan: BoundLan = { ...seedLan(), ifname: "ens7" };
  return { ...spec, lans: [lan] };
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
        ...lanDhcp(88),
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
