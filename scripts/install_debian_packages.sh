#!/usr/bin/env bash
# Installs the Debian packages given that are missing: Chromium for the browser
# test, PostgreSQL, Redis and nginx for the cluster. Test tools never download
# a browser or a server of their own. Needs root or sudo.
#   scripts/install_debian_packages.sh chromium postgresql redis-server nginx
set -euo pipefail
missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo > /dev/null; then SUDO="sudo"; else
  echo "error: these Debian packages are needed: ${missing[*]}; run 'apt-get install ${missing[*]}' as root" >&2
  exit 1
fi
echo "==> Installing Debian packages: ${missing[*]} (a minute or two)"
$SUDO apt-get update -q
# Services are started by the project itself, on its own ports: not at install.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d > /dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${missing[@]}"
