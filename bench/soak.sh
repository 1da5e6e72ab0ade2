#!/usr/bin/env bash
# The soak test alone (docs/kiosk.md, docs/benchmarks.md): builds the dev preset's game and plays
# HOURS (default 8) of simulated kiosk visits on the accelerated clock under /usr/bin/time -v,
# printing the game's soak lines (resident memory after the warm-up and at the end, growth) and
# the peak RSS.
#   bench/soak.sh [HOURS]
# QV_BENCH_BUILD_DIR=DIR uses another configured build directory instead of build/dev;
# QV_BENCH_GAME=BINARY runs that binary instead (no build).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
hours=${1:-8}
game=${QV_BENCH_GAME:-}
if [ -z "$game" ]; then
    build=${QV_BENCH_BUILD_DIR:-}
    if [ -z "$build" ]; then
        cmake --preset dev >/dev/null
        build=build/dev
    fi
    cmake --build "$build" --target quadventure
    game=$build/game/quadventure
fi
data=$(mktemp -d "${TMPDIR:-/tmp}/qv-soak-XXXXXX")
trap 'rm -rf "$data"' EXIT
echo "soak: $hours simulated hours of kiosk visits ($game)"
status=0
SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy /usr/bin/time -v -o "$data/time.txt" \
    "$game" --demo --kiosk --soak "$hours" --data-dir "$data/db" --log-level warn \
    >"$data/soak.txt" 2>&1 || status=$?
grep -A3 '^Soak finished' "$data/soak.txt" || cat "$data/soak.txt"
grep -E 'Maximum resident set size|Elapsed \(wall clock\)' "$data/time.txt" | sed 's/^\s*/  /'
exit "$status"
