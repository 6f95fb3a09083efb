#!/usr/bin/env bash
# The test command behind `make test`: builds everything and runs every test suite.
# Numeric targets are compiled optimised even here (see Package.swift), so golden cases run fast.
set -euo pipefail
cd "$(dirname "$0")/.."

# The weight converter's cross-check reads the checkpoints with ../shared/reference/torch_legacy.py.
python3 -c "import numpy" 2>/dev/null || python3 -m pip install -q numpy

swift build --build-tests
swift test --skip-build
