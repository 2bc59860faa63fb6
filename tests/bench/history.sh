#!/usr/bin/env bash
# make bench, the instruction history's cost: guests/bench/steps.bin run plainly and
# with --history 64 (every instruction a single step inside the VMM), RUNS runs each,
# taking turns; the cost per recorded instruction is the difference of the medians
# over the instruction count, the ratio history/plain. Prints a table and appends
# "key value" lines to $BUILD/bench/results.txt. Status 1 if a run fails.
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) B=$BUILD ;; *) B=$TOP/$BUILD ;; esac
VMM=$B/vmm
IMG=$B/guests/bench/steps.bin
OUT=$B/bench
RUNS=${BENCH_RUNS_HISTORY:-5}
die() { echo "bench: FAILED: $*" >&2; exit 1; }
loops=$(sed -n 's/^#define STEP_LOOPS \([0-9][0-9]*\)$/\1/p' "$TOP/guests/bench/steps.S")
[ -n "$loops" ] || die "no '#define STEP_LOOPS N' line in guests/bench/steps.S"
[ -x "$OUT/timerun" ] || die "$OUT/timerun is missing: tests/bench/run.sh builds it"
[ -e "$IMG" ] || die "$IMG is missing: run 'make all' first"
insns=$((3 * loops + 1)) # the loop, and the mov before it

: >"$OUT/history-plain.ms"
: >"$OUT/history-on.ms"
for ((i = 0; i < RUNS; i++)); do
    for side in plain on; do
        args=("$VMM" --no-probe-cache "$IMG")
        [ $side = on ] && args=("$VMM" --no-probe-cache --history 64 "$IMG")
        res=$("$OUT/timerun" -n 1 -s 0 -t 120 -- "${args[@]}") || die "history-$side: ${args[*]}"
        echo "${res%% *}" >>"$OUT/history-$side.ms"
    done
done
median() { sort -g "$1" | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
plain=$(median "$OUT/history-plain.ms")
on=$(median "$OUT/history-on.ms")
per=$(awk -v a="$on" -v b="$plain" -v n="$insns" 'BEGIN { printf "%.2f", (a - b) * 1000 / n }')
ratio=$(awk -v a="$on" -v b="$plain" 'BEGIN { printf "%.1f", a / b }')
echo
printf '%-44s %12s %12s %9s\n' "history (${insns} instructions)" plain "--history" ratio
printf '%-44s %12.1f %12.1f %9s\n' "wall time (ms, median of $RUNS)" "$plain" "$on" "$ratio"
printf '%-44s %12s %12s\n' "cost per recorded instruction (us)" "" "$per"
cat >>"$OUT/results.txt" <<EOT
history_ms.plain $plain
history_ms.on $on
history_ms.ratio $ratio
history_us_per_insn $per
history_insns $insns
EOT
