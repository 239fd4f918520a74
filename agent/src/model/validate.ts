/**
 * `validateSpec`: the one gate through which untrusted input (a parsed
 * `router.yaml`, or a gRPC `RouterSpec` turned into a plain object) becomes a
 * `RouterSpec`.
 *
 * It never throws. It returns either the typed model with every default
 * filled in, or every error it found, each with the path of the field
 * (`lans[0].dhcp.ranges[1].end`) and a message that says what is wrong
 * (`10.88.1.5 is outside 10.88.0.0/24`). Unknown fields are errors. Validating
 * a validated spec again gives the same spec.
 */
import {
  isAbsent,
  keyPath,
  readBool,
  readList,
  readMapping,
  readRequiredMapping,
} from "./fields.js";
import { FirstSeen } from "./first-seen.js";
import { overlaps } from "./net.js";
import {
  type FieldError,
  type LanSpec,
  LIMITS,
  type ManagementSpec,
  type RouterSpec,
  type Validated,
  type WanSpec,
} from "./types.js";
import { readDns } from "./validate-dns.js";
import { readFirewall } from "./validate-firewall.js";
import { type LanFacts, readLan } from "./validate-lan.js";
import { type Ctx, newCtx, readCidrList, readEach, readIfname, readPort } from "./values.js";

const ROOT_KEYS = ["wan", "lans", "dns", "firewall"] as const;
const WAN_KEYS = ["interface", "masquerade", "management"] as const;
const MANAGEMENT_KEYS = ["cidrs", "ports"] as const;
/** The agent API's default TCP port. */
export const DEFAULT_MANAGEMENT_PORT = 7443;

/** Validates an untrusted, YAML-shaped plain object into a `RouterSpec`. */
export function validateSpec(input: unknown): Validated<RouterSpec> {
  const ctx = newCtx();
  const raw = readMapping(ctx.errors, "", input, ROOT_KEYS);
  if (!raw) return { ok: false, errors: ctx.errors.list() };

  const wan = readWan(ctx, "wan", raw.wan);
  const { lans, facts } = readLans(ctx, "lans", raw.lans);
  if (facts) checkLans(ctx, facts, wan?.interface);
  const dns = readDns(ctx, "dns", raw.dns);
  const firewall = readFirewall(ctx, "firewall", raw.firewall, {
    lans: facts,
    managementPorts: wan?.management.ports ?? [],
  });

  if (ctx.errors.count > 0 || !wan || !lans || !dns || !firewall) {
    const errors: FieldError[] = ctx.errors.list();
    return { ok: false, errors };
  }
  return { ok: true, value: { wan, lans, dns, firewall } };
}

function readWan(ctx: Ctx, path: string, value: unknown): WanSpec | undefined {
  const before = ctx.errors.count;
  const raw = readRequiredMapping(ctx.errors, path, value, WAN_KEYS);
  if (!raw) return undefined;
  const iface = readIfname(ctx, keyPath(path, "interface"), raw.interface);
  const masquerade = readBool(ctx.errors, keyPath(path, "masquerade"), raw.masquerade, true);
  const management = readManagement(ctx, keyPath(path, "management"), raw.management);
  if (ctx.errors.count !== before || iface === undefined || masquerade === undefined) {
    return undefined;
  }
  if (!management) return undefined;
  return { interface: iface, masquerade, management };
}

function readManagement(ctx: Ctx, path: string, value: unknown): ManagementSpec | undefined {
  const raw = isAbsent(value) ? {} : readMapping(ctx.errors, path, value, MANAGEMENT_KEYS);
  if (!raw) return undefined;
  const cidrs = readCidrList(ctx, keyPath(path, "cidrs"), raw.cidrs);
  const seen = new FirstSeen<number>(ctx.errors);
  const ports = isAbsent(raw.ports)
    ? [DEFAULT_MANAGEMENT_PORT]
    : readEach(ctx, keyPath(path, "ports"), raw.ports, LIMITS.portsPerRule, (p, item) => {
        const port = readPort(ctx, p, item);
        if (port === undefined || !seen.claim(p, port, `port ${port}`)) return undefined;
        return port;
      });
  return cidrs && ports ? { cidrs, ports } : undefined;
}

