/**
 * The DHCPv4 option names dnsmasq 2.90 knows (`dnsmasq --help dhcp`), by
 * code, and which of them carry IPv4 addresses. dnsmasq refuses to start on
 * an unknown option name or on a non-address value for an address option,
 * so validation checks both before anything is rendered.
 *
 * Names that do not fit the model's `[a-z0-9-]+` (`T1`, `T2`, `nis+-domain`,
 * `nis+-server`) are reachable by their codes 58, 59, 64 and 65.
 */
export const DHCP_OPTION_CODES: Readonly<Record<string, number>> = {
  netmask: 1,
  "time-offset": 2,
  router: 3,
  "dns-server": 6,
  "log-server": 7,
  "lpr-server": 9,
  "boot-file-size": 13,
  "domain-name": 15,
  "swap-server": 16,
  "root-path": 17,
  "extension-path": 18,
  "ip-forward-enable": 19,
  "non-local-source-routing": 20,
  "policy-filter": 21,
  "max-datagram-reassembly": 22,
  "default-ttl": 23,
  mtu: 26,
  "all-subnets-local": 27,
  "router-discovery": 31,
  "router-solicitation": 32,
  "static-route": 33,
  "trailer-encapsulation": 34,
  "arp-timeout": 35,
  "ethernet-encap": 36,
  "tcp-ttl": 37,
  "tcp-keepalive": 38,
  "nis-domain": 40,
  "nis-server": 41,
  "ntp-server": 42,
  "netbios-ns": 44,
  "netbios-dd": 45,
  "netbios-nodetype": 46,
  "netbios-scope": 47,
  "x-windows-fs": 48,
  "x-windows-dm": 49,
  "vendor-class": 60,
  "tftp-server": 66,
  "bootfile-name": 67,
  "mobile-ip-home": 68,
  "smtp-server": 69,
  "pop3-server": 70,
  "nntp-server": 71,
  "irc-server": 74,
  "user-class": 77,
  "rapid-commit": 80,
  "client-arch": 93,
  "client-interface-id": 94,
  "client-machine-id": 97,
  "posix-timezone": 100,
  "tzdb-timezone": 101,
  "ipv6-only": 108,
  "domain-search": 119,
  "sip-server": 120,
  "classless-static-route": 121,
  "vendor-id-encap": 125,
  "tftp-server-address": 150,
};

/** Codes whose values dnsmasq parses as IPv4 addresses. */
export const ADDRESS_OPTION_CODES: ReadonlySet<number> = new Set([
  1, 3, 6, 7, 9, 16, 21, 33, 41, 42, 44, 45, 48, 49, 65, 68, 69, 70, 71, 74, 150,
]);

/**
 * Options the model sets through dedicated fields; giving them again as raw
 * options would send two conflicting values.
 */
export const DEDICATED_OPTION_FIELDS: ReadonlyMap<number, string> = new Map([
  [3, "dhcp.router"],
  [6, "dhcp.dns_servers"],
]);
