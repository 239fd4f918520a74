/**
 * Validation of the router-wide `dns` section: upstreams, the local domain,
 * host records and the blocklist.
 */
import { isAbsent, keyPath, readEnum, readMapping } from "./fields.js";
import { FirstSeen } from "./first-seen.js";
import { type BlockMode, type DnsSpec, type HostRecord, LIMITS } from "./types.js";
import { type Ctx, checkUnicast, readDomain, readEach, readIp } from "./values.js";

const DNS_KEYS = ["upstreams", "domain", "hosts", "blocked_domains", "block_mode"] as const;
const BLOCK_MODES: readonly BlockMode[] = ["nxdomain", "null"];

/** The `dns` section; all defaults when absent. */
export function readDns(ctx: Ctx, path: string, value: unknown): DnsSpec | undefined {
  const before = ctx.errors.count;
  const raw = isAbsent(value) ? {} : readMapping(ctx.errors, path, value, DNS_KEYS);
  if (!raw) return undefined;

  const seenUpstreams = new FirstSeen<string>(ctx.errors);
  const upstreams = readEach(
    ctx,
    keyPath(path, "upstreams"),
    raw.upstreams,
    LIMITS.upstreams,
    (p, item) => {
      const ip = readIp(ctx, p, item);
      if (!ip || !checkUnicast(ctx, p, ip)) return undefined;
      if (!seenUpstreams.claim(p, ip.text, `upstream ${ip.text}`)) return undefined;
      return ip.text;
    },
  );

  const domain = isAbsent(raw.domain)
    ? undefined
    : readDomain(ctx, keyPath(path, "domain"), raw.domain);

  const seenHosts = new FirstSeen<string>(ctx.errors);
  const hosts = readEach(ctx, keyPath(path, "hosts"), raw.hosts, LIMITS.hostRecords, (p, item) => {
    const rec = readMapping(ctx.errors, p, item, ["name", "ip"]);
    if (!rec) return undefined;
    const name = readDomain(ctx, keyPath(p, "name"), rec.name);
    const ip = readIp(ctx, keyPath(p, "ip"), rec.ip);
    if (name === undefined || !ip) return undefined;
    const key = `${name.toLowerCase()} ${ip.text}`;
    if (!seenHosts.claim(p, key, `host record ${name} ${ip.text}`)) return undefined;
    const record: HostRecord = { name, ip: ip.text };
    return record;
  });

  const seenBlocked = new FirstSeen<string>(ctx.errors);
  const blocked = readEach(
    ctx,
    keyPath(path, "blocked_domains"),
    raw.blocked_domains,
    LIMITS.blockedDomains,
    (p, item) => {
      const name = readDomain(ctx, p, item);
      if (name === undefined) return undefined;
      if (!seenBlocked.claim(p, name.toLowerCase(), `domain ${name}`)) return undefined;
      return name;
    },
  );

  const blockMode = readEnum(
    ctx.errors,
    keyPath(path, "block_mode"),
    raw.block_mode,
    BLOCK_MODES,
    "nxdomain",
  );

  if (ctx.errors.count !== before || !upstreams || !hosts || !blocked || !blockMode)
    return undefined;
  const dns: DnsSpec = { upstreams, hosts, blocked_domains: blocked, block_mode: blockMode };
  if (domain !== undefined) dns.domain = domain;
  return dns;
}
