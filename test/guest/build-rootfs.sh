#!/usr/bin/env bash
# Builds (once) a Debian 12 rootfs for the e2e guest test and caches it as a
# tarball OUTSIDE the repo. Prints the tarball path on stdout.
#
# The package list is part of the cache key, so changing it rebuilds. The mirror
# is the one apt on this machine uses (first URIs:/deb line of sources.list*).
# Fails (exit != 0) when debootstrap fails; a partial build is never cached.
set -euo pipefail

CACHE_DIR="${ROUTER_AGENT_E2E_CACHE:-/var/cache/router-agent-e2e}"
SUITE=bookworm
# systemd + dbus: a real PID 1 in the guest. iproute2, procps: tooling the agent
# and the assertions use. dnsmasq (full package, with its own dnsmasq.service)
# and nftables are preinstalled because the guest sits in an isolated network
# namespace with no route to a mirror: the userdata's "apt only when missing"
# branch is skipped, but its "mask the distro dnsmasq.service" branch is real.
PACKAGES="systemd,systemd-sysv,dbus,iproute2,procps,ca-certificates,dnsmasq,nftables"

mirror() {
	local m
	m=$(grep -hoE '^(URIs:|deb) +https?://[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null |
		grep -E 'debian/?$' | head -n1 | awk '{print $NF}')
	echo "${m:-http://deb.debian.org/debian}"
}

key=$(echo "${SUITE} ${PACKAGES}" | sha256sum | cut -c1-12)
out="${CACHE_DIR}/rootfs-${SUITE}-${key}.tar"
if [[ -s "${out}" ]]; then
	echo "${out}"
	exit 0
fi

mkdir -p "${CACHE_DIR}"
work=$(mktemp -d "${CACHE_DIR}/build.XXXXXX")
trap 'rm -rf "${work}"' EXIT
echo "[build-rootfs] debootstrap ${SUITE} from $(mirror) into ${work}" >&2
debootstrap --variant=minbase --include="${PACKAGES}" "${SUITE}" "${work}/root" "$(mirror)" >&2
# A machine-id is generated at first boot; an empty file makes systemd treat the
# first boot as such (ConditionFirstBoot) without sharing an id between runs.
: >"${work}/root/etc/machine-id"
echo "router" >"${work}/root/etc/hostname"
tar -C "${work}/root" --numeric-owner -cf "${out}.partial" .
mv "${out}.partial" "${out}"
echo "${out}"
