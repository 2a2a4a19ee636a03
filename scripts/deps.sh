#!/bin/sh
# Install what feedd needs to build and test, from Debian 12's packages.
# Only missing packages are installed; apt-get update runs only then.
set -eu

PKGS="gcc make cmake pkg-config ca-certificates
libcurl4-openssl-dev libevent-dev libxml2-dev libsqlite3-dev libinih-dev
libjansson-dev libssl-dev libxxhash-dev libjemalloc-dev libsystemd-dev libcmocka-dev zlib1g-dev
libxml2-utils jing curl python3 python3-feedparser python3-jsonschema
nginx-light openssl dpkg-dev groff-base
prometheus systemd newsboat sfeed chromium"

missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
	    missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "feedd: installing:$missing" >&2
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
