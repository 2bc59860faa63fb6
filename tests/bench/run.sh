#!/usr/bin/env bash
# The VMM core's benchmark (`make bench`; see tests/bench/README.md). Each number
# is printed next to the same measurement of tests/bench/bare_kvm.c, a bare KVM_RUN
# loop taken in the same run, and the ratio vmm/bare. Writes the table to stdout
# and, one "key value" a line, to $BUILD/bench/results.txt. Any failed run (wrong
# exit status, missing or wrong output, wrong exit count) stops it with status 1.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) B=$BUILD ;; *) B=$TOP/$BUILD ;; esac
VMM=$B/vmm
G=$B/guests/bench
OUT=$B/bench
RUNS_FIRST=${BENCH_RUNS_FIRST:-30}   # time to first instruction: runs per side
RUNS_PIO=${BENCH_RUNS_PIO:-5}        # port-I/O loop: runs per side (~1-2 s each)
RUNS_PROBE=${BENCH_RUNS_PROBE:-15}   # its time varies by +-10 ms from run to run
FIRST_STATUS=42                      # guests/bench/first.S
PIO_COUNT=$(sed -n 's/^#define PIO_COUNT \([0-9][0-9]*\)$/\1/p' "$TOP/guests/bench/pio.S")

TMPD=$(mktemp -d /tmp/mkvm-bench.XXXXXX)
trap 'rm -rf "$TMPD"' EXIT

die() { echo "bench: FAILED: $*" >&2; exit 1; }

# show_err FILE: the end of a failed run's stderr, for the failure message.
show_err() { if [ -s "$1" ]; then sed 's/^/  | /' "$1" | tail -n 8 >&2; fi; }

[ -n "$PIO_COUNT" ] || die "no '#define PIO_COUNT N' line in guests/bench/pio.S"
for f in "$VMM" "$G/first.bin" "$G/pio.bin"; do
    [ -e "$f" ] || die "$f is missing: run 'make all' first"
done
if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then die "/dev/kvm is not usable"; fi

# The helpers are test code outside the Makefile's lists: built here, only when stale.
mkdir -p "$OUT"
for h in timerun bare_kvm; do
    if [ ! -x "$OUT/$h" ] || [ "$TOP/tests/bench/$h.c" -nt "$OUT/$h" ]; then
        ${CC:-cc} -std=gnu11 -O2 -g -Wall -Wextra -Wshadow -I"$TOP" -o "$OUT/$h" "$TOP/tests/bench/$h.c" \
            || die "cannot build tests/bench/$h.c"
    fi
done

# timed NAME RUNS STATUS CMD...: "MEDIAN MIN MAX" (ms) of RUNS whole-process runs;
# stdout goes to $TMPD/NAME.out, stderr to $TMPD/NAME.err (the last run's).
timed() {
    local name=$1 runs=$2 status=$3 res; shift 3
    if ! res=$("$OUT/timerun" -n "$runs" -s "$status" -t 60 \
                -o "$TMPD/$name.out" -e "$TMPD/$name.err" -- "$@" 2>"$TMPD/$name.timerun"); then
        cat "$TMPD/$name.timerun" >&2
        show_err "$TMPD/$name.err"
        die "$name: $*"
    fi
    [[ $res =~ ^[0-9.]+\ [0-9.]+\ [0-9.]+$ ]] || die "$name: timerun printed '$res'"
    echo "$res"
}

# calc EXPR [FORMAT]: floating-point arithmetic with awk, printed with FORMAT. The
# parentheses keep a comparison from being read as printf output redirection.
calc() { awk "BEGIN { printf \"${2:-%s}\", ($1) }" </dev/null; }

# stats: "MEDIAN MIN MAX" of the numbers on stdin, one a line.
stats() {
    sort -g | awk '{ v[NR] = $1 } END { if (!NR) exit 1
        printf "%.3f %.3f %.3f\n", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2, v[1], v[NR] }'
}

