#!/bin/sh
# Runs the reference pipeline (shared/reference/ust_reference.py) with its conv replaced by the
# package's C kernels (through ctypes) on the golden encode/decode cases and prints the errors
# against the expected outputs, per kernel family (3 Winograd, 2 direct AVX-512, 1 AVX2,
# 0 sgemm). The cases allow mean 1e-4, max 2e-3. Usage: golden_check.sh [family ...]
set -e
here=$(cd "$(dirname "$0")" && pwd)
root="$here/../.."
lib=${TMPDIR:-/tmp}/libakconv.so
${CC:-clang} -O3 -fno-math-errno -Wno-unused-parameter -shared -fPIC -I"$root/Sources/CKernels/include" \
    $(pkg-config --cflags openblas) "$root"/Sources/CKernels/conv*.c -o "$lib" $(pkg-config --libs openblas)
shared=${ATELIER_SHARED:-$root/../shared}
for family in ${@:-3 2 0}; do
    python3 "$here/golden_check.py" "$lib" "$shared" "$family"
done
