#!/usr/bin/env bash
# Peak memory (max resident set, /usr/bin/time -v) and wall time of the renders the memory
# targets name (issues 9 and 15), one line each:
#   magenta / cin26 / ust16x at 8K (7680x4320) under --memory 2G (target: max RSS <= 2.5 GB;
#   UST-16x is the reference), and a 640x480 photo -> --upscale-photo 4 -> 2560x1920 poster.
# Usage: Scripts/bench-memory.sh [ATELIER_BINARY] [WORK_DIR]
# Needs ImageMagick (`convert`, installed by Scripts/install-deps.sh --test), GNU time
# (/usr/bin/time, Debian package `time`) and the models installed (`atelier models install`).
# The machine is shared: quote wall times as noisy; RSS is what the targets are about.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/debug/atelier}
WORK=${2:-$(mktemp -d /tmp/atelier-bench-memory.XXXXXX)}
SHARED=${ATELIER_SHARED:-../shared}
mkdir -p "$WORK"
[ -x /usr/bin/time ] || { echo "bench-memory: /usr/bin/time missing (apt-get install time)" >&2; exit 1; }
[ -f "$WORK/photo-8k.jpg" ] || convert "$SHARED/images/content/blossom.jpg" -resize '7680x4320!' -quality 92 "$WORK/photo-8k.jpg"
[ -f "$WORK/photo-640.jpg" ] || convert "$SHARED/images/content/face.jpg" -resize '640x480!' -quality 92 "$WORK/photo-640.jpg"
STYLE="$SHARED/images/style/picasso.jpg"

# run NAME ARGS...: one render under /usr/bin/time -v; prints NAME, max RSS (MiB), wall time.
run() {
  local name=$1; shift
  local log="$WORK/$name.time"
  if /usr/bin/time -v "$BIN" render "$@" -o "$WORK/$name.png" --force >"$WORK/$name.out" 2>"$log"; then
    local rss wall
    rss=$(awk -F': ' '/Maximum resident set size/ {print int($2 / 1024)}' "$log")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
    printf '%-22s max RSS %6s MiB   wall %s\n' "$name" "$rss" "$wall"
  else
    printf '%-22s FAILED: %s\n' "$name" "$(grep -m1 atelier "$log" || tail -1 "$log")"
  fi
}

run magenta-8k-2G "$WORK/photo-8k.jpg" --model magenta -s "$STYLE" --memory 2G
run cin26-8k-2G "$WORK/photo-8k.jpg" --model cin26 --builtin 19 --memory 2G
run ust16x-8k-2G "$WORK/photo-8k.jpg" -s "$STYLE" --memory 2G
run poster-640-x4 "$WORK/photo-640.jpg" --upscale-photo 4 -s "$STYLE"
run poster-640-x4-magenta "$WORK/photo-640.jpg" --upscale-photo 4 --model magenta -s "$STYLE"
echo "outputs and logs in $WORK"