# alternate NAME RUNS STATUS: RUNS runs each of "${vmm_cmd[@]}" and "${bare_cmd[@]}",
# taking turns, so that load from other processes on a shared machine falls on
# both sides alike; sets NAME_vmm and NAME_bare to "MEDIAN MIN MAX" (ms).
alternate() {
    local name=$1 runs=$2 status=$3 i res side med lo hi
    : >"$TMPD/$name-vmm.ms"
    : >"$TMPD/$name-bare.ms"
    for ((i = 0; i < runs; i++)); do
        for side in vmm bare; do
            if [ $side = vmm ]; then
                res=$(timed "$name-$side" 1 "$status" "${vmm_cmd[@]}")
            else
                res=$(timed "$name-$side" 1 "$status" "${bare_cmd[@]}")
            fi
            echo "${res%% *}" >>"$TMPD/$name-$side.ms"
        done
    done
    for side in vmm bare; do
        res=$(stats <"$TMPD/$name-$side.ms") || die "$name: no times"
        printf -v "${name}_$side" '%s' "$res"
        read -r med lo hi <<<"$res"
        printf '%-11s %-4s median %8.1f ms (min %.1f, max %.1f) over %d runs\n' \
            "$name:" "$side" "$med" "$lo" "$hi" "$runs"
    done
}

echo "mini-kvm benchmark: $(uname -r), $(nproc) CPUs, $(date -u '+%Y-%m-%d %H:%M UTC')"

# 1. Time to first guest instruction: whole-process wall time of a guest whose
#    entry instruction writes port 0xf4. The VMM takes the host probe from its
#    cache (docs/host-probe.md), in a cache directory of the bench's own, filled by
#    one untimed start; then the same start with --no-probe-cache, probing afresh.
export XDG_CACHE_HOME=$TMPD/cache
warm=$("$VMM" --trace-exits=1 "$G/first.bin" 2>&1 >/dev/null || true)
cached_note=$(sed -n 's/^startup: host probe [0-9.]* ms//p' <<<"$warm")
[ -n "$(ls "$XDG_CACHE_HOME"/mini-kvm/probe-*.txt 2>/dev/null)" ] ||
    echo "bench: the probe cache was not written${cached_note:+:$cached_note}; the first row probes" >&2
vmm_cmd=("$VMM" "$G/first.bin")
bare_cmd=("$OUT/bare_kvm" first "$G/first.bin")
alternate first "$RUNS_FIRST" "$FIRST_STATUS"
if [ -s "$TMPD/first-vmm.out" ]; then
    die "first-vmm: the guest printed something: $(head -c 100 "$TMPD/first-vmm.out")"
fi
first_vmm=${first_vmm%% *}
first_bare=${first_bare%% *}
vmm_cmd=("$VMM" --no-probe-cache "$G/first.bin")
alternate fresh "$RUNS_FIRST" "$FIRST_STATUS"
fresh_vmm=${fresh_vmm%% *}
fresh_bare=${fresh_bare%% *}

# The host probe, which the VMM runs before every guest, reports its own time only
# under --probe. That one also probes the in-kernel irqchip, which a plain start
# skips (only --irqchip asks for it) and whose teardown costs ~20 ms here: so this
# row overstates a plain start's probe.
: >"$TMPD/probe.ms"
for ((i = 0; i < RUNS_PROBE; i++)); do
    rc=0
    timeout --kill-after=5 30 "$VMM" --probe >"$TMPD/probe.out" 2>"$TMPD/probe.err" </dev/null || rc=$?
    [ "$rc" = 0 ] || { show_err "$TMPD/probe.err"; die "vmm --probe failed (status $rc)"; }
    ms=$(sed -n 's/^probe time: \([0-9][0-9.]*\) ms$/\1/p' "$TMPD/probe.out")
    [ -n "$ms" ] || die "vmm --probe printed no 'probe time: N ms' line"
    echo "$ms" >>"$TMPD/probe.ms"
