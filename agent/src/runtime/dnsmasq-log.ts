/**
 * Turns one line of dnsmasq's log (`--log-facility=-`, i.e. stderr) into a
 * structured record for the agent's pino log. Pure.
 *
 * dnsmasq writes `<program>[<pid>]: <message>`, where program is `dnsmasq`,
 * `dnsmasq-dhcp`, `dnsmasq-script`, `dnsmasq-tftp`, …; with `log-dhcp` a DHCP
 * message starts with the transaction id. DHCP protocol messages look like
 * `DHCPACK(lan0) 10.88.0.57 aa:bb:cc:dd:ee:ff host` and become fields.
 * Startup errors (bad config) arrive as `dnsmasq: <message>` without a pid.
 * Anything else is passed through as the message. Hostnames and other client
 * text stay plain string fields; nothing is interpreted. Field names avoid
 * pino's own `pid` and `hostname`: dnsmasq's are `dnsmasqPid` and
 * `clientHostname`.
 */
import { parseIpv4 } from "../model/net.js";
import { normaliseMac } from "./lease-file.js";

export type DnsmasqLogLevel = "debug" | "info" | "warn" | "error";

export interface DnsmasqLogRecord {
  level: DnsmasqLogLevel;
  msg: string;
  /** Structured fields for pino (never includes `msg` or `level`). */
  fields: Record<string, string | number>;
}

const PREFIX_RE = /^(dnsmasq(?:-[a-z0-9]+)?)(?:\[(\d+)\])?: ?(.*)$/;
const XID_RE = /^(\d+) (.*)$/;
const DHCP_RE = /^(DHCP[A-Z]+|BOOTP[A-Z]*)\(([^)]*)\)(?: (.*))?$/;
const WARN_RE =
  /\b(?:failed|failure|cannot|can't|unable|error|warning|illegal|bad|refused|no address range|not giving name|ignored|out of memory)\b/i;
const FATAL_RE = /\b(?:FAILED to start up|junk found|bad option|unsupported option)\b/i;

/** Parses a log line. Never throws; unknown shapes keep the whole line as `msg`. */
export function parseDnsmasqLogLine(line: string): DnsmasqLogRecord {
  const text = line.replace(/\s+$/, "");
  const m = PREFIX_RE.exec(text);
  if (!m) return { level: levelOf(text), msg: text, fields: {} };
  const [, program, pid, rest] = m as unknown as [string, string, string | undefined, string];
  const fields: Record<string, string | number> = { program };
  if (pid !== undefined) fields.dnsmasqPid = Number(pid);
  let msg = rest;
  if (program === "dnsmasq-dhcp") {
    const x = XID_RE.exec(msg);
    if (x) {
      fields.xid = Number(x[1]);
      msg = x[2] as string;
    }
    Object.assign(fields, dhcpFields(msg));
  }
  const level = pid === undefined && FATAL_RE.test(msg) ? "error" : levelOf(msg);
  return { level, msg, fields };
}

/** The PID in a `dnsmasq[<pid>]: started, version …` line, if this is one. */
export function startedPid(record: DnsmasqLogRecord): number | undefined {
  if (record.fields.program !== "dnsmasq" || !/^started, version /.test(record.msg))
    return undefined;
  return typeof record.fields.dnsmasqPid === "number" ? record.fields.dnsmasqPid : undefined;
}

function dhcpFields(msg: string): Record<string, string> {
  const d = DHCP_RE.exec(msg);
  if (!d) return {};
  const [, type, iface, tail] = d as unknown as [string, string, string, string | undefined];
  const out: Record<string, string> = { dhcp: type };
  if (iface) out.interface = iface;
  const words = (tail ?? "").split(" ").filter((w) => w !== "");
  let i = 0;
  if (words[i] && parseIpv4(words[i] as string)) out.ip = words[i++] as string;
  const mac = words[i] ? normaliseMac(words[i] as string) : undefined;
  if (mac) {
    out.mac = mac;
    i++;
  }
  const remainder = words.slice(i).join(" ");
  if (remainder) {
    // After DHCPACK the remainder is the client's hostname; after DHCPNAK and
    // others it is a reason. Either way it is kept as opaque text.
    if (type === "DHCPACK") out.clientHostname = remainder;
    else out.detail = remainder;
  }
  return out;
}

function levelOf(msg: string): DnsmasqLogLevel {
  return WARN_RE.test(msg) ? "warn" : "info";
}
