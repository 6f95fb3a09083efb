#!/bin/sh
# Builds the conv benchmark against the package's kernel sources and runs it.
# Usage: Benchmarks/ConvBench/run.sh [threads] [shape filter]
set -e
here=$(cd "$(dirname "$0")" && pwd)
root="$here/../.."
out=${TMPDIR:-/tmp}/convbench
CC=${CC:-clang}
$CC -O3 -fno-math-errno -Wno-unused-parameter -I"$root/Sources/CKernels/include" \
    $(pkg-config --cflags openblas) "$here/convbench.c" "$root"/Sources/CKernels/conv*.c "$root"/Sources/CKernels/backward.c "$root"/Sources/CKernels/isa.c \
    -o "$out" $(pkg-config --libs openblas) -lpthread -lm
"$out" "$@"
