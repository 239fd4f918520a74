/**
 * The desired-state model: what `router.yaml` says, after validation.
 *
 * Every field here maps 1:1 onto `router.v1.RouterSpec` in
 * `proto/router/v1/router.proto` (same snake_case names). Values in a
 * `RouterSpec` are already validated and have their defaults filled in, so the
 * renderers can trust them and never throw. Untrusted input only becomes a
 * `RouterSpec` through `validateSpec` in `./validate.ts`.
 *
 * Address families: LANs, ranges and leases are IPv4. CIDR lists (management,
 * blocked destinations, rule sources/destinations) accept IPv4 and IPv6; the
 * agent's table is `inet`, so IPv6 entries land in `_v6` sets.
 */

/** How a LAN names its interface. Exactly one member is set. */
export type InterfaceMatch =
  | { name: string }
  /** A passed-through NIC keeps its real MAC: lower-case `aa:bb:cc:dd:ee:ff`. */
  | { mac: string }
  /** The only Ethernet interface that is neither the WAN nor loopback. */
  | { auto: true };

export type L4Protocol = "tcp" | "udp";

export interface ManagementSpec {
  /** Source CIDRs that may reach the agent API on the WAN. Empty: none. */
  cidrs: string[];
  /** TCP ports of the agent API opened to `cidrs` on the WAN. Default [7443]. */
  ports: number[];
}

export interface WanSpec {
  /** The uplink interface name, e.g. "eth0". */
  interface: string;
  /** Source-NAT LAN traffic leaving the WAN. Default true. */
  masquerade: boolean;
  management: ManagementSpec;
}

export interface DhcpRange {
  start: string;
  end: string;
}

export interface StaticLease {
  /** Lower-case `aa:bb:cc:dd:ee:ff`. */
  mac: string;
  ip: string;
  /** RFC 1123 host label; optional. */
  hostname?: string;
}

export interface DhcpOption {
  /** A numeric code 1..254, or a dnsmasq option name such as "ntp-server". */
  option: string;
  /** Values, joined with commas. Each is limited to [A-Za-z0-9._:/-]. */
  values: string[];
}

export interface DhcpSpec {
  ranges: DhcpRange[];
  /** dnsmasq lease time: "<n>[smhdw]" or "infinite". Default "12h". */
  lease_time: string;
  /** Option 3. Default: the LAN's own address. */
  router: string;
  /** Option 6. Default: [the LAN's own address]. */
  dns_servers: string[];
  static_leases: StaticLease[];
  options: DhcpOption[];
}

export interface LanSpec {
  /** [a-z][a-z0-9_]{0,14}: used in nft set names and dnsmasq tags. */
  name: string;
  interface: InterfaceMatch;
  /** The router's address on this LAN with its prefix, e.g. "10.88.0.1/24". */
  address: string;
  /** Names of other LANs this LAN may open connections to. Default []: isolated. */
  allow_lans: string[];
  /** Destinations this LAN may never reach, e.g. the seed's 192.168.1.0/24. */
  blocked_destinations: string[];
  /** DNS search domain served to this LAN; default: the router-wide `dns.domain`. */
  domain?: string;
  /** Absent: no DHCP on this LAN (DNS is still served). */
  dhcp?: DhcpSpec;
}

export interface HostRecord {
  name: string;
  ip: string;
}

export type BlockMode = "nxdomain" | "null";

export interface DnsSpec {
  /** Upstream resolvers (IPv4/IPv6 literals). Empty: answer only local data. */
  upstreams: string[];
  /** Local domain, e.g. "lan". Optional. */
  domain?: string;
  hosts: HostRecord[];
  /** Domains answered locally: NXDOMAIN (with subdomains) or 0.0.0.0. */
  blocked_domains: string[];
  /** Default "nxdomain". */
  block_mode: BlockMode;
}

export interface PortForward {
  /** Stable id: [a-z][a-z0-9_-]{0,47}. Names the forward's counter. */
  id: string;
  protocol: L4Protocol;
  /** WAN port, 1..65535. */
  wan_port: number;
  /** LAN destination address; must sit inside a LAN subnet. */
  to: string;
  /** Destination port; default: wan_port. */
  to_port: number;
  /** Sources allowed to use the forward. Empty: any. */
  source_cidrs: string[];
  /** Also forward when a LAN client targets the WAN address. Default false. */
  hairpin: boolean;
}

export type RuleAction = "accept" | "drop" | "reject";
export type RuleChain = "input" | "forward";
export type RuleProtocol = "any" | "tcp" | "udp" | "icmp";

/**
 * A user rule. Rules are evaluated in list order, after the built-in
 * established/invalid handling and before the default policy.
 */
export interface FirewallRule {
  /** Stable id: [a-z][a-z0-9_-]{0,47}. Names the rule's counter. */
  id: string;
  chain: RuleChain;
  action: RuleAction;
  /** Zone the packet enters from: "wan", a LAN name, or "any". Default "any". */
  from: string;
  /** Forward only: zone the packet leaves to. Default "any". */
  to: string;
  protocol: RuleProtocol;
  source_cidrs: string[];
  destination_cidrs: string[];
  /** Destination ports or "a-b" ranges; only with tcp/udp. */
  ports: string[];
  log: boolean;
  comment?: string;
}

export interface LogSpec {
  /** Log packets dropped by the default policy. Default false. */
  dropped: boolean;
  /** Rate limit for all logging, packets per minute. Default 10. */
  rate_per_minute: number;
  /** Log prefix; [A-Za-z0-9 _:.-]{0,20}. Default "router-agent". */
  prefix: string;
}

export interface FirewallSpec {
  port_forwards: PortForward[];
  rules: FirewallRule[];
  log: LogSpec;
}

export interface RouterSpec {
  wan: WanSpec;
  lans: LanSpec[];
  dns: DnsSpec;
  firewall: FirewallSpec;
}

/** A field path and what is wrong there, e.g. `lans[0].dhcp.ranges[1].end`. */
export interface FieldError {
  path: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** A LAN whose interface match has been resolved against the observed links. */
export interface BoundLan extends LanSpec {
  ifname: string;
}

/** A spec whose LAN interfaces are resolved to real names: what renderers take. */
export interface BoundSpec extends Omit<RouterSpec, "lans"> {
  lans: BoundLan[];
}

/** Limits on list sizes; validation rejects anything larger. */
export const LIMITS = {
  lans: 32,
  rangesPerLan: 16,
  staticLeasesTotal: 10_000,
  cidrsTotal: 100_000,
  hostRecords: 10_000,
  blockedDomains: 100_000,
  portForwards: 1_000,
  rules: 1_000,
  portsPerRule: 1_000,
  dhcpOptionsPerLan: 64,
  valuesPerDhcpOption: 32,
  dnsServersPerLan: 8,
  upstreams: 16,
} as const;
