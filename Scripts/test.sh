#!/usr/bin/env bash
# The test command behind `make test`: builds everything and runs every test suite.
# Numeric targets are compiled optimised even here (see Package.swift), so golden cases run fast.
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests need (python3-numpy for the weight converter's cross-check, ImageMagick, ...)
# comes from Debian's packages; the tests fail, never skip, when a tool is missing.
Scripts/install-deps.sh --test

swift build --build-tests
swift build --product atelier
mkdir -p .build
set +e
swift test --skip-build --disable-swift-testing 2>&1 | tee .build/test.log
status=${PIPESTATUS[0]}
set -e
# XCTest's last line: "Executed N tests, with [S test(s) skipped and ]F failure(s) ...".
summary=$(grep -E "^\s*Executed [0-9]+ tests?, with " .build/test.log | tail -1)
if [ -z "$summary" ]; then
  echo "tests: no XCTest summary found" >&2
  exit 1
fi
executed=$(sed -E 's/.*Executed ([0-9]+) tests?.*/\1/' <<<"$summary")
failures=$(sed -E 's/.* ([0-9]+) failures? .*/\1/' <<<"$summary")
skipped=0
if grep -qE "[0-9]+ tests? skipped" <<<"$summary"; then
  skipped=$(sed -E 's/.*with ([0-9]+) tests? skipped.*/\1/' <<<"$summary")
fi
echo "tests: $((executed - skipped - failures)) passed, $failures failed, $skipped skipped"
exit "$status"
