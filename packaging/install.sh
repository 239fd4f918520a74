#!/usr/bin/env bash
# Installs, upgrades or removes router-agent. Ships at the top of every release
# tarball and runs from the unpacked release:
#
#   ./install.sh [--no-start] [--restart]   install this release, or upgrade to it
#   ./install.sh --uninstall [--purge]      remove the agent (--purge: config and state too)
#
# Layout: /opt/router-agent/releases/<release>/ holds each release and
# /opt/router-agent/current points at the active one (previous: the one before), so an upgrade is one
# symlink swap and the previous release stays for a rollback (run its
# install.sh). Idempotent: installing the same release again changes nothing
# and does not restart a running agent (unless --restart).
#
# For tests: RA_ROOT installs below a scratch root, RA_SYSTEMCTL replaces
# systemctl, RA_NFT replaces nft.
set -euo pipefail

log() { echo "[router-agent-install] $*"; }
fail() {
  log "ERROR: $*"
  exit 1
}

ROOT=${RA_ROOT:-}
SYSTEMCTL=${RA_SYSTEMCTL:-systemctl}
NFT=${RA_NFT:-nft}
PREFIX=/opt/router-agent
UNIT=router-agent.service
UNIT_PATH=/etc/systemd/system/${UNIT}
CONFIG_DIR=/etc/router-agent
STATE_DIR=/var/lib/router-agent
LAN_NETWORKD_FILE=/etc/systemd/network/05-router-agent-lan.network
# The tables the agent owns (docs/design.md, "Own one table").
AGENT_TABLES=("inet router_agent" "ip router_agent_nat")

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
name=$(basename "${here}")

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit "${1:-0}"
}

mode=install
no_start=0
restart=0
purge=0
while (($#)); do
  case "$1" in
    --no-start) no_start=1 ;;
    --restart) restart=1 ;;
    --uninstall) mode=uninstall ;;
    --purge) purge=1 ;;
    -h | --help) usage 0 ;;
    *)
      log "unknown option: $1"
      usage 2
      ;;
  esac
  shift
done

if [[ -z "${ROOT}" && $(id -u) != 0 ]]; then fail "run as root"; fi

uninstall() {
  log "Stopping and removing router-agent"
  "${SYSTEMCTL}" disable --now "${UNIT}" >/dev/null 2>&1 || true
  rm -f "${ROOT}${UNIT_PATH}" "${ROOT}${LAN_NETWORKD_FILE}"
  "${SYSTEMCTL}" daemon-reload || true
  # Stopping the agent leaves its rules in place on purpose (forwarding keeps
  # working across restarts); removing it takes them away.
  if [[ -z "${ROOT}" ]] && command -v "${NFT}" >/dev/null 2>&1; then
    local table
    for table in "${AGENT_TABLES[@]}"; do
      # shellcheck disable=SC2086 # "family name" splits into two words on purpose
      if "${NFT}" list table ${table} >/dev/null 2>&1; then
        "${NFT}" delete table ${table}
        log "Deleted nft table ${table}"
      fi
    done
  fi
  if [[ "$(readlink "${ROOT}/usr/local/bin/routerctl" 2>/dev/null || true)" == "${PREFIX}/"* ]]; then
    rm -f "${ROOT}/usr/local/bin/routerctl"
  fi
  "${SYSTEMCTL}" unmask dnsmasq.service >/dev/null 2>&1 || true
  rm -rf "${ROOT}${PREFIX}"
  if ((purge)); then
    rm -rf "${ROOT}${CONFIG_DIR}" "${ROOT}${STATE_DIR}"
    log "Removed ${CONFIG_DIR} and ${STATE_DIR}"
  else
    log "Kept ${CONFIG_DIR} and ${STATE_DIR} (use --purge to remove them)"
  fi
  log "Uninstalled"
}

if [[ ${mode} == uninstall ]]; then
  uninstall
  exit 0
fi

# --- Install or upgrade ------------------------------------------------------------
[[ -f "${here}/release.env" ]] || fail "${here} is not an unpacked release (no release.env)"
# shellcheck source=/dev/null
. "${here}/release.env"
: "${VERSION:?release.env has no VERSION}" "${ARCH:?release.env has no ARCH}"

