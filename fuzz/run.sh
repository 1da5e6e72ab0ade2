#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset) and runs each one briefly over its committed
# seed corpus: fuzz/run.sh [seconds-per-target] [extra libFuzzer flags...]. Exits non-zero on
# the first finding and prints the input that triggers it (docs/fuzzing.md).
#
#   fuzz/run.sh            10 s per target (what ./qv test runs)
#   fuzz/run.sh 600        ten minutes per target
#   QV_FUZZ_RUNS=1000000 fuzz/run.sh 0    one million runs per target, however long it takes
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

seconds=${1:-10}
shift || true
runs=${QV_FUZZ_RUNS:--1}
targets=(open_sensor godirect phidget_bridge recording content)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

say "Building the fuzz targets (preset fuzz, clang)"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

out=build/fuzz/findings
mkdir -p "$out"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=()
for t in "${targets[@]}"; do
    bin=build/fuzz/fuzz/fuzz_$t
    # New inputs go to a scratch corpus; the committed seeds are only read.
    work=build/fuzz/corpus/$t
    mkdir -p "$work"
    say "fuzz_$t: ${seconds} s$([ "$runs" != -1 ] && echo ", $runs runs")"
    log=$out/$t.log
    if "$bin" -max_total_time="$seconds" -runs="$runs" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$out/$t-" "$@" "$work" "fuzz/corpus/$t" \
        >"$log" 2>&1; then
        grep -E '^stat::number_of_executed_units|^Done [0-9]+ runs' "$log" | tail -1 || true
    else
        tail -n 60 "$log" >&2
        crash=$(grep -oE "Test unit written to .*" "$log" | sed 's/Test unit written to //' | tail -1)
        echo "fuzz_$t: FINDING; input: ${crash:-see $log}" >&2
        echo "  reproduce: $bin ${crash:-}" >&2
        failed+=("$t")
    fi
done
if [ ${#failed[@]} -ne 0 ]; then
    echo "fuzzing found problems in: ${failed[*]}" >&2
    exit 1
fi
say "Fuzzing: no findings (${#targets[@]} targets)"
