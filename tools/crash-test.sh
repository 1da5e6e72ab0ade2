#!/usr/bin/env bash
# Power-cut test (TARGETS.md "power cut"): plays N headless demo sessions of the real game into
# ONE data directory and SIGKILLs each at a random moment within a session's length, then checks
# that the database passes PRAGMA integrity_check and that every set the game logged as committed
# ("set N of session M committed") is in it with all its reps and its force trace.
#
#   tools/crash-test.sh [N]          N sessions (default 200); docs/crash-safety.md
#   QV_GAME=path/to/quadventure      the binary (default build/dev/game/quadventure)
#   QV_CRASH_SEED=K                  seeds the kill moments and the sessions (default: random)
#   QV_CRASH_KEEP=1                  keep the data directory and logs
#
# Prints a summary; exits 1 on any lost set, integrity failure or a game that does not run,
# 2 when a tool it needs is missing (CTest shows that as skipped).
set -uo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

runs=${1:-200}
game=${QV_GAME:-build/dev/game/quadventure}
seed=${QV_CRASH_SEED:-$(( (RANDOM << 15) | RANDOM ))}
# Q3: three sets per session. The game logs a commit when the play screen sees it confirmed, so
# a one-set level (Q1) logs none: its only set is confirmed after the play screen has ended.
level=${QV_CRASH_LEVEL:-Q3}
if [ ! -x "$game" ]; then
    echo "crash-test: no game binary at $game (build the dev preset or set QV_GAME)" >&2
    exit 2
fi
if ! command -v sqlite3 >/dev/null; then
    echo "crash-test: needs the sqlite3 command-line shell (Debian package sqlite3)" >&2
    exit 2
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/qv-crash-XXXXXX")
db=$dir/quadventure.db
cleanup() { [ "${QV_CRASH_KEEP:-0}" = 1 ] && echo "kept $dir" || rm -rf "$dir"; }
trap cleanup EXIT
RANDOM=$seed

now_ms() { date +%s%3N; }
committed_ids() { grep -oE 'set [0-9]+ of session [0-9]+ committed' "$1" | awk '{print $2}'; }

# Every id in $1 (a file of set ids) must have a set row, dose_reps reps (fewer only when the set
# was stopped, never none) and a trace with samples. Prints the ids that fail.
check_sets() {
    [ -s "$1" ] || return 0
    local ids
    ids=$(sort -un "$1" | paste -sd, -)
    sqlite3 -batch -noheader "$db" "
      WITH wanted(id) AS (SELECT value FROM json_each('[$ids]'))
      SELECT w.id FROM wanted w LEFT JOIN sets s ON s.id = w.id
      WHERE s.id IS NULL
         OR (SELECT count(*) FROM reps r WHERE r.set_id = s.id)
            NOT BETWEEN (CASE WHEN s.stop_reason = '' THEN s.dose_reps ELSE 1 END) AND s.dose_reps
         OR coalesce((SELECT sample_count FROM traces t WHERE t.set_id = s.id), 0) <= 0;"
}

# Sets in the database without all their reps or their trace (a torn commit), whether logged
# or not: each set is one transaction, so there must be none.
torn_sets() {
    sqlite3 -batch -noheader "$db" "
      SELECT s.id FROM sets s
      WHERE (SELECT count(*) FROM reps r WHERE r.set_id = s.id)
            NOT BETWEEN (CASE WHEN s.stop_reason = '' THEN s.dose_reps ELSE 1 END) AND s.dose_reps
         OR coalesce((SELECT sample_count FROM traces t WHERE t.set_id = s.id), 0) <= 0;" | paste -sd' ' -
}

integrity() { sqlite3 -batch -noheader "$db" "PRAGMA integrity_check;" 2>&1 | paste -sd' ' -; }

# One uncut session first: it proves the game runs here and measures how long a session takes,
# so the kills land anywhere from start-up to the last commit on this machine.
t0=$(now_ms)
if ! "$game" --demo --data-dir "$dir" --level "$level" --seed "$seed" --log-level info \
    >"$dir/run-0.log" 2>&1; then
    echo "crash-test: the uncut demo session failed:" >&2
    tail -20 "$dir/run-0.log" >&2
    exit 1
fi
session_ms=$(( $(now_ms) - t0 ))
[ "$session_ms" -ge 1 ] || session_ms=1
committed_ids "$dir/run-0.log" >"$dir/committed"
echo "crash-test: one uncut session ($level) takes ${session_ms} ms here; $runs killed runs" \
     "follow (seed $seed)"

kills=0 finished=0 integrity_failures=0 lost=0
for ((k = 1; k <= runs; k++)); do
    delay=$(( ((RANDOM << 15) | RANDOM) % session_ms ))
    log=$dir/run-$k.log
    "$game" --demo --data-dir "$dir" --level "$level" --seed $((seed + k)) --log-level info \
        >"$log" 2>&1 &
    pid=$!
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
    if kill -KILL "$pid" 2>/dev/null; then
        wait "$pid" 2>/dev/null
        kills=$((kills + 1))
    else
        wait "$pid" 2>/dev/null
        finished=$((finished + 1))
    fi
    committed_ids "$log" >"$dir/this-run"
    cat "$dir/this-run" >>"$dir/committed"
    result=$(integrity)
    if [ "$result" != "ok" ]; then
        integrity_failures=$((integrity_failures + 1))
        echo "run $k (killed after ${delay} ms): integrity_check: $result" >&2
    fi
    torn=$(torn_sets)
    if [ -n "$torn" ]; then
        integrity_failures=$((integrity_failures + 1))
        echo "run $k (killed after ${delay} ms): set(s) without all reps or trace: $torn" >&2
    fi
    bad=$(check_sets "$dir/this-run")
    if [ -n "$bad" ]; then
        lost=$((lost + $(wc -w <<<"$bad")))
        echo "run $k (killed after ${delay} ms): committed but missing or incomplete: set(s)" \
             $bad >&2
    fi
    [ "${QV_CRASH_KEEP:-0}" = 1 ] || rm -f "$log"
done

# Last, every set ever logged as committed, against the final database.
bad=$(check_sets "$dir/committed")
committed=$(sort -un "$dir/committed" | wc -l)
found=$(( committed - $(wc -w <<<"$bad") ))
sets_in_db=$(sqlite3 -batch -noheader "$db" "SELECT count(*) FROM sets;")
printf 'crash-test summary: runs %d, killed %d, finished before the kill %d, sets logged ' \
    "$runs" "$kills" "$finished"
printf 'committed %d, found complete %d, sets in the database %d, integrity failures %d, ' \
    "$committed" "$found" "$sets_in_db" "$integrity_failures"
printf 'losses %d\n' "$lost"
if [ -n "$bad" ] || [ "$lost" -ne 0 ] || [ "$integrity_failures" -ne 0 ]; then
    echo "crash-test: FAILED" >&2
    exit 1
fi
echo "crash-test: passed"
