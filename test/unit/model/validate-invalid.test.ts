/**
 * One broken field per case; each must give exactly one error with the exact
 * path and message. The injection attempts (control characters, `#`, `,`,
 * quotes, spaces in names that end up in dnsmasq or nft text) are among them.
 */
import { describe, expect, it } from "vitest";
import { validateSpec } from "../../../agent/src/model/validate.js";
import { baseSpec, edited, type Raw } from "./spec-fixtures.js";

type Case = [label: string, edit: (s: Raw) => void, path: string, message: string];

const HOSTNAME_CHARS = 'a hostname may only contain letters, digits and "-"';
const DOMAIN_CHARS = 'a domain may only contain letters, digits, "-" and "."';
const IFNAME_CHARS = 'an interface name may only contain letters, digits, "_", "." and "-"';
const lan0 = (s: Raw) => s.lans[0];
const dhcp0 = (s: Raw) => s.lans[0].dhcp;
const rule0 = (s: Raw) => s.firewall.rules[0];
const fwd0 = (s: Raw) => s.firewall.port_forwards[0];

const cases: Case[] = [
  // Shapes and required fields.
  ["lans a string", (s) => Object.assign(s, { lans: "lan2" }), "lans", "expected a list"],
  ["wan missing", (s) => delete s.wan, "wan", "required"],
  ["lans missing", (s) => delete s.lans, "lans", "required: at least one LAN"],
  ["lans empty", (s) => (s.lans = []), "lans", "needs at least one LAN"],
  ["dns is a list", (s) => (s.dns = []), "dns", "expected a mapping"],
  ["unknown LAN field", (s) => (lan0(s).colour = "red"), "lans[0].colour", "unknown field"],
  [
    "misspelt field",
    (s) => (dhcp0(s).leaseTime = "1h"),
    "lans[0].dhcp.leaseTime",
    'unknown field; did you mean "lease_time"?',
  ],
  [
    "masquerade not boolean",
    (s) => (s.wan.masquerade = "yes"),
    "wan.masquerade",
    "expected true or false",
  ],
  ["wan interface a number", (s) => (s.wan.interface = 5), "wan.interface", "expected a string"],
  [
    "leases not a list",
    (s) => (dhcp0(s).static_leases = {}),
    "lans[0].dhcp.static_leases",
    "expected a list",
  ],
  [
    "log.dropped a string",
    (s) => (s.firewall.log.dropped = "no"),
    "firewall.log.dropped",
    "expected true or false",
  ],

  // Interface names.
  [
    "ifname too long",
    (s) => (s.wan.interface = "abcdefghijklmnop"),
    "wan.interface",
    "is longer than 15 bytes (the kernel's limit)",
  ],
  [
    "ifname with slash",
    (s) => (s.wan.interface = "eth/0"),
    "wan.interface",
    `contains a slash "/"; ${IFNAME_CHARS}`,
  ],
  [
    "ifname with space",
    (s) => (s.wan.interface = "eth 0"),
    "wan.interface",
    `contains a space; ${IFNAME_CHARS}`,
  ],
  [
    "ifname with colon",
    (s) => (s.wan.interface = "eth0:1"),
    "wan.interface",
    `contains a colon ":"; ${IFNAME_CHARS}`,
  ],
  [
    "ifname ..",
    (s) => (s.wan.interface = ".."),
    "wan.interface",
    '".." is not a valid interface name',
  ],
  [
    "ifname with newline",
    (s) => (lan0(s).interface = "ens7\ninterface=eth0"),
    "lans[0].interface",
    `contains a line feed (LF); ${IFNAME_CHARS}`,
  ],
  [
    "LAN on the WAN interface",
    (s) => (lan0(s).interface = "eth0"),
    "lans[0].interface",
    "eth0 is the WAN interface",
  ],
  [
    "two LANs on one interface",
    (s) => (s.lans[1].interface = { name: "ens7" }),
    "lans[1].interface.name",
    "ens7 is already used by lans[0]",
  ],
  [
    "two LANs on one MAC",
    (s) => (lan0(s).interface = { mac: "02:00:00:00:00:02" }),
    "lans[1].interface.mac",
    "02:00:00:00:00:02 is already used by lans[0]",
  ],
  [
    "interface with name and mac",
    (s) => (lan0(s).interface = { name: "ens7", mac: "02:00:00:00:00:09" }),
    "lans[0].interface",
    "give exactly one of name, mac or auto",
  ],
  [
    "auto: false",
    (s) => (lan0(s).interface = { auto: false }),
    "lans[0].interface.auto",
    "must be true",
  ],
  [
    "auto with two LANs",
    (s) => (lan0(s).interface = "auto"),
    "lans[0].interface",
    "auto picks the only non-WAN Ethernet interface, so it needs a single LAN; give each LAN's interface by name or mac",
  ],
  [
    "short MAC",
    (s) => (s.lans[1].interface = { mac: "02:00:00:00:00" }),
    "lans[1].interface.mac",
    '"02:00:00:00:00" is not a MAC address such as 60:be:b4:1e:19:63',
  ],
  [
    "MAC given as a name",
    (s) => (lan0(s).interface = "60:be:b4:1e:19:63"),
    "lans[0].interface",
    '"60:be:b4:1e:19:63" is a MAC address; write interface: {mac: 60:be:b4:1e:19:63}',
  ],

  // LAN names and addresses.
  [
    "LAN name upper case",
    (s) => (lan0(s).name = "LAN2"),
    "lans[0].name",
    '"LAN2" is not a valid LAN name: a lower-case letter, then up to 14 of a-z, 0-9 and "_"',
  ],
  [
    "LAN named wan",
    (s) => (s.lans[1].name = "wan"),
    "lans[1].name",
    '"wan" is reserved; choose another LAN name',
  ],
  [
    "LAN named rule (its counter would share the rule counters' namespace)",
    (s) => (s.lans[1].name = "rule"),
    "lans[1].name",
    '"rule" is reserved; choose another LAN name',
  ],
  [
    "duplicate LAN name",
    (s) => (s.lans[1].name = "lan2"),
    "lans[1].name",
    'duplicate LAN name "lan2", also at lans[0].name',
  ],
  [
    "LAN address is the network",
    (s) => (s.lans[1].address = "10.99.0.0/24"),
    "lans[1].address",
    "10.99.0.0 is the network address of 10.99.0.0/24; the LAN address must be a host address such as 10.99.0.1/24",
  ],
  [
    "LAN address is the broadcast",
    (s) => (s.lans[1].address = "10.99.0.255/24"),
    "lans[1].address",
    "10.99.0.255 is the broadcast address of 10.99.0.0/24; the LAN address must be a host address such as 10.99.0.1/24",
  ],
  [
    "LAN address without prefix",
    (s) => (s.lans[1].address = "10.99.0.1"),
    "lans[1].address",
    '"10.99.0.1" is not an IPv4 address with prefix, such as 10.88.0.1/24',
  ],
  [
    "LAN prefix /31",
    (s) => (s.lans[1].address = "10.99.0.1/31"),
    "lans[1].address",
    "prefix /31 is outside /8../30",
  ],
  [
    "LAN on loopback",
    (s) => (s.lans[1].address = "127.0.0.1/8"),
    "lans[1].address",
    "127.0.0.1 is a loopback address",
  ],
  [
    "LAN octet with leading zero",
    (s) => (s.lans[1].address = "10.99.0.01/24"),
    "lans[1].address",
    '"10.99.0.01/24" is not an IPv4 address with prefix, such as 10.88.0.1/24',
  ],
  [
    "overlapping LAN subnets",
    (s) => (s.lans[1].address = "10.99.0.1/8"),
    "lans[1].address",
    "10.0.0.0/8 overlaps 10.88.0.0/24 of lans[0]",
  ],
  [
    "allow_lans unknown LAN",
    (s) => (lan0(s).allow_lans = ["dmz"]),
    "lans[0].allow_lans[0]",
    'no LAN is named "dmz"',
  ],
  [
    "allow_lans itself",
    (s) => (lan0(s).allow_lans = ["lan2"]),
    "lans[0].allow_lans[0]",
    "a LAN cannot allow itself",
  ],
  [
    "blocked destination with host bits",
    (s) => (lan0(s).blocked_destinations = ["192.168.1.1/24"]),
    "lans[0].blocked_destinations[0]",
    "192.168.1.1/24 has host bits set; the network is 192.168.1.0/24",
  ],

  // DHCP.
  [
    "range end outside the subnet",
    (s) => (dhcp0(s).ranges = [{ start: "10.88.0.50", end: "10.88.1.5" }]),
    "lans[0].dhcp.ranges[0].end",
    "10.88.1.5 is outside 10.88.0.0/24",
  ],
  [
    "second range end outside the subnet",
    (s) => dhcp0(s).ranges.push({ start: "10.88.0.201", end: "10.88.1.5" }),
    "lans[0].dhcp.ranges[1].end",
    "10.88.1.5 is outside 10.88.0.0/24",
  ],
  [
    "range start after end",
    (s) => (dhcp0(s).ranges = [{ start: "10.88.0.200", end: "10.88.0.50" }]),
    "lans[0].dhcp.ranges[0]",
    "start 10.88.0.200 is after end 10.88.0.50",
  ],
  [
    "range starts at the network address",
    (s) => (dhcp0(s).ranges = [{ start: "10.88.0.0", end: "10.88.0.9" }]),
    "lans[0].dhcp.ranges[0].start",
    "10.88.0.0 is the network address of 10.88.0.0/24",
  ],
  [
    "range ends at the broadcast address",
    (s) => (dhcp0(s).ranges = [{ start: "10.88.0.50", end: "10.88.0.255" }]),
    "lans[0].dhcp.ranges[0].end",
    "10.88.0.255 is the broadcast address of 10.88.0.0/24",
  ],
  [
    "range holds the LAN address",
    (s) => (dhcp0(s).ranges = [{ start: "10.88.0.1", end: "10.88.0.9" }]),
    "lans[0].dhcp.ranges[0]",
    "contains the LAN's own address 10.88.0.1",
  ],
  [
    "overlapping ranges",
    (s) => dhcp0(s).ranges.push({ start: "10.88.0.150", end: "10.88.0.250" }),
    "lans[0].dhcp.ranges[1]",
    "overlaps lans[0].dhcp.ranges[0]",
  ],
  [
    "no ranges",
    (s) => (dhcp0(s).ranges = []),
    "lans[0].dhcp.ranges",
    "needs at least one range; leave out dhcp to serve no DHCP",
  ],
  [
    "too many ranges",
    (s) =>
      (dhcp0(s).ranges = Array.from({ length: 17 }, (_, i) => ({
        start: `10.88.0.${10 + i}`,
        end: `10.88.0.${10 + i}`,
      }))),
    "lans[0].dhcp.ranges",
    "has 17 entries; the limit is 16",
  ],
  [
    "range start not an IP",
    (s) => (dhcp0(s).ranges[0].start = "10.88.0.300"),
    "lans[0].dhcp.ranges[0].start",
    '"10.88.0.300" is not an IPv4 address',
  ],
  [
    "lease time too short",
    (s) => (dhcp0(s).lease_time = "1m"),
    "lans[0].dhcp.lease_time",
    "1m is shorter than 2m, the minimum dnsmasq accepts",
  ],
  [
    "lease time unit",
    (s) => (dhcp0(s).lease_time = "12x"),
    "lans[0].dhcp.lease_time",
    '"12x" is not a lease time such as 45m, 12h, 7d or infinite',
  ],
  [
    "router outside subnet",
    (s) => (dhcp0(s).router = "10.99.0.1"),
    "lans[0].dhcp.router",
    "10.99.0.1 is outside 10.88.0.0/24",
  ],
  [
    "DNS server multicast",
    (s) => (dhcp0(s).dns_servers = ["224.0.0.1"]),
    "lans[0].dhcp.dns_servers[0]",
    "224.0.0.1 is a multicast address",
  ],
  [
    "static lease outside subnet",
    (s) => (dhcp0(s).static_leases[0].ip = "10.99.0.10"),
    "lans[0].dhcp.static_leases[0].ip",
    "10.99.0.10 is outside 10.88.0.0/24",
  ],
  [
    "static lease on the LAN address",
    (s) => (dhcp0(s).static_leases[0].ip = "10.88.0.1"),
    "lans[0].dhcp.static_leases[0].ip",
    "10.88.0.1 is the LAN's own address",
  ],
  [
    "duplicate static lease IP",
    (s) => dhcp0(s).static_leases.push({ mac: "02:00:00:00:00:99", ip: "10.88.0.10" }),
    "lans[0].dhcp.static_leases[1].ip",
    "duplicate IP 10.88.0.10, also at lans[0].dhcp.static_leases[0]",
  ],
  [
    "duplicate static lease MAC across LANs (any case)",
    (s) => (s.lans[1].dhcp.static_leases = [{ mac: "60:BE:B4:1E:19:63", ip: "10.99.0.10" }]),
    "lans[1].dhcp.static_leases[0].mac",
    "duplicate MAC 60:be:b4:1e:19:63, also at lans[0].dhcp.static_leases[0]",
  ],
  [
    "option router",
    (s) => (dhcp0(s).options = [{ option: "router", values: ["10.88.0.2"] }]),
    "lans[0].dhcp.options[0].option",
    "option 3 is set with dhcp.router",
  ],
  [
    "option 6 by code",
    (s) => (dhcp0(s).options = [{ option: 6, values: ["10.88.0.2"] }]),
    "lans[0].dhcp.options[0].option",
    "option 6 is set with dhcp.dns_servers",
  ],
  [
    "option unknown name",
    (s) => (dhcp0(s).options[0].option = "bogus"),
    "lans[0].dhcp.options[0].option",
    '"bogus" is not a DHCP option name dnsmasq knows; use its code',
  ],
  [
    "option code 255",
    (s) => (dhcp0(s).options[0].option = "255"),
    "lans[0].dhcp.options[0].option",
    "option code 255 is outside 1..254",
  ],
  [
    "option address value not an address",
    (s) => (dhcp0(s).options[0].values = ["pool.ntp.org"]),
    "lans[0].dhcp.options[0].values[0]",
    '"pool.ntp.org" is not an IPv4 address, which option 42 needs',
  ],

  // Injection attempts: anything that could start a new dnsmasq line or field.
  [
    "newline in a static lease hostname",
    (s) => (dhcp0(s).static_leases[0].hostname = "pi\ndhcp-script=/tmp/x"),
    "lans[0].dhcp.static_leases[0].hostname",
    `contains a line feed (LF); ${HOSTNAME_CHARS}`,
  ],
  [
    "carriage return in a hostname",
    (s) => (dhcp0(s).static_leases[0].hostname = "pi\r"),
    "lans[0].dhcp.static_leases[0].hostname",
    `contains a carriage return (CR); ${HOSTNAME_CHARS}`,
  ],
  [
    "NUL in a hostname",
    (s) => (dhcp0(s).static_leases[0].hostname = "pi\u0000x"),
    "lans[0].dhcp.static_leases[0].hostname",
    `contains a NUL byte; ${HOSTNAME_CHARS}`,
  ],
  [
    "space in a hostname",
    (s) => (dhcp0(s).static_leases[0].hostname = "my pi"),
    "lans[0].dhcp.static_leases[0].hostname",
    `contains a space; ${HOSTNAME_CHARS}`,
  ],
  [
    "dot in a hostname label",
    (s) => (dhcp0(s).static_leases[0].hostname = "pi.lan"),
    "lans[0].dhcp.static_leases[0].hostname",
    `contains the character "."; ${HOSTNAME_CHARS}`,
  ],
  [
    "hostname with a leading hyphen",
    (s) => (dhcp0(s).static_leases[0].hostname = "-pi"),
    "lans[0].dhcp.static_leases[0].hostname",
    'must not start or end with "-"',
  ],
  [
    "hash sign in the domain",
    (s) => (s.dns.domain = "lan#comment"),
    "dns.domain",
    `contains a hash sign "#"; ${DOMAIN_CHARS}`,
  ],
  [
    "comma in a host record name",
    (s) => (s.dns.hosts[0].name = "nas,10.0.0.66"),
    "dns.hosts[0].name",
    `contains a comma ","; ${DOMAIN_CHARS}`,
  ],
  [
    "double quote in a host record name",
    (s) => (s.dns.hosts[0].name = 'nas"lan'),
    "dns.hosts[0].name",
    `contains a double quote; ${DOMAIN_CHARS}`,
  ],
  [
    "single quote in a blocked domain",
    (s) => (s.dns.blocked_domains = ["ads'.example.com"]),
    "dns.blocked_domains[0]",
    `contains a single quote; ${DOMAIN_CHARS}`,
  ],
  [
    "newline in a LAN domain",
    (s) => (lan0(s).domain = "lan\nserver=/#/6.6.6.6"),
    "lans[0].domain",
    `contains a line feed (LF); ${DOMAIN_CHARS}`,
  ],
  [
    "newline in a DHCP option value",
    (s) => (dhcp0(s).options = [{ option: "domain-search", values: ["lan\ndhcp-script=/tmp/x"] }]),
    "lans[0].dhcp.options[0].values[0]",
    "contains a line feed (LF); allowed: letters, digits and . _ : / -",
  ],
  [
    "comma in a DHCP option value",
    (s) => (dhcp0(s).options = [{ option: "domain-search", values: ["a,b"] }]),
    "lans[0].dhcp.options[0].values[0]",
    'contains a comma ","; allowed: letters, digits and . _ : / -',
  ],
  [
    "newline in the log prefix",
    (s) => (s.firewall.log.prefix = 'ra"\n'),
    "firewall.log.prefix",
    "contains a double quote; allowed: letters, digits, space and _ : . -",
  ],
  [
    "control character in a rule comment",
    (s) => (rule0(s).comment = "ssh\u001b[2J"),
    "firewall.rules[0].comment",
    "contains the control character U+001B",
  ],
  [
    "newline in a rule comment",
    (s) => (rule0(s).comment = "ssh\nflush ruleset"),
    "firewall.rules[0].comment",
    "contains a line feed (LF)",
  ],
  [
    "label longer than 63",
    (s) => (s.dns.blocked_domains = [`${"a".repeat(64)}.com`]),
    "dns.blocked_domains[0]",
    'domain label "aaaaaaaaaaaaaaaaaaaa…" is longer than 63 characters',
  ],
  [
    "empty domain label",
    (s) => (s.dns.blocked_domains = ["ads..example.com"]),
    "dns.blocked_domains[0]",
    "domain has an empty label",
  ],

  // DNS.
  [
    "upstream not an IP",
    (s) => (s.dns.upstreams = ["1.1.1"]),
    "dns.upstreams[0]",
    '"1.1.1" is not an IP address',
  ],
  [
    "duplicate upstream",
    (s) => s.dns.upstreams.push("1.1.1.1"),
    "dns.upstreams[2]",
    "duplicate upstream 1.1.1.1, also at dns.upstreams[0]",
  ],
  [
    "duplicate host record (any case)",
    (s) => s.dns.hosts.push({ name: "NAS.lan", ip: "10.88.0.10" }),
    "dns.hosts[1]",
    "duplicate host record NAS.lan 10.88.0.10, also at dns.hosts[0]",
  ],
  [
    "duplicate blocked domain (any case)",
    (s) => s.dns.blocked_domains.push("Ads.Example.com"),
    "dns.blocked_domains[1]",
    "duplicate domain Ads.Example.com, also at dns.blocked_domains[0]",
  ],
  [
    "duplicate management port",
    (s) => (s.wan.management.ports = [7443, 22, 7443]),
    "wan.management.ports[2]",
    "duplicate port 7443, also at wan.management.ports[0]",
  ],
  [
    "block mode",
    (s) => (s.dns.block_mode = "zero"),
    "dns.block_mode",
    '"zero" is not one of nxdomain, null',
  ],

  // Management.
  [
    "management CIDR with host bits",
    (s) => (s.wan.management.cidrs = ["192.168.130.1/24"]),
    "wan.management.cidrs[0]",
    "192.168.130.1/24 has host bits set; the network is 192.168.130.0/24",
  ],
  [
    "management CIDR prefix too long",
    (s) => (s.wan.management.cidrs = ["10.0.0.0/33"]),
    "wan.management.cidrs[0]",
    '"10.0.0.0/33" is not an IP address or CIDR such as 192.168.1.0/24',
  ],
  [
    "management port 0",
    (s) => (s.wan.management.ports = [0]),
    "wan.management.ports[0]",
    "0 is outside 1..65535",
  ],
  [
    "management port 70000",
    (s) => (s.wan.management.ports = [70000]),
    "wan.management.ports[0]",
    "70000 is outside 1..65535",
  ],
  [
    "management cidrs a string",
    (s) => (s.wan.management.cidrs = "10.0.0.0/8"),
    "wan.management.cidrs",
    "expected a list",
  ],

  // Firewall.
  [
    "forward to outside every LAN",
    (s) => (fwd0(s).to = "10.77.0.5"),
    "firewall.port_forwards[0].to",
    "10.77.0.5 is not inside any LAN subnet",
  ],
  [
    "forward takes the management port",
    (s) => (fwd0(s).wan_port = 7443),
    "firewall.port_forwards[0].wan_port",
    "tcp port 7443 is the management API port (wan.management.ports)",
  ],
  [
    "two forwards of one port",
    (s) =>
      s.firewall.port_forwards.push({ id: "web2", protocol: "tcp", wan_port: 80, to: "10.99.0.5" }),
    "firewall.port_forwards[1].wan_port",
    'tcp port 80 is already forwarded by "web"',
  ],
  [
    "forward protocol",
    (s) => (fwd0(s).protocol = "sctp"),
    "firewall.port_forwards[0].protocol",
    '"sctp" is not one of tcp, udp',
  ],
  [
    "forward port float",
    (s) => (fwd0(s).to_port = 80.5),
    "firewall.port_forwards[0].to_port",
    "expected an integer",
  ],
  [
    "id shared by a rule and a forward",
    (s) => (rule0(s).id = "web"),
    "firewall.rules[0].id",
    'duplicate id "web", also at firewall.port_forwards[0].id',
  ],
  [
    "id with upper case",
    (s) => (rule0(s).id = "SSH"),
    "firewall.rules[0].id",
    '"SSH" is not a valid id: a lower-case letter, then up to 47 of a-z, 0-9, "_" and "-"',
  ],
  [
    "ports with icmp",
    (s) => (rule0(s).protocol = "icmp"),
    "firewall.rules[0].ports",
    "ports need protocol tcp or udp, not icmp",
  ],
  [
    "ports without protocol",
    (s) => delete rule0(s).protocol,
    "firewall.rules[0].ports",
    "ports need protocol tcp or udp, not any",
  ],
  [
    "reversed port range",
    (s) => (rule0(s).ports = ["2000-1000"]),
    "firewall.rules[0].ports[0]",
    "range 2000-1000 ends before it starts",
  ],
  [
    "port 0 in a rule",
    (s) => (rule0(s).ports = ["0"]),
    "firewall.rules[0].ports[0]",
    '"0" is not a port such as 80 or a range such as 1000-2000',
  ],
  [
    "port 65536 in a rule",
    (s) => (rule0(s).ports = [65536]),
    "firewall.rules[0].ports[0]",
    "port 65536 is outside 1..65535",
  ],
  [
    "to in the input chain",
    (s) => (rule0(s).to = "wan"),
    "firewall.rules[0].to",
    "only allowed in the forward chain",
  ],
  [
    "rule from an unknown LAN",
    (s) => (rule0(s).from = "dmz"),
    "firewall.rules[0].from",
    '"dmz" is not wan, any or a LAN name (lan2, lab)',
  ],
  [
    "rule chain output",
    (s) => (rule0(s).chain = "output"),
    "firewall.rules[0].chain",
    '"output" is not one of input, forward',
  ],
  [
    "log prefix too long",
    (s) => (s.firewall.log.prefix = "a".repeat(21)),
    "firewall.log.prefix",
    "is longer than 20 characters",
  ],
  [
    "log rate 0",
    (s) => (s.firewall.log.rate_per_minute = 0),
    "firewall.log.rate_per_minute",
    "0 is outside 1..10000",
  ],

  // Limits.
  [
    "too many LANs",
    (s) =>
      (s.lans = Array.from({ length: 33 }, (_, i) => ({
        name: `l${i}`,
        interface: `eth${i + 1}`,
        address: `10.${i}.0.1/24`,
      }))),
    "lans",
    "has 33 entries; the limit is 32",
  ],
];

describe("validateSpec rejects", () => {
  it("has a table of at least 45 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(45);
  });

  it("starts from a valid spec", () => {
    expect(validateSpec(baseSpec())).toMatchObject({ ok: true });
  });

  it.each(cases)("%s", (_label, edit, path, message) => {
    const result = validateSpec(edited(edit));
    expect(result.ok ? [] : result.errors).toEqual([{ path, message }]);
  });
});
