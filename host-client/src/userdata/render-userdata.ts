/**
 * The Slicer userdata script that installs router-agent on a fresh guest.
 * Pure: takes file contents and settings, returns the script text or the list
 * of problems with the inputs. No I/O, no clock.
 *
 * Nothing from the inputs is ever interpreted by the shell:
 * - every file (certificates, key, agent.yaml, router.yaml, the release
 *   tarball itself) is embedded as base64 in a quoted heredoc whose terminator
 *   cannot occur in base64 (it contains `_`);
 * - every scalar (interface names, URL, hash, names) is checked against a
 *   strict pattern and then single-quoted with `shellQuote`.
 *
 * The script runs once as root at first boot, logs `[router-agent-install]`
 * lines to the console and is safe to run again: an installed release with the
 * same SHA-256 is not fetched again, unchanged files are not rewritten, and
 * the agent is restarted only when something it reads changed.
 */
import type { FieldError, Validated } from "../../../agent/src/model/types.js";
import {
  parseReleaseFileName,
  type ReleaseArch,
  releaseDirName,
  UNAME_MACHINE,
} from "./release-name.js";
import { shellQuote } from "./shell-quote.js";

/** Where the release tarball comes from. */
export type ReleaseSource =
  /** The tarball travels inside the script, base64-encoded. */
  | { kind: "embed"; fileName: string; sha256: string; bytes: Uint8Array }
  /** The guest fetches the tarball over HTTP(S), e.g. from `routerctl serve-release`. */
  | { kind: "url"; fileName: string; sha256: string; url: string };

export interface UserdataInput {
  release: ReleaseSource;
  /** The LAN NIC's name inside the guest, or "auto": the one Ethernet link that is not the WAN. */
  lanInterface: string;
  /** The uplink, e.g. "eth0". Never touched; used to tell the LAN apart. */
  wanInterface: string;
  /** PEM: the management CA that signs client certificates. */
  caPem: string;
  /** PEM: the agent's server certificate (chain) and its private key. */
  serverCertPem: string;
  serverKeyPem: string;
  /**
   * The agent's own config for /etc/router-agent/agent.yaml. Absent: the
   * release's default (install.sh writes it when the file is missing), which
   * reads the TLS files and the initial state from the paths below.
   */
  agentYaml?: string;
  /** Initial desired state, written to /etc/router-agent/router.yaml when given. */
  routerYaml?: string;
  /** Largest tarball `embed` accepts. Default `DEFAULT_MAX_EMBED_BYTES`. */
  maxEmbedBytes?: number;
  /** Shown in the script's header, e.g. "routerctl 0.1.0". */
  generatedBy?: string;
}

/** 96 MiB: the release is ~50 MB, so embedding it makes a ~70 MB script. */
export const DEFAULT_MAX_EMBED_BYTES = 96 * 1024 * 1024;

/** The guest paths the script writes; the agent and install.sh use the same. */
export const GUEST_PATHS = {
  configDir: "/etc/router-agent",
  agentYaml: "/etc/router-agent/agent.yaml",
  routerYaml: "/etc/router-agent/router.yaml",
  tlsDir: "/etc/router-agent/tls",
  ca: "/etc/router-agent/tls/ca.pem",
  serverCert: "/etc/router-agent/tls/server.pem",
  serverKey: "/etc/router-agent/tls/server.key",
  prefix: "/opt/router-agent",
  lanNetworkdFile: "/etc/systemd/network/05-router-agent-lan.network",
} as const;

/** The word every console line of the script starts with. */
export const LOG_TAG = "[router-agent-install]";

/** Ends every embedded base64 block; `_` is not in the base64 alphabet. */
const B64_END = "__ROUTER_AGENT_B64_END__";

const IFNAME_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,14}$/;
const SHA256_RE = /^[0-9a-f]{64}$/;
const URL_RE = /^https?:\/\/[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:\/[A-Za-z0-9._~%/+=-]*)?$/;
const PEM_RE = /^-----BEGIN [A-Z0-9 ]+-----\r?\n[\s\S]*-----END [A-Z0-9 ]+-----\s*$/;

/**
 * Renders the userdata script, or returns every problem with the input (a
 * field name such as `--lan-interface` and what is wrong). Never throws.
 */
export function renderUserdata(input: UserdataInput): Validated<string> {
  const errors = checkInput(input);
  if (errors.length > 0) return { ok: false, errors };
  const name = parseReleaseFileName(input.release.fileName);
  if (!name) return { ok: false, errors: [{ path: "release", message: "not a release name" }] };
  return { ok: true, value: script(input, name.version, name.arch) };
}

