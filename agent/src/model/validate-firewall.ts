/**
 * Validation of the `firewall` section: port forwards, user rules and
 * logging. Needs the LANs (zone names, subnets) and the management ports,
 * which are read before it.
 */
import {
  isAbsent,
  keyPath,
  quote,
  readBool,
  readEnum,
  readInt,
  readMapping,
  readString,
} from "./fields.js";
import { FirstSeen } from "./first-seen.js";
import { badCharMessage, controlCharMessage } from "./names.js";
import { contains } from "./net.js";
import {
  type FirewallRule,
  type FirewallSpec,
  type L4Protocol,
  LIMITS,
  type LogSpec,
  type PortForward,
  type RuleAction,
  type RuleChain,
  type RuleProtocol,
} from "./types.js";
import type { LanFacts } from "./validate-lan.js";
import {
  type Ctx,
  hostInSubnetMessage,
  readCidrList,
  readEach,
  readId,
  readIpv4,
  readPort,
} from "./values.js";

const FIREWALL_KEYS = ["port_forwards", "rules", "log"] as const;
const FORWARD_KEYS = [
  "id",
  "protocol",
  "wan_port",
  "to",
  "to_port",
  "source_cidrs",
  "hairpin",
] as const;
const RULE_KEYS = [
  "id",
  "chain",
  "action",
  "from",
  "to",
  "protocol",
  "source_cidrs",
  "destination_cidrs",
  "ports",
  "log",
  "comment",
] as const;
const LOG_KEYS = ["dropped", "rate_per_minute", "prefix"] as const;

const L4: readonly L4Protocol[] = ["tcp", "udp"];
const CHAINS: readonly RuleChain[] = ["input", "forward"];
const ACTIONS: readonly RuleAction[] = ["accept", "drop", "reject"];
const PROTOCOLS: readonly RuleProtocol[] = ["any", "tcp", "udp", "icmp"];

/** Longest rule comment; comments are never rendered as config text. */
export const MAX_COMMENT_LENGTH = 256;
/** Most log packets per minute, so a flood cannot fill the journal. */
export const MAX_LOG_RATE = 10_000;
const LOG_PREFIX_CHAR = /^[A-Za-z0-9 _:.-]$/;
const PORT_RE = /^([1-9][0-9]{0,4})(?:-([1-9][0-9]{0,4}))?$/;

export interface FirewallContext {
  /** The LANs as far as they could be read; undefined when `lans` itself was unusable. */
  lans: LanFacts[] | undefined;
  /** TCP ports of the management API on the WAN; forwards must not take them. */
  managementPorts: number[];
}

/** Reads the `id` under the item at `path` (`value` is its raw id). */
type ReadId = (path: string, value: unknown) => string | undefined;

/** The `firewall` section; all defaults when absent. */
export function readFirewall(
  ctx: Ctx,
  path: string,
  value: unknown,
  env: FirewallContext,
): FirewallSpec | undefined {
  const before = ctx.errors.count;
  const raw = isAbsent(value) ? {} : readMapping(ctx.errors, path, value, FIREWALL_KEYS);
  if (!raw) return undefined;
  const ids = new FirstSeen<string>(ctx.errors);
  /** The `id` of the rule or forward at `path`; ids are unique across both lists. */
  const readUniqueId: ReadId = (path, value) => {
    const idPath = keyPath(path, "id");
    const id = readId(ctx, idPath, value);
    if (id !== undefined) ids.claim(idPath, id, `id "${id}"`);
    return id;
  };

  const taken = new Map<string, { id: string | undefined; path: string }>();
  const forwards = readEach(
    ctx,
    keyPath(path, "port_forwards"),
    raw.port_forwards,
    LIMITS.portForwards,
    (p, item) => readForward(ctx, p, item, env, readUniqueId, taken),
  );
  const rules = readEach(ctx, keyPath(path, "rules"), raw.rules, LIMITS.rules, (p, item) =>
    readRule(ctx, p, item, env, readUniqueId),
  );
  const log = readLog(ctx, keyPath(path, "log"), raw.log);

  if (ctx.errors.count !== before || !forwards || !rules || !log) return undefined;
  return { port_forwards: forwards, rules, log };
}

