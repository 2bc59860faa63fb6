#!/usr/bin/env bash
# Runs libFuzzer targets one after another for FUZZ_SECONDS each and prints a
# table (executions, exec/s, coverage as libFuzzer's "cov:" edge count, corpus
# size), also written to $FUZZ_BUILD/results.txt. Exits 1 if any target crashed,
# leaked, tripped a sanitizer or an invariant, hung, or did not run.
#   tests/fuzz/run.sh [TARGET...]      default: every $FUZZ_BUILD/fuzz_* binary
# Per target: seeds in tests/fuzz/corpus/NAME/ (read only), the growing corpus in
# $FUZZ_BUILD/corpus/NAME/, the log in $FUZZ_BUILD/logs/, a failing input in
# $FUZZ_BUILD/artifacts/ (replay it: $FUZZ_BUILD/TARGET FILE).
set -u
cd "$(dirname "$0")/../.."
B=${FUZZ_BUILD:-build-fuzz}
SECS=${FUZZ_SECONDS:-60}
# libFuzzer's -timeout: an input that takes longer than this counts as a hang.
INPUT_TIMEOUT=${FUZZ_INPUT_TIMEOUT:-10}

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for f in "$B"/fuzz_*; do
        [ -x "$f" ] && [ -f "$f" ] && targets+=("$(basename "$f")")
    done
fi
if [ ${#targets[@]} -eq 0 ]; then
    echo "fuzz: no targets in $B (run make fuzz)" >&2
    exit 1
fi
mkdir -p "$B/logs" "$B/artifacts"

# stat NAME LOG: a value of libFuzzer's -print_final_stats block.
stat() { sed -n "s/^stat::$1: *//p" "$2" | tail -n 1; }

rows=() failed=0
for t in "${targets[@]}"; do
    name=${t#fuzz_}
    log=$B/logs/$t.log
    work=$B/corpus/$name
    mkdir -p "$work"
    args=(-max_total_time="$SECS" -timeout="$INPUT_TIMEOUT" -rss_limit_mb=2048
          -print_final_stats=1 -artifact_prefix="$B/artifacts/$t-")
    [ -f "tests/fuzz/$name.dict" ] && args+=(-dict="tests/fuzz/$name.dict")
    seeds=()
    [ -d "tests/fuzz/corpus/$name" ] && seeds=("tests/fuzz/corpus/$name")
    echo "fuzz: $t for ${SECS}s (log $log)"
    rm -f "$B/artifacts/$t-"*
    # The outer timeout only guards against libFuzzer itself wedging.
    timeout --kill-after=10 $((SECS + 120)) "$B/$t" "${args[@]}" "$work" "${seeds[@]}" \
        >"$log" 2>&1
    rc=$?
    execs=$(stat number_of_executed_units "$log")
    rate=$(stat average_exec_per_sec "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | sed 's/cov: //')
    corp=$(grep -o 'corp: [0-9]*' "$log" | tail -n 1 | sed 's/corp: //')
    result=ok
    if [ "$rc" -ne 0 ] || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer)|runtime error:|invariant broken|SUMMARY: ' "$log"; then
        result="FAILED (exit $rc)"
    elif [ -z "$execs" ]; then
        result="FAILED (no final stats)"
    fi
    rows+=("$(printf '%-14s %6s %12s %9s %7s %7s  %s' "$t" "$SECS" "${execs:--}" "${rate:--}" \
              "${cov:--}" "${corp:--}" "$result")")
    if [ "$result" != ok ]; then
        failed=1
        art=$(ls -t "$B/artifacts/$t-"* 2>/dev/null | head -n 1)
        echo "fuzz: $t $result; reproducer: ${art:-none}; replay: $B/$t ${art:-FILE}"
        grep -m 1 -A 40 -E '==[0-9]+==ERROR|runtime error:|invariant broken|ALARM|out-of-memory' "$log" |
            sed 's/^/    /'
    fi
done

{
    printf '%-14s %6s %12s %9s %7s %7s  %s\n' target secs execs exec/s cov corpus result
    printf '%s\n' "${rows[@]}"
} | tee "$B/results.txt"
exit $failed
