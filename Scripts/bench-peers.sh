#!/usr/bin/env bash
# Atelier against the stock runtimes on the imported networks, in one sitting: ONNX Runtime on
# the Magenta transformer/predictor and CIN-26, ncnn on Real-ESRGAN x4plus and animevideov3
# (../shared/peers/ort_models_peer.py). For every cell the peer and ours run alternately
# (peer, ours, peer, ours ...), each reporting the median of --runs timed runs after a warm-up;
# the table gives the median over rounds of each side, ours / peer, and the 1-minute load
# average seen during the cell.
#
#   Scripts/bench-peers.sh [--cases "magenta cin26 x4plus fast"] [--sizes "512 1024"]
#                          [--rounds 3] [--runs 5] [--sr-runs 3] [--threads 2]
#
# Ours is `atelier bench --model magenta|cin26` (magenta: transform = cached_ms, the render with
# the style vector cached; predictor = predict_ms, the network alone on a prepared 256x256 input
# as the peer times it (total_ms - cached_ms for binaries without it); prepare = making that
# input from the style image, ours only) and `atelier bench --upscaler`
# (256x256 input, reflect-padded by 10 px, as the peer). ATELIER_BIN picks the binary (default:
# a release build made here). The peer's Python packages go into .venv-peer (PyPI).
set -euo pipefail
cd "$(dirname "$0")/.."

cases="magenta cin26 x4plus fast"; sizes="512 1024"; rounds=3; runs=5; srruns=3; threads=2
while [ $# -gt 0 ]; do
  case "$1" in
    --cases) cases="$2"; shift 2 ;;
    --sizes) sizes="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --sr-runs) srruns="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

shared="${ATELIER_SHARED:-../shared}"
peers="$(cd "$shared/peers" && pwd)" || { echo "no peers in $shared (set ATELIER_SHARED)" >&2; exit 1; }
venv=.venv-peer
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import onnx, onnxruntime, ncnn, PIL" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q onnx onnxruntime numpy ncnn pillow
fi

bin="${ATELIER_BIN:-}"
if [ -z "$bin" ]; then
  swift build -c release --product atelier >/dev/null
  bin=.build/release/atelier
fi
"$bin" models verify >/dev/null 2>&1 || "$bin" models install >/dev/null

# One Real-ESRGAN model through ncnn, as ort_models_peer.py times it (the script itself runs both).
sr_peer() {
  "$venv/bin/python" - "$peers" "$1" "$threads" "$srruns" <<'EOF'
import json, os, sys
sys.path.insert(0, sys.argv[1])
import numpy as np, ncnn, ort_models_peer as p
name, threads, runs = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
x = np.random.default_rng(0).random((3, 256, 256), dtype=np.float32)
xp = np.pad(x, ((0, 0), (10, 10), (10, 10)), mode="reflect")
net = p.ncnn_net(p.extract_sr(), name, threads)
ms, r = p.median_ms(lambda: p.ncnn_run(net, xp, threads), runs)
print(json.dumps({"peer": "ncnn " + ncnn.__version__, "model": name, "size": 256, "total_ms": round(ms, 1),
                  "runs_ms": r, "loadavg": round(os.getloadavg()[0], 2)}))
EOF
}

results=$(mktemp)
trap 'rm -f "$results"' EXIT
load() { cut -d' ' -f1 /proc/loadavg; }
for round in $(seq "$rounds"); do
  for c in $cases; do
    case "$c" in
      magenta|cin26)
        for size in $sizes; do
          "$venv/bin/python" "$peers/ort_models_peer.py" --only "$c" --sizes "$size" --threads "$threads" \
            --runs "$runs" | sed "s/^/peer $c $size $(load) /" >>"$results"
          "$bin" bench --model "$c" --sizes "$size" --threads "$threads" --runs "$runs" --json \
            | sed "s/^/ours $c $size $(load) /" >>"$results"
        done ;;
      x4plus|fast)
        name=$([ "$c" = x4plus ] && echo realesrgan-x4plus || echo realesr-animevideov3-x4)
        sr_peer "$name" | sed "s/^/peer $c 256 $(load) /" >>"$results"
        "$bin" bench --upscaler "$c" --sizes 256 --threads "$threads" --runs "$srruns" \
          | sed "s/^/ours $c 256 $(load) /" >>"$results"
        ;;
      *) echo "unknown case $c (magenta cin26 x4plus fast)" >&2; exit 2 ;;
    esac
  done
done

python3 - "$results" "$rounds" <<'EOF'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    side, case, size, load, text = line.split(" ", 4)
    d = json.loads(text)
    cell = rows.setdefault((case, int(size)), {"load": []})
    cell["load"].append(float(load))
    def add(part, v): cell.setdefault((side, part), []).append(v)
    if case == "magenta" and side == "peer":
        add("transform", d["transform_ms"]); add("predictor", d["predict_ms"]); add("total", d["total_ms"])
    elif case == "magenta":
        # predict_ms: the predictor network alone on a prepared 256x256 input, as the peer times it;
        # older binaries print no predict_ms, then the difference total - cached stands in.
        add("transform", d["cached_ms"]); add("total", d["total_ms"])
        add("predictor", d["predict_ms"] if "predict_ms" in d else d["total_ms"] - d["cached_ms"])
        if "prepare_ms" in d: add("prepare", d["prepare_ms"])
    else:
        add("total", d["total_ms"])
targets = {("magenta", "transform"): 0.5, ("magenta", "predictor"): 1.0, ("cin26", "total"): 0.5,
           ("x4plus", "total"): 1.0, ("fast", "total"): 1.0}
print(f"rounds: {sys.argv[2]}; medians in ms over rounds (each round: median of its runs)")
print(f"{'case':10} {'part':10} {'size':>5} {'ours':>10} {'peer':>10} {'ratio':>7} {'target':>7}  load")
for (case, size), cell in sorted(rows.items()):
    for part in ("transform", "predictor", "prepare", "total"):
        if part == "prepare" and ("ours", part) in cell:  # ours only: the peer times a ready tensor
            print(f"{case:10} {part:10} {size:5} {statistics.median(cell[('ours', part)]):10.1f} {'-':>10} {'':>7} {'':>7}"
                  f"  {min(cell['load']):.1f}-{max(cell['load']):.1f}")
            continue
        if ("ours", part) not in cell or ("peer", part) not in cell: continue
        o, p = statistics.median(cell[("ours", part)]), statistics.median(cell[("peer", part)])
        t = targets.get((case, part))
        print(f"{case:10} {part:10} {size:5} {o:10.1f} {p:10.1f} {o / p:7.2f} {('<= %.1f' % t) if t else '':>7}"
              f"  {min(cell['load']):.1f}-{max(cell['load']):.1f}")
EOF
