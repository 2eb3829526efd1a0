#!/usr/bin/env bash
# Install the Debian packages named as arguments that are not installed yet.
# `make run` asks for the Japanese TrueType font certificate PDFs embed; `make test` also
# for Debian's Chromium and the CJK and Urdu fonts the browser tests need (Playwright
# drives /usr/bin/chromium and never downloads a browser of its own).
set -euo pipefail

packages=()
for package in "$@"; do
  dpkg -s "$package" >/dev/null 2>&1 || packages+=("$package")
done
[ ${#packages[@]} -eq 0 ] && exit 0

echo "Installing ${packages[*]} from Debian"
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
