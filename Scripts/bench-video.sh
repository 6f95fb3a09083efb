#!/usr/bin/env bash
# Video throughput (issue 14): a 640x360 clip made from the shared photos (a still background,
# a moving cut-out, per-frame noise; built here by ffmpeg, never committed), rendered end to end
# (decode + stylize + stabilize + encode) with fast UST-16x and with CIN-26, RUNS times each,
# interleaved. Prints each run's frames/s (frames / the render's own seconds, which start at
# the first decode and end when the encoder has finished the file, model loading excluded)
# and the whole process's wall time, then the medians and the load average.
# Usage: Scripts/bench-video.sh [ATELIER_BINARY] [FRAMES] [RUNS] [STABILITY]
# Needs ffmpeg (Scripts/install-deps.sh) and the models installed (`atelier models install`).
# The machine may be shared: quote the load next to the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/release/atelier}
FRAMES=${2:-120}
RUNS=${3:-3}
STABILITY=${4:-0.7}
SHARED=${ATELIER_SHARED:-../shared}
WORK=$(mktemp -d /tmp/atelier-bench-video.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
STYLE="$SHARED/images/style/picasso.jpg"
seconds=$(awk "BEGIN {print $FRAMES / 25}")
ffmpeg -nostdin -v error -loop 1 -i "$SHARED/images/content/bridge.jpg" -loop 1 -i "$SHARED/images/content/face.jpg" \
  -f lavfi -i "sine=frequency=440:duration=$seconds" \
  -filter_complex "[0:v]scale=640:360,setsar=1[bg];[1:v]scale=120:120[fg];[bg][fg]overlay=x='20+4*n':y=120,noise=alls=8:allf=t[v]" \
  -map '[v]' -map 2:a -frames:v "$FRAMES" -r 25 -c:v libx264 -crf 12 -pix_fmt yuv420p -c:a aac "$WORK/clip.mp4"

declare -A rates walls
for run in $(seq "$RUNS"); do
  for family in ust16x cin26; do
    if [ "$family" = ust16x ]; then style=(-s "$STYLE"); else style=(--model cin26 --builtin 19); fi
    start=$(date +%s.%N)
    line=$("$BIN" render "$WORK/clip.mp4" "${style[@]}" --stability "$STABILITY" -o "$WORK/out-$family.mp4" --force --json)
    end=$(date +%s.%N)
    rate=$(python3 -c "import json,sys; r=json.loads(sys.argv[1]); print('%.2f' % (r['frames'] / r['seconds']))" "$line")
    wall=$(awk "BEGIN {printf \"%.2f\", $end - $start}")
    echo "run $run $family: $rate frames/s (render), $wall s wall for $FRAMES frames, load $(cut -d' ' -f1-3 /proc/loadavg)"
    rates[$family]+="$rate "
    walls[$family]+="$wall "
  done
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
for family in ust16x cin26; do
  echo "median $family 640x360: $(echo "${rates[$family]}" | median) frames/s end to end, $(echo "${walls[$family]}" | median) s process wall ($FRAMES frames, stability $STABILITY)"
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
