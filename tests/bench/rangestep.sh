#!/usr/bin/env bash
# make bench: gdb `next` over a one-line loop of 10,000 iterations (guests/c32range,
# loop_sum(10000)) with range stepping on (vCont;r: the VMM steps inside the range)
# and off (gdb single-steps with vCont;s), side by side: ROUNDS rounds, the sides
# taking turns, one VMM and gdb session each; times from gdb's Python around the
# `next` alone. rangestep.sh [RESULTS-FILE] appends gdb_next_loop_s.* keys.
# Knobs: BENCH_RANGE_ROUNDS (3), BENCH_RANGE_ITERS (10000), BENCH_RANGE_LIMIT (600 s
# a session).
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) B=$BUILD ;; *) B=$TOP/$BUILD ;; esac
VMM=$B/vmm
K=$B/guests/c32range/range.elf
RESULTS=${1:-}
ROUNDS=${BENCH_RANGE_ROUNDS:-3}
export RS_ITERS=${BENCH_RANGE_ITERS:-10000}
LIMIT=${BENCH_RANGE_LIMIT:-600}
source "$TOP/tests/bench/gdbsession.sh"
gdb_bench_setup "rangestep bench" "$K"

# one_side on|off: the seconds the `next` took
one_side() { RS_RANGE=$1 gdb_session "$K" "$TOP/tests/bench/rangestep_bench.py" rangebench; }

: >"$TMPD/on"
: >"$TMPD/off"
for ((r = 0; r < ROUNDS; r++)); do
    one_side on >>"$TMPD/on"
    one_side off >>"$TMPD/off"
done
on=$(median <"$TMPD/on")
off=$(median <"$TMPD/off")
ratio=$(awk -v a="$off" -v b="$on" 'BEGIN { printf "%.1f", a / b }')
echo
printf '%-44s %12s %12s %9s\n' "gdb next over a one-line loop" "range on" "range off" "off/on"
printf '%-44s %11.3fs %11.3fs %8sx\n' "  $RS_ITERS iterations (median of $ROUNDS)" "$on" "$off" "$ratio"
if [ -n "$RESULTS" ]; then
    cat >>"$RESULTS" <<EOT
# gdb next over loop_sum($RS_ITERS)'s one-line loop; ratio = off / on (how many times faster)
gdb_next_loop_s.range_on $on
gdb_next_loop_s.range_off $off
gdb_next_loop_s.ratio $ratio
gdb_next_loop_s.rounds $ROUNDS
EOT
fi