function readForward(
  ctx: Ctx,
  path: string,
  value: unknown,
  env: FirewallContext,
  readUniqueId: ReadId,
  taken: Map<string, { id: string | undefined; path: string }>,
): PortForward | undefined {
  const before = ctx.errors.count;
  const raw = readMapping(ctx.errors, path, value, FORWARD_KEYS);
  if (!raw) return undefined;
  const id = readUniqueId(path, raw.id);
  const protocol = readEnum(ctx.errors, keyPath(path, "protocol"), raw.protocol, L4);
  const wanPortPath = keyPath(path, "wan_port");
  const wanPort = readPort(ctx, wanPortPath, raw.wan_port);
  if (protocol && wanPort !== undefined) {
    const key = `${protocol}/${wanPort}`;
    const first = taken.get(key);
    if (first) {
      const by = first.id ? `"${first.id}"` : first.path;
      ctx.errors.add(wanPortPath, `${protocol} port ${wanPort} is already forwarded by ${by}`);
    } else if (protocol === "tcp" && env.managementPorts.includes(wanPort)) {
      ctx.errors.add(
        wanPortPath,
        `tcp port ${wanPort} is the management API port (wan.management.ports)`,
      );
    } else {
      taken.set(key, { id, path });
    }
  }

  const toPath = keyPath(path, "to");
  const to = readIpv4(ctx, toPath, raw.to);
  if (to && env.lans) {
    const lan = env.lans.find((l) => l.subnet && contains(l.subnet, to.value));
    if (!lan?.subnet) {
      // Only claim "no LAN" when every LAN's subnet is known.
      if (env.lans.every((l) => l.subnet)) {
        ctx.errors.add(toPath, `${to.text} is not inside any LAN subnet`);
      }
    } else {
      const message = hostInSubnetMessage(to, lan.subnet);
      if (message) ctx.errors.add(toPath, message);
      else if (to.value === lan.address?.value) {
        ctx.errors.add(toPath, `${to.text} is the router's own address on ${lan.name ?? lan.path}`);
      }
    }
  }
  const toPort = isAbsent(raw.to_port)
    ? wanPort
    : readPort(ctx, keyPath(path, "to_port"), raw.to_port);
  const sources = readCidrList(ctx, keyPath(path, "source_cidrs"), raw.source_cidrs);
  const hairpin = readBool(ctx.errors, keyPath(path, "hairpin"), raw.hairpin, false);

  if (ctx.errors.count !== before) return undefined;
  if (!id || !protocol || wanPort === undefined || !to || toPort === undefined || !sources) {
    return undefined;
  }
  if (hairpin === undefined) return undefined;
  return {
    id,
    protocol,
    wan_port: wanPort,
    to: to.text,
    to_port: toPort,
    source_cidrs: sources,
    hairpin,
  };
}

function readRule(
  ctx: Ctx,
  path: string,
  value: unknown,
  env: FirewallContext,
  readUniqueId: ReadId,
): FirewallRule | undefined {
  const before = ctx.errors.count;
  const raw = readMapping(ctx.errors, path, value, RULE_KEYS);
  if (!raw) return undefined;
  const id = readUniqueId(path, raw.id);
  const chain = readEnum(ctx.errors, keyPath(path, "chain"), raw.chain, CHAINS);
  const action = readEnum(ctx.errors, keyPath(path, "action"), raw.action, ACTIONS);
  const from = readZone(ctx, keyPath(path, "from"), raw.from, env);
  let to: string | undefined = "any";
  // "any" is what a validated input rule carries, so it must read back.
  if (!isAbsent(raw.to) && raw.to !== "any") {
    if (chain === "input") {
      ctx.errors.add(keyPath(path, "to"), "only allowed in the forward chain");
      to = undefined;
    } else {
      to = readZone(ctx, keyPath(path, "to"), raw.to, env);
    }
  }
  const protocol = readEnum(ctx.errors, keyPath(path, "protocol"), raw.protocol, PROTOCOLS, "any");
  const sources = readCidrList(ctx, keyPath(path, "source_cidrs"), raw.source_cidrs);
  const destinations = readCidrList(ctx, keyPath(path, "destination_cidrs"), raw.destination_cidrs);
  const portsPath = keyPath(path, "ports");
  const ports = readEach(ctx, portsPath, raw.ports, LIMITS.portsPerRule, (p, item) =>
    readPortSpec(ctx, p, item),
  );
  if (ports && ports.length > 0 && protocol && protocol !== "tcp" && protocol !== "udp") {
    ctx.errors.add(portsPath, `ports need protocol tcp or udp, not ${protocol}`);
  }
  const log = readBool(ctx.errors, keyPath(path, "log"), raw.log, false);
  const comment = isAbsent(raw.comment)
    ? undefined
    : readComment(ctx, keyPath(path, "comment"), raw.comment);

  if (ctx.errors.count !== before) return undefined;
  if (!id || !chain || !action || !from || !to || !protocol) return undefined;
  if (!sources || !destinations || !ports || log === undefined) return undefined;
  const rule: FirewallRule = {
    id,
    chain,
    action,
    from,
    to,
    protocol,
    source_cidrs: sources,
    destination_cidrs: destinations,
    ports,
    log,
  };
  if (comment !== undefined) rule.comment = comment;
  return rule;
}

