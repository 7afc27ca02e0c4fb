#!/bin/sh
# Installs the Debian packages that building and testing banger need, when missing.
# Runs as root (make test does); a no-op when everything is present.
set -eu
packages="make gcc libc6-dev linux-libc-dev file iproute2 nftables iptables e2fsprogs
  qemu-system-x86 qemu-utils debootstrap lz4 cpio busybox-static openssh-client
  bubblewrap openssh-sftp-server sshfs
  dmsetup xfsprogs util-linux sqlite3 curl ca-certificates socat passwd bind9-dnsutils zsh fish"
missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "install-deps: missing packages:$missing; run as root: apt-get install$missing" >&2
    exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
