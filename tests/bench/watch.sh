#!/usr/bin/env bash
# make bench: a write watchpoint on a variable written WB_ROUNDS (1,000) times in a
# loop that also sweeps another page (guests/c32watch's bench loop), gdb stopping
# at each write, watched through a read-only page and by step-and-compare side by
# side, with the loop alone (no watchpoint) and, where this host's DR7 data
# breakpoints fire, a debug register, for scale. ROUNDS sessions a side, taking
# turns; times from gdb's Python around the continues. watch.sh [RESULTS-FILE]
# appends watch_1000_writes_s.* keys.
# Knobs: BENCH_WATCH_ROUNDS (3), BENCH_WATCH_WRITES (1000), BENCH_WATCH_LIMIT (900 s
# a session).
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) B=$BUILD ;; *) B=$TOP/$BUILD ;; esac
VMM=$B/vmm
K=$B/guests/c32watch/watch.elf
RESULTS=${1:-}
ROUNDS=${BENCH_WATCH_ROUNDS:-3}
export WB_ROUNDS=${BENCH_WATCH_WRITES:-1000} WB_SOURCE=$TOP/guests/c32watch/watch.c
LIMIT=${BENCH_WATCH_LIMIT:-900}
source "$TOP/tests/bench/gdbsession.sh"
gdb_bench_setup "watch bench" "$K"

sides="none page step"
if "$VMM" --probe 2>&1 | grep -Eq '^DR7 data watchpoint \(write\) exits +yes'; then
    sides="none dr page step"
fi
for s in $sides; do : >"$TMPD/$s"; done
for ((r = 0; r < ROUNDS; r++)); do
    for s in $sides; do
        WB_MODE=$s gdb_session "$K" "$TOP/tests/bench/watch_bench.py" watchbench | cut -d' ' -f1 >>"$TMPD/$s"
    done
done
declare -A med
for s in $sides; do med[$s]=$(median <"$TMPD/$s"); done
ratio=$(awk -v a="${med[step]}" -v b="${med[page]}" 'BEGIN { printf "%.1f", a / b }')
echo
printf '%-52s %12s\n' "gdb: watch on a variable written $WB_ROUNDS times" "seconds"
for s in $sides; do
    case $s in
    none) what="no watchpoint (the loop alone, to its end)" ;;
    dr) what="debug register (DR7)" ;;
    page) what="read-only page (KVM_MEM_READONLY)" ;;
    step) what="step-and-compare" ;;
    esac
    printf '  %-50s %11.3fs\n' "$what" "${med[$s]}"
done
echo "  step-and-compare / read-only page: ${ratio}x (median of $ROUNDS sessions a side)"
if [ -n "$RESULTS" ]; then
    {
        echo "# gdb watch on a variable written $WB_ROUNDS times, a stop each; ratio = step / page"
        for s in $sides; do echo "watch_writes_s.$s ${med[$s]}"; done
        echo "watch_writes_s.ratio $ratio"
        echo "watch_writes_s.rounds $ROUNDS"
    } >>"$RESULTS"
fi
