/**
 * The link plan: observed links plus the bound desired state become the
 * minimal list of operations that bring the LAN interfaces to the desired
 * addresses and state. Pure: no I/O.
 *
 * Two steps:
 * - `bindInterfaces` resolves each LAN's interface match (name, MAC or auto)
 *   against the links the runtime observed, giving a `BoundSpec`;
 * - `planLinks` diffs the observed links against the bound spec.
 */
import type { BoundLan, BoundSpec, FieldError, RouterSpec, Validated } from "../model/types.js";

/** One link as observed via `ip -j -d addr`. */
export interface ObservedLink {
  ifname: string;
  /** Lower-case MAC, or "" for links without one. */
  mac: string;
  /** `link_type` from iproute2, e.g. "ether", "loopback", "none". */
  linkType: string;
  /** `linkinfo.info_kind` (e.g. "veth", "bridge", "tun"), or undefined for physical NICs. */
  kind?: string;
  up: boolean;
  /** IPv4 addresses with prefix, e.g. "10.88.0.1/24". */
  addresses: string[];
}

export type LinkOp =
  | { op: "link-up"; ifname: string }
  | { op: "addr-add"; ifname: string; address: string }
  | { op: "addr-del"; ifname: string; address: string };

/**
 * Link kinds that `auto` may pick besides physical NICs. A veth is how a
 * guest or a network namespace gets its LAN; bridges, tunnels, VLANs and the
 * like are infrastructure built on top of LANs, never a LAN port themselves.
 */
const AUTO_KINDS: ReadonlySet<string> = new Set(["veth"]);

/**
 * Resolves every LAN's interface match against the observed links.
 *
 * Fails with one `FieldError` per LAN that cannot be bound, at
 * `lans[i].interface`: no such link, no link with that MAC, `auto` matching
 * zero or several links, the WAN used as a LAN, or two LANs on one link.
 * `auto` only considers Ethernet links (physical or veth) that are neither
 * the WAN, loopback, nor claimed by name or MAC by another LAN.
 */
export function bindInterfaces(spec: RouterSpec, links: ObservedLink[]): Validated<BoundSpec> {
  const errors: FieldError[] = [];
  const names = links.map((l) => l.ifname);
  const linkList = names.length > 0 ? names.join(", ") : "(none)";
  const resolved: (string | undefined)[] = [];

  // Explicit matches first, so `auto` can skip the links they claim.
  spec.lans.forEach((lan, i) => {
    const path = `lans[${i}].interface`;
    const match = lan.interface;
    if ("name" in match) {
      if (!links.some((l) => l.ifname === match.name)) {
        errors.push({ path, message: `no link named ${match.name}; links: ${linkList}` });
      }
      resolved[i] = match.name;
    } else if ("mac" in match) {
      const mac = match.mac.toLowerCase();
      const found = links.filter((l) => l.mac === mac);
      if (found.length === 0) {
        errors.push({ path, message: `no link has MAC ${mac}; links: ${linkList}` });
      } else if (found.length > 1) {
        const which = found.map((l) => l.ifname).join(", ");
        errors.push({ path, message: `MAC ${mac} matches ${found.length} links: ${which}` });
      } else {
        resolved[i] = found[0]?.ifname;
      }
    }
  });

  const claimed = new Set(resolved.filter((n): n is string => n !== undefined));
  spec.lans.forEach((lan, i) => {
    if (!("auto" in lan.interface)) return;
    const path = `lans[${i}].interface`;
    const candidates = links.filter(
      (l) =>
        l.linkType === "ether" &&
        l.ifname !== spec.wan.interface &&
        !claimed.has(l.ifname) &&
        (l.kind === undefined || AUTO_KINDS.has(l.kind)),
    );
    if (candidates.length === 1) {
      resolved[i] = candidates[0]?.ifname;
    } else if (candidates.length === 0) {
      errors.push({ path, message: `auto matches no link; links: ${linkList}` });
    } else {
      const which = candidates.map((l) => l.ifname).join(", ");
      errors.push({ path, message: `auto matches ${candidates.length} links: ${which}` });
    }
  });

  const owner = new Map<string, number>();
  resolved.forEach((ifname, i) => {
    if (ifname === undefined) return;
    const path = `lans[${i}].interface`;
    if (ifname === spec.wan.interface) {
      errors.push({ path, message: `${ifname} is the WAN interface` });
      return;
    }
    const first = owner.get(ifname);
    if (first !== undefined) {
      errors.push({ path, message: `${ifname} is already used by lans[${first}]` });
      return;
    }
    owner.set(ifname, i);
  });

  if (errors.length > 0) {
    errors.sort((a, b) => a.path.localeCompare(b.path));
    return { ok: false, errors };
  }
  const lans: BoundLan[] = spec.lans.map((lan, i) => ({ ...lan, ifname: resolved[i] as string }));
  return { ok: true, value: { ...spec, lans } };
}

/**
 * The operations that take the observed links to the desired state:
 * - `addr-del` for each address a LAN of `previous` owned and `desired` no
 *   longer wants, if it is still present (addresses the agent never owned are
 *   left alone);
 * - `link-up` for each desired LAN link that is down;
 * - `addr-add` for each desired LAN address that is missing.
 *
 * Deletions come first so that an address moving between prefixes never
 * coexists with its old form. A link is never taken down, not even one a
 * removed LAN used: it may be how the operator reaches the guest. A LAN whose link is not observed yields its
 * ops anyway; running them fails with the command's error.
 */
export function planLinks(
  observed: ObservedLink[],
  desired: BoundSpec,
  previous?: BoundSpec,
): LinkOp[] {
  const byName = new Map(observed.map((l) => [l.ifname, l]));
  const wanted = new Set(desired.lans.map((l) => key(l.ifname, l.address)));
  const ops: LinkOp[] = [];
  const seen = new Set<string>();

  for (const lan of previous?.lans ?? []) {
    const k = key(lan.ifname, lan.address);
    if (wanted.has(k) || seen.has(k)) continue;
    seen.add(k);
    const link = byName.get(lan.ifname);
    if (link?.addresses.some((a) => sameAddress(a, lan.address))) {
      ops.push({ op: "addr-del", ifname: lan.ifname, address: lan.address });
    }
  }
  const upped = new Set<string>();
  for (const lan of desired.lans) {
    const link = byName.get(lan.ifname);
    if (!link?.up && !upped.has(lan.ifname)) {
      upped.add(lan.ifname);
      ops.push({ op: "link-up", ifname: lan.ifname });
    }
  }
  for (const lan of desired.lans) {
    const link = byName.get(lan.ifname);
    if (!link?.addresses.some((a) => sameAddress(a, lan.address))) {
      ops.push({ op: "addr-add", ifname: lan.ifname, address: lan.address });
    }
  }
  return ops;
}

function key(ifname: string, address: string): string {
  return `${ifname} ${normalizeAddress(address)}`;
}

function sameAddress(a: string, b: string): boolean {
  return normalizeAddress(a) === normalizeAddress(b);
}

/** "010.88.0.001/24" and "10.88.0.1/24" are one address; IPv4 only. */
function normalizeAddress(address: string): string {
  const [ip = "", prefix = "32"] = address.split("/");
  const octets = ip.split(".");
  if (octets.length !== 4) return address.toLowerCase();
  return `${octets.map((o) => String(Number.parseInt(o, 10))).join(".")}/${Number.parseInt(prefix, 10)}`;
}
