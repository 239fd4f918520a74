#!/usr/bin/env bash
# Installs the Debian packages that building, testing, the lab and the guest
# test (systemd-nspawn, debootstrap) need.
# Idempotent: does nothing when everything is present.
set -euo pipefail
need=()
for pair in nft:nftables dnsmasq:dnsmasq-base ip:iproute2 busybox:busybox udhcpc:udhcpc \
            openssl:openssl curl:curl conntrack:conntrack unshare:util-linux \
            systemd-nspawn:systemd-container debootstrap:debootstrap; do
  cmd=${pair%%:*} pkg=${pair#*:}
  command -v "$cmd" >/dev/null 2>&1 || need+=("$pkg")
done
if ((${#need[@]})); then
  if [[ $(id -u) != 0 ]]; then echo "install-system-deps: need root to install: ${need[*]}" >&2; exit 1; fi
  echo "install-system-deps: installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