function readLans(
  ctx: Ctx,
  path: string,
  value: unknown,
): { lans: LanSpec[] | undefined; facts: LanFacts[] | undefined } {
  if (isAbsent(value)) {
    ctx.errors.add(path, "required: at least one LAN");
    return { lans: undefined, facts: undefined };
  }
  const items = readList(ctx.errors, path, value, LIMITS.lans);
  if (!items) return { lans: undefined, facts: undefined };
  if (items.length === 0) {
    ctx.errors.add(path, "needs at least one LAN");
    return { lans: undefined, facts: undefined };
  }
  const lans: LanSpec[] = [];
  const facts: LanFacts[] = [];
  items.forEach((item, i) => {
    const read = readLan(ctx, `${path}[${i}]`, item);
    facts.push(read.facts);
    if (read.lan) lans.push(read.lan);
  });
  return { lans: lans.length === items.length ? lans : undefined, facts };
}

/**
 * Checks across LANs: unique names, one LAN per interface and never the
 * WAN's, `auto` only for a single LAN, disjoint subnets, `allow_lans` naming
 * other existing LANs, and no static-lease MAC or IP given twice.
 */
function checkLans(ctx: Ctx, lans: LanFacts[], wanIfname: string | undefined): void {
  const names = new FirstSeen<string>(ctx.errors);
  const ifnames = new Map<string, string>();
  const macs = new Map<string, string>();
  for (const lan of lans) {
    if (lan.name !== undefined)
      names.claim(keyPath(lan.path, "name"), lan.name, `LAN name "${lan.name}"`);
    const iface = lan.iface;
    if (!iface) continue;
    if ("name" in iface.match) {
      const name = iface.match.name;
      const first = ifnames.get(name);
      if (name === wanIfname) ctx.errors.add(iface.path, `${name} is the WAN interface`);
      else if (first) ctx.errors.add(iface.path, `${name} is already used by ${first}`);
      else ifnames.set(name, lan.path);
    } else if ("mac" in iface.match) {
      const mac = iface.match.mac;
      const first = macs.get(mac);
      if (first) ctx.errors.add(iface.path, `${mac} is already used by ${first}`);
      else macs.set(mac, lan.path);
    } else if (lans.length > 1) {
      ctx.errors.add(
        iface.path,
        "auto picks the only non-WAN Ethernet interface, so it needs a single LAN; give each LAN's interface by name or mac",
      );
    }
  }

  lans.forEach((lan, i) => {
    if (!lan.subnet) return;
    for (const other of lans.slice(0, i)) {
      if (other.subnet && overlaps(lan.subnet, other.subnet)) {
        ctx.errors.add(
          keyPath(lan.path, "address"),
          `${lan.subnet.network} overlaps ${other.subnet.network} of ${other.path}`,
        );
        break;
      }
    }
  });

  const allNamesKnown = lans.every((l) => l.name !== undefined);
  for (const lan of lans) {
    const seen = new Set<string>();
    for (const ref of lan.allowLans) {
      if (ref.name === lan.name) ctx.errors.add(ref.path, "a LAN cannot allow itself");
      else if (seen.has(ref.name)) ctx.errors.add(ref.path, `"${ref.name}" is listed twice`);
      else if (!names.has(ref.name) && allNamesKnown) {
        ctx.errors.add(ref.path, `no LAN is named ${JSON.stringify(ref.name).slice(0, 40)}`);
      }
      seen.add(ref.name);
    }
  }

  const leaseMacs = new FirstSeen<string>(ctx.errors);
  const leaseIps = new FirstSeen<string>(ctx.errors);
  for (const lan of lans) {
    for (const { lease, path } of lan.leases) {
      // "also at" names the first lease; the error sits on the field.
      leaseMacs.claim(path, lease.mac, `MAC ${lease.mac}`, keyPath(path, "mac"));
      leaseIps.claim(path, lease.ip, `IP ${lease.ip}`, keyPath(path, "ip"));
    }
  }
}
