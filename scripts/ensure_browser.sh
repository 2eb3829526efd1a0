#!/usr/bin/env bash
# Make sure Debian's Chromium and the CJK and Urdu fonts are installed for browser tests.
# Playwright drives /usr/bin/chromium; it never downloads a browser of its own.
set -euo pipefail

packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || packages+=(fonts-noto-cjk)
dpkg -s fonts-noto-core >/dev/null 2>&1 || packages+=(fonts-noto-core)
[ ${#packages[@]} -eq 0 ] && exit 0

echo "Installing ${packages[*]} from Debian for the browser tests"
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "Cannot install ${packages[*]}: run as root or install them with apt-get." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
