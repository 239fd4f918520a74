/**
 * The dnsmasq `dhcp-script` hook and the one-line message it sends. Pure: no I/O.
 *
 * dnsmasq runs the hook once per lease change (add, old, del), one instance at
 * a time. Spawning Node per event would cost ~40 ms and ~40 MB each time, so
 * the hook is a POSIX sh script that writes one line to a FIFO the agent reads
 * (`lease-listener.ts`). The line is
 *
 *   v1 <action> <mac> <ip> <hostname-hex> <expires> <remaining> <interface> <tags-hex>
 *
 * with "-" for an absent field. Hostname and tags are hex-encoded (`od`), so a
 * client-supplied hostname can never break the framing; the other fields are
 * checked against a character class in the script and replaced by "-" if they
 * contain anything else. Lines stay below PIPE_BUF (4096), so each write is
 * atomic even with concurrent writers.
 *
 * The hook never blocks dnsmasq for long: it exits at once if the FIFO does
 * not exist, opens it read-write (which never waits for a reader), and bounds
 * the write with `timeout 2` in case the agent is alive but not reading and
 * the pipe is full. If the agent is down, the line is discarded when the hook
 * closes the FIFO; the lease tracker catches up from the lease file.
 *
 * The hook ignores every other action, including "init" (only sent with
 * `leasefile-ro`, which the agent does not use: dnsmasq owns the lease file).
 * It needs only sh, od and timeout (coreutils), present on any Debian/Ubuntu.
 */
import { parseIpv4 } from "../model/net.js";
import { normaliseMac } from "./lease-file.js";
import type { LeaseAction } from "./router-runtime.js";

/** The protocol version tag at the start of every line. */
export const HOOK_LINE_VERSION = "v1";

/** Longest line the hook sends, newline included; below PIPE_BUF. */
export const HOOK_LINE_MAX = 4000;

export interface LeaseHookOptions {
  /** Absolute path of the FIFO the agent reads, e.g. `/run/router-agent/lease-events`. */
  fifoPath: string;
  /** Seconds the hook may wait for a full pipe. Default 2. */
  writeTimeoutSeconds?: number;
}

const SAFE_PATH_RE = /^\/[A-Za-z0-9._/+-]*$/;

/**
 * Renders the hook script. Throws if `fifoPath` is not an absolute path of
 * plain characters (it is embedded in the script in single quotes).
 */
export function renderLeaseHook(opts: LeaseHookOptions): string {
  if (!SAFE_PATH_RE.test(opts.fifoPath)) {
    throw new Error(`lease hook: unsafe FIFO path ${JSON.stringify(opts.fifoPath)}`);
  }
  const timeout = opts.writeTimeoutSeconds ?? 2;
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 60) {
    throw new Error(`lease hook: write timeout must be 1..60 s, got ${timeout}`);
  }
  return `#!/bin/sh
# dnsmasq dhcp-script hook, rendered by router-agent. Do not edit.
# Hands each lease event to the agent as one line on a FIFO and never blocks
# dnsmasq for more than ${timeout} s. Client-supplied text is hex-encoded.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
fifo='${opts.fifoPath}'
case "$1" in add|old|del) ;; *) exit 0 ;; esac
[ -p "$fifo" ] || exit 0

hex() {
  if [ -z "$1" ]; then printf -- '-'; return 0; fi
  set -- $(printf '%s' "$1" | od -An -v -tx1)
  IFS=
  printf '%s' "$*"
}

mac=$2
case "$mac" in ''|*[!0-9A-Fa-f:-]*) mac=- ;; esac
ip=$3
case "$ip" in ''|*[!0-9A-Fa-f.:]*) ip=- ;; esac
exp=\${DNSMASQ_LEASE_EXPIRES:-}
case "$exp" in ''|*[!0-9]*) exp=- ;; esac
rem=\${DNSMASQ_TIME_REMAINING:-}
case "$rem" in ''|*[!0-9]*) rem=- ;; esac
ifc=\${DNSMASQ_INTERFACE:-}
case "$ifc" in ''|*[!A-Za-z0-9._@-]*) ifc=- ;; esac
host=$(hex "\${4:-}")
tags=$(hex "\${DNSMASQ_TAGS:-}")

line="${HOOK_LINE_VERSION} $1 $mac $ip $host $exp $rem $ifc $tags"
[ \${#line} -lt ${HOOK_LINE_MAX} ] || line="${HOOK_LINE_VERSION} $1 $mac $ip $host $exp $rem $ifc -"
[ \${#line} -lt ${HOOK_LINE_MAX} ] || exit 0
timeout ${timeout} sh -c 'printf "%s\\n" "$2" 1<>"$1"' hook "$fifo" "$line" >/dev/null 2>&1
exit 0
`;
}

