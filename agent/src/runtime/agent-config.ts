/**
 * The agent's own boot config, `/etc/router-agent/agent.yaml`: where its
 * state lives, which WAN interface a spec defaults to, how loud it logs, and
 * how the API listens. Everything has a default, so an empty file is valid
 * (unix socket only). Unknown fields are errors, with a "did you mean".
 *
 * ```yaml
 * state_dir: /var/lib/router-agent     # revisions, last-good, dnsmasq files, leases
 * runtime_dir: /run/router-agent       # API socket, lease-hook FIFO, scratch
 * wan_interface: eth0                  # wan.interface when a pushed spec omits it
 * log_level: info                      # trace|debug|info|warn|error|fatal|silent
 * drift_interval: 60s                  # 0 turns the periodic drift check off
 * initial_state: /etc/router-agent/router.yaml  # applied at a start with no revisions yet
 * listen:
 *   unix: /run/router-agent/agent.sock # plaintext, mode 0600; "" turns it off
 *   tcp:
 *     - address: 192.168.130.2
 *       port: 7443
 *       auth: mtls                     # mtls (default) | token | none
 *       tls: { ca: /etc/router-agent/pki/ca.pem, cert: /etc/router-agent/pki/agent.pem, key: /etc/router-agent/pki/agent-key.pem }
 *       insecure: false                # true allows TCP without TLS, with a warning
 * tokens:                              # bearer tokens for `auth: token` listeners
 *   - name: host
 *     scope: write                     # read | write
 *     sha256: 9f86d0...                # hex sha256 of the token, or:
 *     # file: /etc/router-agent/tokens/host   (a file holding the token itself)
 * counters:
 *   timeout: 5s                        # per read of nft/ip/conntrack counters
 * metrics:                             # optional Prometheus endpoint
 *   address: 127.0.0.1
 *   port: 9100
 * ```
 *
 * Pure: parsing only. Reading the TLS and token files is main's job.
 */
import { parse } from "yaml";
import {
  ErrorList,
  isAbsent,
  itemPath,
  keyPath,
  readBool,
  readEnum,
  readInt,
  readList,
  readMapping,
  readString,
} from "../model/fields.js";
import type { FieldError, Validated } from "../model/types.js";
import { LOG_LEVELS, type LogLevel } from "./logger.js";

export const DEFAULT_CONFIG_PATH = "/etc/router-agent/agent.yaml";

export interface TlsFiles {
  /** CA that signs client certificates; required for `auth: mtls`. */
  ca?: string;
  cert: string;
  key: string;
}

export interface TcpListen {
  address: string;
  port: number;
  auth: "mtls" | "token" | "none";
  tls?: TlsFiles;
  insecure: boolean;
}

export interface TokenConfig {
  name: string;
  scope: "read" | "write";
  /** Hex sha256 of the token. Exactly one of `sha256` and `file` is set. */
  sha256?: string;
  /** A file holding the token (trailing whitespace ignored). */
  file?: string;
}

export interface AgentConfig {
  stateDir: string;
  runtimeDir: string;
  wanInterface: string;
  logLevel: LogLevel;
  /** 0: off. */
  driftIntervalMs: number;
  /** A router.yaml applied at a start that finds no revision (see initial-state.ts). */
  initialState?: string;
  listen: {
    /** Undefined: no unix socket. */
    unix?: string;
    tcp: TcpListen[];
  };
  tokens: TokenConfig[];
  counters: { timeoutMs: number };
  metrics?: { address: string; port: number };
}

export const DEFAULTS = {
  stateDir: "/var/lib/router-agent",
  runtimeDir: "/run/router-agent",
  wanInterface: "eth0",
  logLevel: "info" as LogLevel,
  driftIntervalMs: 60_000,
  countersTimeoutMs: 5_000,
};

const ROOT_KEYS = [
  "state_dir",
  "runtime_dir",
  "wan_interface",
  "log_level",
  "drift_interval",
  "initial_state",
  "listen",
  "tokens",
  "counters",
  "metrics",
] as const;

/** Parses agent.yaml text. Every error carries its field path. */
export function parseAgentConfig(text: string): Validated<AgentConfig> {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    return {
      ok: false,
      errors: [{ path: "(yaml)", message: (e as Error).message.split("\n")[0] ?? "" }],
    };
  }
  return readAgentConfig(doc ?? {});
}