done
res=$(stats <"$TMPD/probe.ms") || die "no probe times"
read -r probe probe_lo probe_hi <<<"$res"
printf '%-11s %-4s median %8.1f ms (min %.1f, max %.1f) over %d runs of --probe\n' \
    "probe:" vmm "$probe" "$probe_lo" "$probe_hi" "$RUNS_PROBE"

# 2. Port-I/O exits per second: the same guest under both; the rate is
#    PIO_COUNT / (median wall time - median time to first instruction).
vmm_cmd=("$VMM" "$G/pio.bin")
bare_cmd=("$OUT/bare_kvm" loop "$G/pio.bin")
alternate pio "$RUNS_PIO" 0
pio_vmm=${pio_vmm%% *}
pio_bare=${pio_bare%% *}

# One more VMM run, untimed, to prove the loop did what it claims: PIO_COUNT dots on
# stdout and PIO_COUNT + 1 port-I/O exits (the putchars and the final port 0xf4).
want=$((PIO_COUNT + 1))
timed pio-trace 1 0 "$VMM" --trace-exits=1 "$G/pio.bin" >/dev/null || exit 1
dots=$(wc -c <"$TMPD/pio-trace.out")
[ "$dots" -eq "$PIO_COUNT" ] || die "pio-vmm: $dots bytes on stdout, expected $PIO_COUNT"
[ -z "$(tr -d . <"$TMPD/pio-trace.out" | head -c 20)" ] || die "pio-vmm: stdout holds more than dots"
summary=$(grep -E '^exits: [0-9]+ total' "$TMPD/pio-trace.err" || true)
[ -n "$summary" ] || die "pio-vmm: no 'exits: N total' line from --trace-exits"
echo "pio:        vmm  $summary"
exits_vmm=$(sed -nE 's/^exits: ([0-9]+) total.*/\1/p' <<<"$summary")
io_vmm=$(sed -nE 's/.*, IO ([0-9]+).*/\1/p' <<<"$summary")
if [ "$exits_vmm" != "$want" ] || [ "$io_vmm" != "$want" ]; then
    die "pio-vmm: $exits_vmm exits ($io_vmm IO), expected $want IO exits and no others"
fi
bare_line=$(grep -E '^bare_kvm: [0-9]+ IO exits' "$TMPD/pio-bare.err" || true)
echo "pio:        bare $bare_line"
io_bare=$(sed -nE 's/^bare_kvm: ([0-9]+) IO exits.*/\1/p' <<<"$bare_line")
[ "$io_bare" = "$want" ] || die "pio-bare: '${io_bare:-?}' IO exits, expected $want"

# check_loop SIDE WALL START: the loop must take measurably longer than start-up.
check_loop() {
    [ "$(calc "($2 > $3 + 1)")" = 1 ] || die "pio-$1: loop time $2 ms is not above start-up time $3 ms"
}
check_loop vmm "$pio_vmm" "$first_vmm"
check_loop bare "$pio_bare" "$first_bare"
rate_vmm=$(calc "$PIO_COUNT / (($pio_vmm - $first_vmm) / 1000)")
rate_bare=$(calc "$PIO_COUNT / (($pio_bare - $first_bare) / 1000)")
first_ratio=$(calc "$first_vmm / $first_bare")
fresh_ratio=$(calc "$fresh_vmm / $fresh_bare")
rate_ratio=$(calc "$rate_vmm / $rate_bare")