/** "wan", "any" or the name of a LAN; "any" when absent. */
function readZone(
  ctx: Ctx,
  path: string,
  value: unknown,
  env: FirewallContext,
): string | undefined {
  if (isAbsent(value)) return "any";
  const zone = readString(ctx.errors, path, value);
  if (zone === undefined) return undefined;
  if (zone === "wan" || zone === "any") return zone;
  if (env.lans?.some((l) => l.name === zone)) return zone;
  // An unreadable LAN list or name may hold the one meant; do not pile on.
  if (!env.lans || env.lans.some((l) => l.name === undefined)) return undefined;
  const names = env.lans.map((l) => l.name).join(", ");
  ctx.errors.add(path, `${quote(zone)} is not wan, any or a LAN name (${names})`);
  return undefined;
}

/** A port "80" or range "1000-2000" (integers are accepted) as a string. */
function readPortSpec(ctx: Ctx, path: string, value: unknown): string | undefined {
  const text = typeof value === "number" && Number.isInteger(value) ? String(value) : value;
  if (typeof text !== "string") {
    ctx.errors.add(path, 'expected a port such as 80 or a range such as "1000-2000"');
    return undefined;
  }
  const match = PORT_RE.exec(text);
  if (!match) {
    ctx.errors.add(path, `${quote(text)} is not a port such as 80 or a range such as 1000-2000`);
    return undefined;
  }
  const low = Number(match[1]);
  const high = match[2] === undefined ? low : Number(match[2]);
  for (const port of [low, high]) {
    if (port > 65535) {
      ctx.errors.add(path, `port ${port} is outside 1..65535`);
      return undefined;
    }
  }
  if (low > high) {
    ctx.errors.add(path, `range ${text} ends before it starts`);
    return undefined;
  }
  return text;
}

function readComment(ctx: Ctx, path: string, value: unknown): string | undefined {
  const text = readString(ctx.errors, path, value);
  if (text === undefined) return undefined;
  const bad = controlCharMessage(text);
  if (bad) {
    ctx.errors.add(path, bad);
    return undefined;
  }
  if (text.length > MAX_COMMENT_LENGTH) {
    ctx.errors.add(path, `is longer than ${MAX_COMMENT_LENGTH} characters`);
    return undefined;
  }
  return text;
}

function readLog(ctx: Ctx, path: string, value: unknown): LogSpec | undefined {
  const before = ctx.errors.count;
  const raw = isAbsent(value) ? {} : readMapping(ctx.errors, path, value, LOG_KEYS);
  if (!raw) return undefined;
  const dropped = readBool(ctx.errors, keyPath(path, "dropped"), raw.dropped, false);
  const rate = isAbsent(raw.rate_per_minute)
    ? 10
    : readInt(ctx.errors, keyPath(path, "rate_per_minute"), raw.rate_per_minute, 1, MAX_LOG_RATE);
  let prefix: string | undefined = "router-agent";
  if (!isAbsent(raw.prefix)) {
    const prefixPath = keyPath(path, "prefix");
    prefix = readString(ctx.errors, prefixPath, raw.prefix);
    if (prefix !== undefined) {
      const bad = badCharMessage(prefix, LOG_PREFIX_CHAR);
      if (bad) {
        ctx.errors.add(prefixPath, `${bad}; allowed: letters, digits, space and _ : . -`);
      } else if (prefix.length > 20) {
        ctx.errors.add(prefixPath, "is longer than 20 characters");
      }
    }
  }
  if (ctx.errors.count !== before || dropped === undefined || rate === undefined) return undefined;
  if (prefix === undefined) return undefined;
  return { dropped, rate_per_minute: rate, prefix };
}