/** Validates an already parsed agent.yaml. */
export function readAgentConfig(input: unknown): Validated<AgentConfig> {
  const errors = new ErrorList();
  const raw = readMapping(errors, "", input, ROOT_KEYS);
  if (!raw) return { ok: false, errors: errors.list() };

  const runtimeDir = readPath(errors, "runtime_dir", raw.runtime_dir, DEFAULTS.runtimeDir);
  const config: AgentConfig = {
    stateDir: readPath(errors, "state_dir", raw.state_dir, DEFAULTS.stateDir),
    runtimeDir,
    wanInterface: readIfname(errors, "wan_interface", raw.wan_interface),
    logLevel: readEnum(errors, "log_level", raw.log_level, LOG_LEVELS, DEFAULTS.logLevel) ?? "info",
    driftIntervalMs: readDuration(
      errors,
      "drift_interval",
      raw.drift_interval,
      DEFAULTS.driftIntervalMs,
    ),
    listen: readListen(errors, raw.listen, runtimeDir),
    tokens: readTokens(errors, raw.tokens),
    counters: readCounters(errors, raw.counters),
  };
  const metrics = readMetrics(errors, raw.metrics);
  if (metrics) config.metrics = metrics;
  if (!isAbsent(raw.initial_state)) {
    config.initialState = readPath(errors, "initial_state", raw.initial_state, "");
  }

  for (const [i, l] of config.listen.tcp.entries()) {
    if (l.auth === "token" && config.tokens.length === 0) {
      errors.add(`listen.tcp[${i}].auth`, "token auth needs at least one entry in tokens");
    }
  }
  if (errors.count > 0) return { ok: false, errors: errors.list() };
  return { ok: true, value: config };
}

/** `path: message` lines, for start-up failures. */
export function formatConfigErrors(errors: FieldError[]): string {
  return errors.map((e) => `${e.path}: ${e.message}`).join("\n");
}

function readPath(errors: ErrorList, path: string, value: unknown, fallback: string): string {
  if (isAbsent(value)) return fallback;
  const text = readString(errors, path, value);
  if (text === undefined) return fallback;
  if (!text.startsWith("/")) errors.add(path, "must be an absolute path");
  else if (/[\s\n\0]/.test(text)) errors.add(path, "must not contain whitespace");
  return text.replace(/\/+$/, "") || "/";
}

function readIfname(errors: ErrorList, path: string, value: unknown): string {
  if (isAbsent(value)) return DEFAULTS.wanInterface;
  const text = readString(errors, path, value);
  if (text === undefined) return DEFAULTS.wanInterface;
  if (!/^[^\s/]{1,15}$/.test(text) || text === "." || text === "..") {
    errors.add(path, "not a Linux interface name (1-15 bytes, no / or whitespace)");
  }
  return text;
}

const DURATION = /^(\d+)(ms|s|m|h)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** "500ms", "30s", "5m", "1h", or 0. */
export function readDuration(
  errors: ErrorList,
  path: string,
  value: unknown,
  fallback: number,
): number {
  if (isAbsent(value)) return fallback;
  if (value === 0 || value === "0") return 0;
  const m = typeof value === "string" ? DURATION.exec(value) : null;
  if (m === null) {
    errors.add(path, 'expected a duration such as "500ms", "30s", "5m", "1h", or 0');
    return fallback;
  }
  return Number(m[1]) * (UNIT_MS[m[2] as string] as number);
}

function readListen(errors: ErrorList, value: unknown, runtimeDir: string): AgentConfig["listen"] {
  const fallback = { unix: `${runtimeDir}/agent.sock`, tcp: [] };
  if (isAbsent(value)) return fallback;
  const raw = readMapping(errors, "listen", value, ["unix", "tcp"]);
  if (!raw) return fallback;
  const listen: AgentConfig["listen"] = { tcp: [] };
  if (isAbsent(raw.unix)) listen.unix = fallback.unix;
  else if (raw.unix !== "") listen.unix = readPath(errors, "listen.unix", raw.unix, fallback.unix);
  const items = readList(errors, "listen.tcp", raw.tcp, 16) ?? [];
  items.forEach((item, i) => {
    const l = readTcp(errors, itemPath("listen.tcp", i), item);
    if (l) listen.tcp.push(l);
  });
  return listen;
}

