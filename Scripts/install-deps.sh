#!/usr/bin/env bash
# Installs what Atelier needs from Debian's packages, only when something is missing.
# The names hold on Debian 12+ and Ubuntu 22.04+. Swift itself (6.x) must already be on PATH.
#   Scripts/install-deps.sh          what building and running need
#   Scripts/install-deps.sh --test   ... and what the test suites need (`make test`)
#   Scripts/install-deps.sh --bench  ... and what the terminal latency benchmarks need
set -euo pipefail

# Building and running (one package a line, to keep merges easy).
packages=(
  pkg-config
  libopenblas-dev
  libpng-dev
  libjpeg-dev
  libncurses-dev
  libssl-dev
  liblcms2-dev
  libwebp-dev
  libtiff-dev
  libheif-dev
  zlib1g-dev
  tmux
  libchafa-dev
  libglib2.0-dev
  console-setup-linux
  ffmpeg            # ffmpeg and ffprobe (Debian has no separate ffprobe package)
)

# The test suites: reference scripts, fixture encoders, independent decoders.
test_packages=(
  python3-numpy
  imagemagick
  colord-data
  webp
  libheif-examples
  libtiff-tools
  parallel
  openssh-server
  openssh-client
)

# The latency benchmarks in a real graphics terminal (Tests/WorkstationTests/Benchmark/latency_xterm.py).
bench_packages=(
  xvfb
  xterm
  python3-xlib
)

[ "${1:-}" = "--test" ] && packages+=("${test_packages[@]}")
[ "${1:-}" = "--bench" ] && packages+=("${bench_packages[@]}")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "atelier set-up: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The commands run by the product and the tests, checked after installing: a package that no
# longer ships one fails here, not as a failing test later.
tools=(ffmpeg ffprobe tmux)
[ "${1:-}" = "--test" ] && tools+=(convert parallel ssh sshd cwebp heif-enc heif-convert tiffcp)
[ "${1:-}" = "--bench" ] && tools+=(Xvfb xterm)
for tool in "${tools[@]}"; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "atelier set-up: $tool is missing after installing the packages above" >&2; exit 1; }
done
command -v swift >/dev/null || { echo "atelier set-up: Swift 6 is not on PATH (https://swift.org/install)" >&2; exit 1; }
