#!/usr/bin/env bash
# Measures Atelier against the ONNX Runtime peer (../shared/peers/ort_peer.py) on the same
# machine, in one sitting: for every cell of the grid the two run alternately, each reporting
# the median of --runs runs after a warm-up, and the table gives ours / peer.
#
#   Benchmarks/compare-peer.sh [--sizes "256 512 1024"] [--rounds 2] [--runs 5] [--threads 2] [--no-rss]
#
# The peer's Python packages go into a private virtual environment (.venv-peer, from PyPI).
# Finally it reports the peak RSS of a full WCT render of a 2048x2048 photo.
set -euo pipefail
cd "$(dirname "$0")/.."

sizes="256 512 1024"; rounds=2; runs=5; threads=2; rss=1
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --no-rss) rss=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

shared="${ATELIER_SHARED:-../shared}"
peer="$shared/peers/ort_peer.py"
[ -f "$peer" ] || { echo "no peer at $peer (set ATELIER_SHARED)" >&2; exit 1; }

venv=.venv-peer
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --upgrade pip
  "$venv/bin/pip" install -q onnxruntime numpy scipy
fi

Scripts/install-deps.sh
swift build -c release --product atelier >/dev/null
bin=.build/release/atelier
"$bin" models verify >/dev/null 2>&1 || "$bin" models install

results=$(mktemp)
trap 'rm -f "$results"' EXIT
for size in $sizes; do
  for levels in fast full; do
    for transform in adain wct; do
      for round in $(seq "$rounds"); do
        "$venv/bin/python" "$peer" --size "$size" --levels "$levels" --transform "$transform" \
          --threads "$threads" --runs "$runs" | sed 's/^/peer /' >>"$results"
        "$bin" bench --sizes "$size" --quality "$levels" --transform "$transform" \
          --threads "$threads" --runs "$runs" --json | sed 's/^/ours /' >>"$results"
      done
    done
  done
done

"$venv/bin/python" - "$results" <<'PY'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    who, payload = line.split(" ", 1)
    r = json.loads(payload)
    key = (r["size"], r["levels"], r["transform"])
    rows.setdefault(key, {"peer": [], "ours": []})[who].append(r)
print(f"{'size':>5} {'levels':6} {'transform':9} | {'peer cold':>9} {'ours cold':>9} {'ratio':>6} | {'peer cached':>11} {'ours cached':>11} {'ratio':>6}")
for key in sorted(rows):
    p, o = rows[key]["peer"], rows[key]["ours"]
    pc = statistics.median(r["total_ms"] for r in p); oc = statistics.median(r["total_ms"] for r in o)
    pk = statistics.median(r["cached_ms"] for r in p); ok = statistics.median(r["cached_ms"] for r in o)
    print(f"{key[0]:>5} {key[1]:6} {key[2]:9} | {pc:9.1f} {oc:9.1f} {oc/pc:6.2f} | {pk:11.1f} {ok:11.1f} {ok/pk:6.2f}")
PY

if [ "$rss" = 1 ]; then
  command -v /usr/bin/time >/dev/null || { sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo; $sudo apt-get install -y -qq time >/dev/null; }
  out=$(mktemp -d)
  /usr/bin/time -v "$bin" render "$shared/images/content/bridge.jpg" -s "$shared/images/style/picasso.jpg" \
    --size 2048 --quality full --transform wct -o "$out/rss.png" 2>"$out/time.txt" >/dev/null
  echo "full WCT render of a 2048x2048 photo: peak RSS $(awk -F: '/Maximum resident/ {printf "%.0f MB", $2/1024}' "$out/time.txt"), wall $(awk -F': ' '/Elapsed/ {print $2}' "$out/time.txt")"
  rm -rf "$out"
fi