cat >"$OUT/results.txt" <<EOF
# mini-kvm bench, $(date -u '+%Y-%m-%dT%H:%M:%SZ'), $(uname -r); ratio = vmm / bare
first_insn_ms.vmm $(calc "$first_vmm" %.3f)
first_insn_ms.bare $(calc "$first_bare" %.3f)
first_insn_ms.ratio $(calc "$first_ratio" %.2f)
first_insn_ms.runs $RUNS_FIRST
# first_insn: the probe from its cache; first_insn_fresh: --no-probe-cache
first_insn_fresh_ms.vmm $(calc "$fresh_vmm" %.3f)
first_insn_fresh_ms.bare $(calc "$fresh_bare" %.3f)
first_insn_fresh_ms.ratio $(calc "$fresh_ratio" %.2f)
# probe_ms: from vmm --probe, which also probes the irqchip (a plain start does not)
probe_ms.vmm $probe
pio_exits_per_s.vmm $(calc "$rate_vmm" %.0f)
pio_exits_per_s.bare $(calc "$rate_bare" %.0f)
pio_exits_per_s.ratio $(calc "$rate_ratio" %.2f)
pio_us_per_exit.vmm $(calc "1e6 / $rate_vmm" %.3f)
pio_us_per_exit.bare $(calc "1e6 / $rate_bare" %.3f)
pio_exits_per_s.runs $RUNS_PIO
pio_count $PIO_COUNT
pio_io_exits.vmm $io_vmm
pio_io_exits.bare $io_bare
EOF

echo
printf '%-30s %12s %12s %9s\n' bench vmm "bare KVM" ratio
printf '%-30s %12.1f %12.1f %8.1fx\n' "time to first insn (ms)" "$first_vmm" "$first_bare" "$first_ratio"
printf '%-30s %12.1f %12.1f %8.1fx\n' "  --no-probe-cache (ms)" "$fresh_vmm" "$fresh_bare" "$fresh_ratio"
printf '%-30s %12.1f %12s %9s\n' "  host probe, --probe (ms)" "$probe" - -
printf '%-30s %12.0f %12.0f %9.2f\n' "port-I/O exits/s" "$rate_vmm" "$rate_bare" "$rate_ratio"
printf '%-30s %12.2f %12.2f %8.2fx\n' "  us per exit" "$(calc "1e6 / $rate_vmm")" "$(calc "1e6 / $rate_bare")" \
    "$(calc "$rate_bare / $rate_vmm")"
echo "(ratio = vmm / bare; the first row takes the host probe from its cache; --probe also probes the irqchip, which a plain start skips: see README)"

# 3. gdb: stepi, memory dump and breakpoint hit rates, against QEMU's gdbstub.
if [ "${BENCH_GDB:-1}" != skip ]; then
    "$TOP/tests/bench/gdb.sh" "$OUT/results.txt" || die "gdb benchmarks (tests/bench/gdb.sh)"
fi

# 4. gdb's `next` over a 10,000-iteration loop with range stepping on and off.
if [ "${BENCH_RANGE:-1}" != skip ]; then
    BUILD=$BUILD "$TOP/tests/bench/rangestep.sh" "$OUT/results.txt" || die "range-stepping bench (tests/bench/rangestep.sh)"
fi

# 4b. A watchpoint on a variable written 1,000 times: read-only page vs step-and-compare.
if [ "${BENCH_WATCH:-1}" != skip ]; then
    BUILD=$BUILD "$TOP/tests/bench/watch.sh" "$OUT/results.txt" || die "watchpoint bench (tests/bench/watch.sh)"
fi

# 5. Linux: the test kernel from its first instruction to /init, against QEMU.
if [ "${BENCH_LINUX:-1}" != skip ]; then
    BUILD=$BUILD "$TOP/tests/bench/linux.sh" "$OUT/results.txt" || die "Linux boot bench (tests/bench/linux.sh)"
fi
# 6. A boot sector's first BIOS output, against QEMU + SeaBIOS.
if [ "${BENCH_BIOS:-1}" != skip ]; then
    BUILD=$BUILD "$TOP/tests/bench/bios.sh" "$OUT/results.txt" || die "BIOS boot bench (tests/bench/bios.sh)"
fi
echo "(results in ${OUT#"$TOP"/}/results.txt)"