machine=${RA_UNAME_M:-$(uname -m)}
case "${ARCH}:${machine}" in
  x64:x86_64 | x64:amd64 | arm64:aarch64 | arm64:arm64) ;;
  *) fail "this release is for ${ARCH}, but the machine is ${machine}" ;;
esac

missing=()
for cmd in nft dnsmasq ip systemd-notify; do
  command -v "${cmd}" >/dev/null 2>&1 || missing+=("${cmd}")
done
if ((${#missing[@]})); then
  fail "missing ${missing[*]}: apt-get install nftables dnsmasq-base iproute2 systemd"
fi

log "Installing router-agent ${VERSION} (${ARCH}, Node.js ${NODE_VERSION:-?})"
releases="${ROOT}${PREFIX}/releases"
dest="${releases}/${name}"
mkdir -p "${releases}"
chmod 0755 "${ROOT}${PREFIX}" "${releases}"
if [[ "$(cd "${dest}" 2>/dev/null && pwd -P || true)" != "${here}" ]]; then
  rm -rf "${dest}.tmp"
  cp -a "${here}" "${dest}.tmp"
  rm -rf "${dest}"
  mv "${dest}.tmp" "${dest}"
  log "Copied the release to ${PREFIX}/releases/${name}"
fi

previous=$(readlink "${ROOT}${PREFIX}/current" 2>/dev/null || true)
changed=0
if [[ "${previous}" != "releases/${name}" ]]; then
  if [[ -n "${previous}" ]]; then
    ln -sfn "${previous}" "${ROOT}${PREFIX}/.previous.tmp"
    mv -T "${ROOT}${PREFIX}/.previous.tmp" "${ROOT}${PREFIX}/previous"
  fi
  ln -sfn "releases/${name}" "${ROOT}${PREFIX}/.current.tmp"
  mv -T "${ROOT}${PREFIX}/.current.tmp" "${ROOT}${PREFIX}/current"
  changed=1
  log "Active release: ${name}${previous:+ (was ${previous#releases/})}"
fi

mkdir -p "$(dirname "${ROOT}${UNIT_PATH}")"
if ! cmp -s "${here}/systemd/${UNIT}" "${ROOT}${UNIT_PATH}"; then
  install -m 0644 "${here}/systemd/${UNIT}" "${ROOT}${UNIT_PATH}"
  changed=1
  log "Installed ${UNIT_PATH}"
fi

install -d -m 0700 "${ROOT}${CONFIG_DIR}"
if [[ ! -e "${ROOT}${CONFIG_DIR}/agent.yaml" ]]; then
  install -m 0600 "${here}/etc/agent.yaml" "${ROOT}${CONFIG_DIR}/agent.yaml"
  log "Wrote the default ${CONFIG_DIR}/agent.yaml"
fi

mkdir -p "${ROOT}/usr/local/bin"
ln -sfn "${PREFIX}/current/bin/routerctl" "${ROOT}/usr/local/bin/routerctl"

# The distro's dnsmasq would bind 53/67 too; a mask also covers a later install.
"${SYSTEMCTL}" mask --now dnsmasq.service >/dev/null 2>&1 || "${SYSTEMCTL}" mask dnsmasq.service >/dev/null 2>&1 || true
log "Masked dnsmasq.service (the agent runs its own dnsmasq)"

"${SYSTEMCTL}" daemon-reload
"${SYSTEMCTL}" enable "${UNIT}" >/dev/null 2>&1 || "${SYSTEMCTL}" enable "${UNIT}"
if ((no_start)); then
  log "Not starting (--no-start)"
elif "${SYSTEMCTL}" is-active --quiet "${UNIT}" && ((changed || restart)); then
  log "Restarting ${UNIT}"
  "${SYSTEMCTL}" restart "${UNIT}"
else
  log "Starting ${UNIT}"
  "${SYSTEMCTL}" start "${UNIT}"
fi

# Keep the active release and the one before it (for a rollback); drop the rest.
keep_previous=$(readlink "${ROOT}${PREFIX}/previous" 2>/dev/null || true)
keep_previous=${keep_previous#releases/}
for dir in "${releases}"/*; do
  [[ -d "${dir}" ]] || continue
  base=$(basename "${dir}")
  [[ "${base}" == "${name}" || "${base}" == "${keep_previous}" ]] && continue
  rm -rf "${dir}"
  log "Removed old release ${base}"
done

log "router-agent ${VERSION} installed"
