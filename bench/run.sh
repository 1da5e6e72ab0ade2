#!/usr/bin/env bash
# Builds the dev preset (optimised, with debug info) and prints the benchmark table:
#   bench/run.sh [--quick]        docs/benchmarks.md
# QV_BENCH_BUILD_DIR=DIR uses another configured build directory instead of build/dev.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
build=${QV_BENCH_BUILD_DIR:-}
if [ -z "$build" ]; then
    cmake --preset dev >/dev/null
    build=build/dev
fi
cmake --build "$build" --target quadventure-bench
exec "$build/bench/quadventure-bench" "$@"
