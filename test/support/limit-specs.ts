/**
 * A spec at the documented list limits (`LIMITS` in agent/src/model/types.ts):
 * 100k CIDRs (90k IPv4 and 10k IPv6 blocked destinations) and 10k static
 * leases with hostnames, on the seed's LAN widened to 10.88.0.0/16; with
 * `dnsLists` also 10k host records and 100k blocked domains. No upstreams:
 * nothing leaves the namespace. Different `variant`s (0-15) share no list
 * entry, so applying one after another replaces every set element and every
 * dnsmasq line. Throws on a variant outside 0-15.
 */
import { LIMITS, type RouterSpec } from "../../agent/src/model/types.js";
import { specWith } from "./runtime-specs.js";

export function limitSpec(variant = 0, opts: { dnsLists?: boolean } = {}): RouterSpec {
  if (!Number.isInteger(variant) || variant < 0 || variant > 15) {
    throw new Error(`limitSpec: variant ${variant} is not 0-15`);
  }
  const v6 = 10_000;
  const v4 = LIMITS.cidrsTotal - v6;
  const leases = LIMITS.staticLeasesTotal;
  return specWith((s) => {
    s.dns.upstreams = [];
    const lan = s.lans[0];
    if (!lan?.dhcp) throw new Error("the seed's LAN has no DHCP");
    lan.address = "10.88.0.1/16";
    lan.dhcp.router = "10.88.0.1";
    lan.dhcp.dns_servers = ["10.88.0.1"];
    // 11.x.y.0/24 .. : two first octets per variant hold 90k /24s.
    lan.blocked_destinations = [
      ...Array.from(
        { length: v4 },
        (_, i) => `${11 + variant * 2 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.0/24`,
      ),
      ...Array.from(
        { length: v6 },
        (_, i) => `2001:db8:${variant.toString(16)}:${i.toString(16)}::/64`,
      ),
    ];
    const hex = (n: number) => n.toString(16).padStart(2, "0");
    lan.dhcp.static_leases = Array.from({ length: leases }, (_, i) => ({
      mac: `02:00:${hex(variant)}:00:${hex((i >> 8) & 255)}:${hex(i & 255)}`,
      ip: `10.88.${10 + (i >> 8)}.${i & 255}`,
      hostname: `host-${variant}-${i}`,
    }));
    if (!opts.dnsLists) return;
    s.dns.hosts = Array.from({ length: LIMITS.hostRecords }, (_, i) => ({
      name: `h${i}.v${variant}.lan.example`,
      ip: `10.88.${100 + (i >> 8)}.${i & 255}`,
    }));
    s.dns.blocked_domains = Array.from(
      { length: LIMITS.blockedDomains },
      (_, i) => `blocked-${i}.v${variant}.example.com`,
    );
  });
}
