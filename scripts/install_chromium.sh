#!/usr/bin/env bash
# Installs Debian's Chromium for the browser test (Playwright drives it; no
# browser is ever downloaded by a test tool). Needs root or sudo.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo > /dev/null; then SUDO="sudo"; else
  echo "error: the browser test needs Debian's chromium: run 'apt-get install chromium' as root" >&2
  exit 1
fi
echo "==> Installing Debian's chromium for the browser test (a minute or two)"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium
/usr/bin/chromium --version
