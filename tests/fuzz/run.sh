#!/usr/bin/env bash
# Runs libFuzzer targets one after another for FUZZ_SECONDS each (FUZZ_JOBS
# processes at a time, default 1) and prints a table (executions and exec/s
# summed over the jobs, coverage as libFuzzer's "cov:" edge count, corpus
# size), also written to $FUZZ_BUILD/results.txt. Exits 1 if any target crashed,
# leaked, tripped a sanitizer or an invariant, hung, or did not run.
#   tests/fuzz/run.sh [TARGET...]      default: every $FUZZ_BUILD/fuzz_* binary
# Per target: seeds in tests/fuzz/corpus/NAME/ (read only), the growing corpus in
# $FUZZ_BUILD/corpus/NAME/, the log in $FUZZ_BUILD/logs/, a failing input in
# $FUZZ_BUILD/artifacts/ (replay it: $FUZZ_BUILD/TARGET FILE).
set -u
cd "$(dirname "$0")/../.." || exit 1
B=${FUZZ_BUILD:-build-fuzz}
SECS=${FUZZ_SECONDS:-60}
# libFuzzer's -timeout: an input that takes longer than this counts as a hang.
INPUT_TIMEOUT=${FUZZ_INPUT_TIMEOUT:-10}
# Processes per target (sharing its corpus); figures are summed over them.
JOBS=${FUZZ_JOBS:-1}

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

# final_stat NAME LOG: a value of libFuzzer's -print_final_stats block.
final_stat() { sed -n "s/^stat::$1: *//p" "$2" | tail -n 1; }

rows=() failed=0
for t in "${targets[@]}"; do
    name=${t#fuzz_}
    work=$B/corpus/$name
    mkdir -p "$work"
    args=(-max_total_time="$SECS" -timeout="$INPUT_TIMEOUT" -rss_limit_mb=2048
          -print_final_stats=1 -artifact_prefix="$B/artifacts/$t-")
    [ -f "tests/fuzz/$name.dict" ] && args+=(-dict="tests/fuzz/$name.dict")
    # NAME.options: more libFuzzer flags, one a line, '#' comments.
    [ -f "tests/fuzz/$name.options" ] &&
        mapfile -t -O ${#args[@]} args < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' \
                                             "tests/fuzz/$name.options")
    seeds=()
    [ -d "tests/fuzz/corpus/$name" ] && seeds=("tests/fuzz/corpus/$name")
    echo "fuzz: $t for ${SECS}s, $JOBS job(s) (logs $B/logs/$t.*log)"
    rm -f "$B/artifacts/$t-"* "$B/logs/$t".*log
    # Jobs share the corpus directory (libFuzzer reloads it every second). The
    # outer timeout only guards against libFuzzer itself wedging.
    pids=()
    for j in $(seq "$JOBS"); do
        log=$B/logs/$t.log
        [ "$JOBS" -gt 1 ] && log=$B/logs/$t.$j.log
        timeout --kill-after=10 $((SECS + 120)) "$B/$t" "${args[@]}" -seed="$j$RANDOM" \
            "$work" "${seeds[@]}" >"$log" 2>&1 &
        pids+=($!)
    done
    rcs=0
    for pid in "${pids[@]}"; do wait "$pid" || rcs=$?; done
    execs=0 rate=0 cov=0 corp=0 result=ok
    for log in "$B/logs/$t".*log; do
        e=$(final_stat number_of_executed_units "$log") r=$(final_stat average_exec_per_sec "$log")
        c=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | sed 's/cov: //')
        k=$(grep -o 'corp: [0-9]*' "$log" | tail -n 1 | sed 's/corp: //')
        [ -z "$e" ] && result="FAILED (no final stats)"
        execs=$((execs + ${e:-0})) rate=$((rate + ${r:-0}))
        [ "${c:-0}" -gt "$cov" ] && cov=$c
        [ "${k:-0}" -gt "$corp" ] && corp=$k
        if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer)|runtime error:|invariant broken|SUMMARY: ' "$log"; then
            result="FAILED (exit $rcs)"
            grep -m 1 -A 40 -E '==[0-9]+==ERROR|runtime error:|invariant broken|ALARM|out-of-memory' "$log" |
                sed 's/^/    /'
        fi
    done
    [ "$rcs" -ne 0 ] && [ "$result" = ok ] && result="FAILED (exit $rcs)"
    rows+=("$(printf '%-14s %6s %4s %12s %9s %7s %7s  %s' "$t" "$SECS" "$JOBS" "$execs" "$rate" \
              "$cov" "$corp" "$result")")
    if [ "$result" != ok ]; then
        failed=1
        art=$(ls -t "$B/artifacts/$t-"* 2>/dev/null | head -n 1)
        echo "fuzz: $t $result; reproducer: ${art:-none}; replay: $B/$t ${art:-FILE}"
    fi
done

{
    printf '%-14s %6s %4s %12s %9s %7s %7s  %s\n' target secs jobs execs exec/s cov corpus result
    printf '%s\n' "${rows[@]}"
} | tee "$B/results.txt"
exit $failed