function readTcp(errors: ErrorList, path: string, value: unknown): TcpListen | undefined {
  const raw = readMapping(errors, path, value, ["address", "port", "auth", "tls", "insecure"]);
  if (!raw) return undefined;
  const address = readString(errors, keyPath(path, "address"), raw.address);
  const port = readInt(errors, keyPath(path, "port"), raw.port, 0, 65_535);
  const auth = readEnum(errors, keyPath(path, "auth"), raw.auth, ["mtls", "token", "none"], "mtls");
  const insecure = readBool(errors, keyPath(path, "insecure"), raw.insecure, false);
  let tls: TlsFiles | undefined;
  if (!isAbsent(raw.tls)) {
    const t = readMapping(errors, keyPath(path, "tls"), raw.tls, ["ca", "cert", "key"]);
    if (t) {
      const tp = keyPath(path, "tls");
      const cert = readPath(
        errors,
        keyPath(tp, "cert"),
        t.cert ?? missing(errors, keyPath(tp, "cert")),
        "",
      );
      const key = readPath(
        errors,
        keyPath(tp, "key"),
        t.key ?? missing(errors, keyPath(tp, "key")),
        "",
      );
      tls = { cert, key };
      if (!isAbsent(t.ca)) tls.ca = readPath(errors, keyPath(tp, "ca"), t.ca, "");
      else if (auth === "mtls") errors.add(keyPath(tp, "ca"), "required for auth: mtls");
    }
  } else if (!insecure) {
    errors.add(keyPath(path, "tls"), "required (or set insecure: true to listen without TLS)");
  }
  if (address === undefined || port === undefined || auth === undefined || insecure === undefined) {
    return undefined;
  }
  const l: TcpListen = { address, port, auth, insecure };
  if (tls) l.tls = tls;
  return l;
}

function missing(errors: ErrorList, path: string): undefined {
  errors.add(path, "required");
  return undefined;
}

function readTokens(errors: ErrorList, value: unknown): TokenConfig[] {
  const out: TokenConfig[] = [];
  const names = new Set<string>();
  (readList(errors, "tokens", value, 256) ?? []).forEach((item, i) => {
    const path = itemPath("tokens", i);
    const raw = readMapping(errors, path, item, ["name", "scope", "sha256", "file"]);
    if (!raw) return;
    const name = readString(errors, keyPath(path, "name"), raw.name);
    const scope = readEnum(errors, keyPath(path, "scope"), raw.scope, ["read", "write"]);
    if (name !== undefined && names.has(name))
      errors.add(keyPath(path, "name"), `duplicate token name ${name}`);
    if (name !== undefined) names.add(name);
    const token: Partial<TokenConfig> = { name, scope };
    if (isAbsent(raw.sha256) === isAbsent(raw.file)) {
      errors.add(path, "needs exactly one of sha256 and file");
    } else if (!isAbsent(raw.sha256)) {
      const hex = readString(errors, keyPath(path, "sha256"), raw.sha256);
      if (hex !== undefined && !/^[0-9a-f]{64}$/.test(hex)) {
        errors.add(keyPath(path, "sha256"), "expected 64 lower-case hex digits");
      }
      token.sha256 = hex;
    } else {
      token.file = readPath(errors, keyPath(path, "file"), raw.file, "");
    }
    if (name !== undefined && scope !== undefined) out.push(token as TokenConfig);
  });
  return out;
}

function readCounters(errors: ErrorList, value: unknown): AgentConfig["counters"] {
  const fallback = { timeoutMs: DEFAULTS.countersTimeoutMs };
  if (isAbsent(value)) return fallback;
  const raw = readMapping(errors, "counters", value, ["timeout"]);
  if (!raw) return fallback;
  return {
    timeoutMs: readDuration(errors, "counters.timeout", raw.timeout, DEFAULTS.countersTimeoutMs),
  };
}

function readMetrics(errors: ErrorList, value: unknown): AgentConfig["metrics"] {
  if (isAbsent(value)) return undefined;
  const raw = readMapping(errors, "metrics", value, ["address", "port"]);
  if (!raw) return undefined;
  const address = isAbsent(raw.address)
    ? "127.0.0.1"
    : readString(errors, "metrics.address", raw.address);
  const port = readInt(errors, "metrics.port", raw.port, 0, 65_535);
  return address !== undefined && port !== undefined ? { address, port } : undefined;
}