/** One lease event as the hook reported it, after validation. */
export interface HookEvent {
  action: LeaseAction;
  /** Lower-case `aa:bb:cc:dd:ee:ff`. */
  mac: string;
  ip: string;
  /** Client-supplied; printable ASCII only, otherwise dropped. */
  hostname?: string;
  /** `DNSMASQ_LEASE_EXPIRES`: unix seconds. */
  expires?: number;
  /** `DNSMASQ_TIME_REMAINING`: seconds. */
  remaining?: number;
  /** `DNSMASQ_INTERFACE`: absent for "old" events at dnsmasq start. */
  interface?: string;
  /** `DNSMASQ_TAGS`, split; tags that are not plain words are dropped. */
  tags: string[];
}

export type HookLineParse =
  | { ok: true; event: HookEvent; warnings: string[] }
  | { ok: false; reason: string };

const HEX_RE = /^(?:[0-9a-f]{2})+$/;
const NUM_RE = /^(?:0|[1-9][0-9]{0,11})$/;
const IFNAME_RE = /^[A-Za-z0-9._@-]{1,15}$/;
const TAG_RE = /^[A-Za-z0-9_.:-]{1,64}$/;
const HOSTNAME_RE = /^[\x21-\x7e]{1,255}$/;

/**
 * Parses and validates one line from the hook (without its newline). Every
 * field is checked; a line with a bad action, MAC or IP is rejected with the
 * reason. A bad hostname or tag only drops that field, with a warning.
 */
export function parseHookLine(line: string): HookLineParse {
  if (line.length >= HOOK_LINE_MAX) return { ok: false, reason: "line too long" };
  const fields = line.split(" ");
  if (fields.length !== 9) return { ok: false, reason: `expected 9 fields, got ${fields.length}` };
  const [version, action, macText, ip, hostHex, exp, rem, ifc, tagsHex] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (version !== HOOK_LINE_VERSION) return { ok: false, reason: `unknown version ${version}` };
  if (action !== "add" && action !== "old" && action !== "del") {
    return { ok: false, reason: "unknown action" };
  }
  const mac = normaliseMac(macText);
  if (!mac) return { ok: false, reason: "not an Ethernet MAC" };
  if (!parseIpv4(ip)) return { ok: false, reason: "not an IPv4 address" };

  const warnings: string[] = [];
  const event: HookEvent = { action, mac, ip, tags: [] };
  if (hostHex !== "-") {
    const hostname = decodeHex(hostHex);
    if (hostname !== undefined && HOSTNAME_RE.test(hostname)) event.hostname = hostname;
    else warnings.push("hostname dropped: not printable ASCII");
  }
  const expires = optionalNumber(exp);
  if (expires === null) return { ok: false, reason: "bad expiry" };
  if (expires !== undefined) event.expires = expires;
  const remaining = optionalNumber(rem);
  if (remaining === null) return { ok: false, reason: "bad time remaining" };
  if (remaining !== undefined) event.remaining = remaining;
  if (ifc !== "-") {
    if (IFNAME_RE.test(ifc)) event.interface = ifc;
    else warnings.push("interface dropped: not an interface name");
  }
  if (tagsHex !== "-") {
    const tags = decodeHex(tagsHex);
    if (tags === undefined) warnings.push("tags dropped: bad encoding");
    else {
      for (const tag of tags.split(/\s+/)) {
        if (tag === "") continue;
        if (TAG_RE.test(tag)) event.tags.push(tag);
        else warnings.push("a tag was dropped: not a plain word");
      }
    }
  }
  return { ok: true, event, warnings };
}

/** Hex to text; undefined unless it is even-length lower-case hex of valid UTF-8. */
function decodeHex(hex: string): string | undefined {
  if (!HEX_RE.test(hex)) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(hex, "hex"));
  } catch {
    return undefined;
  }
}

/** "-" → undefined; a decimal → number; anything else → null. */
function optionalNumber(text: string): number | undefined | null {
  if (text === "-") return undefined;
  return NUM_RE.test(text) ? Number(text) : null;
}
