/**
 * A valid spec exercising every section, as untrusted YAML-shaped data. Tests
 * clone it, break one thing, and assert the one error that follows.
 */

// biome-ignore lint/suspicious/noExplicitAny: tests poke arbitrary (bad) shapes into the input.
export type Raw = any;

export function baseSpec(): Raw {
  return {
    wan: { interface: "eth0", management: { cidrs: ["192.168.130.1/32"] } },
    lans: [
      {
        name: "lan2",
        interface: "ens7",
        address: "10.88.0.1/24",
        blocked_destinations: ["192.168.1.0/24"],
        dhcp: {
          ranges: [{ start: "10.88.0.50", end: "10.88.0.200" }],
          lease_time: "12h",
          static_leases: [{ mac: "60:be:b4:1e:19:63", ip: "10.88.0.10", hostname: "pi" }],
          options: [{ option: "ntp-server", values: ["10.88.0.1"] }],
        },
      },
      {
        name: "lab",
        interface: { mac: "02:00:00:00:00:02" },
        address: "10.99.0.1/24",
        dhcp: { ranges: [{ start: "10.99.0.100", end: "10.99.0.150" }] },
      },
    ],
    dns: {
      upstreams: ["1.1.1.1", "8.8.8.8"],
      domain: "lan",
      hosts: [{ name: "nas.lan", ip: "10.88.0.10" }],
      blocked_domains: ["ads.example.com"],
    },
    firewall: {
      port_forwards: [{ id: "web", protocol: "tcp", wan_port: 80, to: "10.88.0.10" }],
      rules: [
        {
          id: "ssh",
          chain: "input",
          action: "accept",
          from: "lan2",
          protocol: "tcp",
          ports: ["22"],
        },
      ],
      log: { prefix: "ra" },
    },
  };
}

/** `baseSpec()` with `edit` applied. */
export function edited(edit: (spec: Raw) => void): Raw {
  const spec = baseSpec();
  edit(spec);
  return spec;
}