function checkInput(input: UserdataInput): FieldError[] {
  const errors: FieldError[] = [];
  const err = (path: string, message: string) => errors.push({ path, message });
  const { release } = input;
  if (!parseReleaseFileName(release.fileName)) {
    err(
      "release",
      `${JSON.stringify(release.fileName)} is not router-agent-<version>-linux-<x64|arm64>.tar.gz`,
    );
  }
  if (!SHA256_RE.test(release.sha256)) err("release.sha256", "must be 64 lower-case hex digits");
  if (release.kind === "url" && !URL_RE.test(release.url)) {
    err("--release-url", "must be http(s)://host[:port]/path with plain characters only");
  }
  if (release.kind === "embed") {
    const max = input.maxEmbedBytes ?? DEFAULT_MAX_EMBED_BYTES;
    if (release.bytes.length > max) {
      err(
        "--embed",
        `the tarball is ${release.bytes.length} bytes, more than the ${max} that may be embedded; use --release-url`,
      );
    }
  }
  if (input.lanInterface !== "auto" && !IFNAME_RE.test(input.lanInterface)) {
    err("--lan-interface", 'must be "auto" or an interface name (1-15 of [A-Za-z0-9_.-])');
  }
  if (!IFNAME_RE.test(input.wanInterface)) {
    err("--wan-interface", "must be an interface name (1-15 of [A-Za-z0-9_.-])");
  }
  if (input.lanInterface === input.wanInterface) {
    err("--lan-interface", "must differ from the WAN interface");
  }
  if (!PEM_RE.test(input.caPem)) err("--ca", "is not a PEM file");
  if (!PEM_RE.test(input.serverCertPem)) err("--server-cert", "is not a PEM file");
  if (!PEM_RE.test(input.serverKeyPem)) err("--server-key", "is not a PEM file");
  if (input.agentYaml !== undefined && input.agentYaml.trim() === "") {
    err("--agent-yaml", "is empty");
  }
  if (input.routerYaml !== undefined && input.routerYaml.trim() === "") {
    err("--router-yaml", "is empty");
  }
  return errors;
}

/** base64 of the bytes, wrapped at 76 columns like `base64` does. */
function base64Lines(data: Uint8Array | string): string {
  const b64 = Buffer.from(data).toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join("\n");
}

/** `write_file PATH MODE` fed by an embedded base64 heredoc. */
function embeddedFile(path: string, mode: string, contents: string): string {
  return `write_file ${shellQuote(path)} ${mode} <<'${B64_END}'\n${base64Lines(contents)}\n${B64_END}\n`;
}

