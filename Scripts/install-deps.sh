#!/usr/bin/env bash
# Installs what Atelier needs from Debian's packages, only when something is missing.
# Swift itself (6.x) must already be on PATH.
set -euo pipefail

packages=(pkg-config libopenblas-dev liblapacke-dev libpng-dev libjpeg62-turbo-dev libncurses-dev zlib1g-dev tmux)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "atelier set-up: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "atelier set-up: Swift 6 is not on PATH (https://swift.org/install)" >&2; exit 1; }