function script(input: UserdataInput, version: string, arch: ReleaseArch): string {
  const { release } = input;
  const q = shellQuote;
  const p = GUEST_PATHS;
  const unameOk = UNAME_MACHINE[arch].join("|");
  const header = input.generatedBy ? ` by ${input.generatedBy}` : "";
  const fetchRelease =
    release.kind === "embed"
      ? `log "Unpacking the embedded release (${release.bytes.length} bytes)"
base64 -d >"\${tarball}" <<'${B64_END}'
${base64Lines(release.bytes)}
${B64_END}
`
      : `log "Fetching \${RA_RELEASE_URL}"
fetch_with_retries "\${RA_RELEASE_URL}" "\${tarball}" || fail "cannot fetch \${RA_RELEASE_URL}"
`;

  return `#!/usr/bin/env bash
# router-agent ${version} (${arch}) userdata for Slicer, generated${header}.
# Runs once as root at first boot; running it again is harmless.
# Carries the agent's private key: keep this file private (mode 0600).
set -euo pipefail
umask 077
export DEBIAN_FRONTEND=noninteractive
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

log() { echo "${LOG_TAG} $*"; }
fail() { log "ERROR: $*"; exit 1; }
trap 'log "ERROR: line \${LINENO}: \${BASH_COMMAND} failed"' ERR

RA_VERSION=${q(version)}
RA_ARCH=${q(arch)}
RA_TARBALL=${q(release.fileName)}
RA_RELEASE_DIR=${q(releaseDirName(version, arch))}
RA_SHA256=${q(release.sha256)}
RA_RELEASE_URL=${q(release.kind === "url" ? release.url : "")}
RA_LAN_INTERFACE=${q(input.lanInterface)}
RA_WAN_INTERFACE=${q(input.wanInterface)}
RA_PREFIX=${q(p.prefix)}
RA_CONFIG_CHANGED=0

log "router-agent \${RA_VERSION} (\${RA_ARCH}): first-boot install starting"

# --- 1. Architecture ------------------------------------------------------------
machine=$(uname -m)
case "\${machine}" in
  ${unameOk}) ;;
  *) fail "this release is for \${RA_ARCH}, but the machine is \${machine}" ;;
esac

# --- 2. LAN interface -------------------------------------------------------------
# A passed-through NIC can show up a little after boot: wait for it. A missing
# LAN is logged but does not stop the install: the agent then reports it on
# the first apply, and the host can still reach the agent over the WAN.
# "auto" means what it means to the agent: the one Ethernet link, physical
# or veth, that is neither the WAN nor loopback. Links are read over netlink
# (ip), not /sys, which a container may show for another namespace.
lan_candidate() {
  local line re='maxmtu [0-9]+ \\\\ +([A-Za-z0-9_]+) '
  line=$(ip -o -d link show dev "$1" 2>/dev/null) || return 1
  [[ "\${line}" == *" link/ether "* ]] || return 1
  # A virtual link names its kind right after maxmtu; a physical NIC has none.
  if [[ "\${line}" =~ \${re} ]]; then [[ "\${BASH_REMATCH[1]}" == veth ]]; fi
}
find_lan() {
  local _ dev
  if [[ "\${RA_LAN_INTERFACE}" != auto ]]; then
    if ip link show dev "\${RA_LAN_INTERFACE}" >/dev/null 2>&1; then echo "\${RA_LAN_INTERFACE}"; fi
    return 0
  fi
  while read -r _ dev _; do
    dev=\${dev%:}
    dev=\${dev%%@*}
    [[ "\${dev}" == lo || "\${dev}" == "\${RA_WAN_INTERFACE}" ]] && continue
    if lan_candidate "\${dev}"; then echo "\${dev}"; fi
  done < <(ip -o link show)
  return 0
}
lan=""
for _ in $(seq 1 30); do
  lan=$(find_lan)
  [[ -n "\${lan}" ]] && break
  sleep 2
done
if [[ -z "\${lan}" ]]; then
  log "WARNING: LAN interface \${RA_LAN_INTERFACE} not found; links are:"
  ip -br link || true
elif [[ "\${lan}" == *$'\\n'* ]]; then
  log "WARNING: more than one candidate LAN interface: $(echo \${lan}); name one with --lan-interface"
else
  log "LAN interface: \${lan}"
  # Keep systemd-networkd (netplan) away from the LAN: the agent owns its addresses.
  if [[ -d /etc/systemd ]]; then
    mkdir -p /etc/systemd/network
    printf '[Match]\\nName=%s\\n\\n[Link]\\nUnmanaged=yes\\n' "\${lan}" >${q(p.lanNetworkdFile)}.tmp
    chmod 0644 ${q(p.lanNetworkdFile)}.tmp
    mv -f ${q(p.lanNetworkdFile)}.tmp ${q(p.lanNetworkdFile)}
    if systemctl is-active --quiet systemd-networkd 2>/dev/null; then networkctl reload || true; fi
  fi
fi

# --- 3. Packages ------------------------------------------------------------------
# dnsmasq-base is the binary without the distro's service; nft from nftables.
need=()
command -v nft >/dev/null 2>&1 || need+=(nftables)
command -v dnsmasq >/dev/null 2>&1 || need+=(dnsmasq-base)
if ((\${#need[@]})); then
  log "Installing \${need[*]}"
  for attempt in 1 2 3; do
    if apt-get update -y && apt-get install -y --no-install-recommends "\${need[@]}"; then break; fi
    [[ \${attempt} == 3 ]] && fail "apt-get could not install \${need[*]}"
    sleep 5
  done
else
  log "nftables and dnsmasq already installed"
fi

# --- 4. Release -------------------------------------------------------------------
fetch() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --connect-timeout 10 -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -T 10 -O "$2" "$1"
  else
    fetch_bash "$1" "$2"
  fi
}
# Plain HTTP with bash alone, for images without curl or wget. The hash check
# afterwards is what makes the download trustworthy, not the transport.
fetch_bash() {
  local rest hostport host port path status line
  [[ "$1" == http://* ]] || { log "no curl or wget to fetch $1"; return 1; }
  rest=\${1#http://}
  hostport=\${rest%%/*}
  path=/
  [[ "\${rest}" == */* ]] && path=/\${rest#*/}
  host=\${hostport%:*}
  port=80
  [[ "\${hostport}" == *:* ]] && port=\${hostport##*:}
  exec 3<>"/dev/tcp/\${host}/\${port}" || return 1
  printf 'GET %s HTTP/1.0\\r\\nHost: %s\\r\\nConnection: close\\r\\n\\r\\n' "\${path}" "\${hostport}" >&3
  IFS= read -r status <&3 || return 1
  [[ "\${status}" == HTTP/1.[01]\\ 200* ]] || { log "GET $1: \${status%$'\\r'}"; return 1; }
  while IFS= read -r line <&3; do [[ "\${line}" == $'\\r' || -z "\${line}" ]] && break; done
  cat <&3 >"$2"
  exec 3<&-
}
# Up to ~5 minutes: the host may start serve-release only once Slicer has
# created the bridge it listens on.
fetch_with_retries() {
  local i
  for i in $(seq 1 150); do
    if (fetch "$1" "$2.part"); then mv -f "$2.part" "$2"; return 0; fi
    rm -f "$2.part"
    log "fetch attempt \${i} failed; retrying in 2 s"
    sleep 2
  done
  return 1
}
sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

release="\${RA_PREFIX}/releases/\${RA_RELEASE_DIR}"
if [[ -f "\${release}/.sha256" && "$(cat "\${release}/.sha256")" == "\${RA_SHA256}" ]]; then
  log "Release \${RA_RELEASE_DIR} already unpacked"
else
  mkdir -p "\${RA_PREFIX}/releases"
  work=$(mktemp -d "\${RA_PREFIX}/releases/.install.XXXXXX")
  tarball="\${work}/\${RA_TARBALL}"
${fetchRelease}  got=$(sha256_of "\${tarball}")
  [[ "\${got}" == "\${RA_SHA256}" ]] || fail "SHA-256 mismatch: expected \${RA_SHA256}, got \${got}"
  log "SHA-256 verified: \${RA_SHA256}"
  tar -xzf "\${tarball}" -C "\${work}" --no-same-owner
  [[ -x "\${work}/\${RA_RELEASE_DIR}/install.sh" ]] || fail "\${RA_TARBALL} has no \${RA_RELEASE_DIR}/install.sh"
  echo "\${RA_SHA256}" >"\${work}/\${RA_RELEASE_DIR}/.sha256"
  rm -rf "\${release}"
  mv "\${work}/\${RA_RELEASE_DIR}" "\${release}"
  rm -rf "\${work}"
  log "Unpacked to \${release}"
fi

# --- 5. Configuration ---------------------------------------------------------------
# write_file PATH MODE: base64 on stdin; replaces PATH only when it differs.
write_file() {
  local tmp
  tmp=$(mktemp "$1.XXXXXX")
  base64 -d >"\${tmp}"
  chmod "$2" "\${tmp}"
  if [[ -f "$1" ]] && cmp -s "\${tmp}" "$1"; then
    rm -f "\${tmp}"
    chmod "$2" "$1"
    return 0
  fi
  mv -f "\${tmp}" "$1"
  RA_CONFIG_CHANGED=1
  log "Wrote $1"
}
install -d -m 0700 ${q(p.configDir)} ${q(p.tlsDir)}
${embeddedFile(p.ca, "0600", input.caPem)}${embeddedFile(p.serverCert, "0600", input.serverCertPem)}${embeddedFile(p.serverKey, "0600", input.serverKeyPem)}${input.agentYaml === undefined ? "" : embeddedFile(p.agentYaml, "0600", input.agentYaml)}${input.routerYaml === undefined ? "" : embeddedFile(p.routerYaml, "0600", input.routerYaml)}
# --- 6. Install and start ------------------------------------------------------------
restart=()
[[ \${RA_CONFIG_CHANGED} == 1 ]] && restart=(--restart)
if ! "\${release}/install.sh" "\${restart[@]}"; then
  log "ERROR: the agent did not start"
  systemctl --no-pager --full status router-agent || true
  journalctl -u router-agent -b --no-pager -n 50 || true
  exit 1
fi

# --- 7. Report -----------------------------------------------------------------------
log "Addresses:"
ip -br addr || true
log "Agent: $(systemctl is-active router-agent || true)"
systemctl --no-pager --full status router-agent || true
/usr/local/bin/routerctl status --target unix:///run/router-agent/agent.sock || true
log "First log lines:"
journalctl -u router-agent -b --no-pager -n 30 -o cat || true
log "Done."
`;
}
