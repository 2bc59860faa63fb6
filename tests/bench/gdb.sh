#!/usr/bin/env bash
# gdb benchmarks (issue 3; see tests/bench/README.md): the same gdb script,
# tests/bench/gdb_bench.py, times stepi, a 4 MiB memory dump and breakpoint
# hit-continue against our VMM and against qemu-system-x86_64 -enable-kvm, both
# running guests/bench/loop16.bin, the two sides taking turns session by session.
# Prints a table (ratio = vmm / qemu) and, with a FILE argument, appends the
# numbers to it one "key value" a line. A failure on our side exits 1; QEMU
# missing, failing to install or failing to start is reported loudly as
# "qemu: unavailable (reason)" and our numbers stand alone (exit 0).
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) B=$BUILD ;; *) B=$TOP/$BUILD ;; esac
VMM=$B/vmm
IMG=$B/guests/bench/loop16.bin
SYM=$B/guests/bench/loop16.sym.elf
RESULTS=${1:-}
ROUNDS=${BENCH_GDB_ROUNDS:-3}        # sessions per side
STEPS=${BENCH_GDB_STEPS:-2000}       # stepi per session
HITS=${BENCH_GDB_HITS:-500}          # continues per breakpoint kind and session
LIMIT=${BENCH_GDB_LIMIT:-60}         # seconds for one gdb session (~10 s normally)
BUDGET=${BENCH_GDB_BUDGET:-150}      # no new round this many seconds after the start
QEMU=${BENCH_QEMU:-qemu-system-x86_64}   # "skip" leaves QEMU out
APT_LIMIT=${BENCH_APT_LIMIT:-150}    # seconds for apt-get update + install

TMPD=$(mktemp -d /tmp/mkvm-gdbbench.XXXXXX)
VPID='' QPID='' GPID=''
# stop_pid PID: TERM, a moment's grace, then KILL; only the processes we started.
stop_pid() {
    local pid=$1 i
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 40; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() { stop_pid "$GPID"; stop_pid "$VPID"; stop_pid "$QPID"; rm -rf "$TMPD"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

die() { echo "bench: FAILED: $*" >&2; exit 1; }
show_err() { if [ -s "$1" ]; then sed 's/^/  | /' "$1" | tail -n 8 >&2; fi; }
calc() { awk "BEGIN { printf \"${2:-%s}\", ($1) }" </dev/null; }
stats() {
    sort -g | awk '{ v[NR] = $1 } END { if (!NR) exit 1
        printf "%.3f %.3f %.3f\n", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2, v[1], v[NR] }'
}

for f in "$VMM" "$IMG" "$SYM"; do
    [ -e "$f" ] || die "$f is missing: run 'make all' first"
done
command -v gdb >/dev/null || die "gdb is not installed"
[ "$(stat -c %s "$IMG")" = 512 ] || die "$IMG is not one 512-byte sector"
LOOP=$(nm "$SYM" | awk '$3 == "bench_loop" { print "0x" $1 }')
[ -n "$LOOP" ] || die "no bench_loop symbol in $SYM"

# --- QEMU: installed here when missing, never a test dependency ----------------
QEMU_WHY=
qemu_ensure() {
    if [ "$QEMU" = skip ]; then QEMU_WHY="BENCH_QEMU=skip"; return 1; fi
    command -v "$QEMU" >/dev/null && return 0
    if [ "$QEMU" != qemu-system-x86_64 ]; then QEMU_WHY="$QEMU not found"; return 1; fi
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
        QEMU_WHY="qemu-system-x86_64 missing and no root apt-get to install it"
        return 1
    fi
    echo "gdb bench: installing qemu-system-x86 with apt-get (at most ${APT_LIMIT}s)..." >&2
    if ! timeout --kill-after=10 "$APT_LIMIT" bash -c \
            'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-system-x86' \
            >"$TMPD/apt.log" 2>&1; then
        show_err "$TMPD/apt.log"
        QEMU_WHY="apt-get install qemu-system-x86 failed: $(tail -n 1 "$TMPD/apt.log")"
        return 1
    fi
    command -v "$QEMU" >/dev/null && return 0
    QEMU_WHY="apt-get installed qemu-system-x86 but there is no $QEMU"
    return 1
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' \
        2>/dev/null || echo $((20000 + RANDOM % 20000))
}

# The BIOS boots the image as a one-sector IDE disk: a floppy does not boot on
# the kvm_pvm hosts (SeaBIOS: "Timeout at floppy_wait_irq", the FDC's IRQ never
# arrives). The file is a copy so QEMU's lock and any write stay away from the
# build tree.
cp "$IMG" "$TMPD/loop16.img"

# start_qemu: QEMU stopped before its first instruction with its gdb stub on
# 127.0.0.1:QPORT; sets QPID, QPORT; returns 1 with QEMU_WHY set if it fails.
start_qemu() {
    local _ i st
    for _ in 1 2 3; do
        QPORT=$(free_port)
        : >"$TMPD/qemu.err"
        # -nodefaults: no NIC option ROM or VGA BIOS to run, which saves ~2 of the
        # ~9 s SeaBIOS takes here (ring-0 code is emulated on kvm_pvm). With
        # reboot-timeout=0 and -no-reboot a failed boot ends QEMU at once instead
        # of "No bootable device. Retrying in 60 seconds".
        "$QEMU" -enable-kvm -nodefaults -display none -serial null -monitor none -m 16 \
            -drive "file=$TMPD/loop16.img,format=raw,if=ide,index=0" -boot c,reboot-timeout=0 -no-reboot \
            -gdb "tcp:127.0.0.1:$QPORT" -S >"$TMPD/qemu.out" 2>"$TMPD/qemu.err" </dev/null &
        QPID=$!
        for ((i = 0; i < 200; i++)); do
            # Without ss, gdb's own connect retries (tcp connect-timeout) cover it.
            command -v ss >/dev/null || { sleep 1; return 0; }
            if ss -Hltn "sport = :$QPORT" 2>/dev/null | grep -q .; then return 0; fi
            kill -0 "$QPID" 2>/dev/null || break
            sleep 0.05
        done
        st="no gdb port open after 10 s"
        if ! kill -0 "$QPID" 2>/dev/null; then
            st=0; wait "$QPID" || st=$?; st="exit status $st"
        fi
        stop_pid "$QPID"; QPID=
        grep -q "in use" "$TMPD/qemu.err" || break
    done
    QEMU_WHY="QEMU did not start ($st): $(head -c 300 "$TMPD/qemu.err" | tr '\n' ' ')"
    return 1
}

start_vmm() {
    local i
    : >"$TMPD/vmm.err"    # before the background job opens it: sed reads it at once
    "$VMM" --gdb 127.0.0.1:0 "$IMG" >"$TMPD/vmm.out" 2>"$TMPD/vmm.err" </dev/null &
    VPID=$!
    for ((i = 0; i < 200; i++)); do
        VPORT=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$TMPD/vmm.err")
        [ -n "$VPORT" ] && return 0
        kill -0 "$VPID" 2>/dev/null || break
        sleep 0.05
    done
    show_err "$TMPD/vmm.err"
    die "vmm --gdb printed no 'listening on port' line"
}

# session SIDE ROUND PORT BOOT SWBREAK: one gdb session running gdb_bench.py;
# appends each "bench KEY VALUE" to $TMPD/SIDE.KEY. Returns 1 with WHY set
# when the session did not finish cleanly.
session() {
    local side=$1 port=$3 log="$TMPD/$1-$2.gdb" rc=0
    # In the background and waited for: a signal's trap then runs at once, not
    # after the session.
    BENCH_LOOP=$LOOP BENCH_BOOT=$4 BENCH_SWBREAK=$5 BENCH_STEPS=$STEPS BENCH_HITS=$HITS \
    BENCH_DUMP="$TMPD/$side.dump" BENCH_IMAGE="$IMG" \
        timeout --kill-after=5 "$LIMIT" gdb -nx -batch -ex "set pagination off" -ex "set confirm off" \
            -ex "set tcp connect-timeout 10" -ex "target remote 127.0.0.1:$port" \
            -ex "source $TOP/tests/bench/gdb_bench.py" -ex "kill" >"$log" 2>&1 </dev/null &
    GPID=$!
    wait "$GPID" || rc=$?
    GPID=
    WHY=
    if grep -q '^bench-error ' "$log"; then
        WHY=$(sed -n 's/^bench-error //p' "$log" | head -n 1)
    elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
        WHY="gdb session timed out after ${LIMIT}s in stage '$(sed -n 's/^stage //p' "$log" | tail -n 1)'"
    elif ! grep -q '^bench-done$' "$log"; then
        WHY="gdb session ended early (status $rc): $(grep -v '^\(Breakpoint\|0x\|$\)' "$log" | tail -n 2 | tr '\n' ' ')"
    fi
    [ -z "$WHY" ] || return 1
    while read -r _ key val; do
        echo "$val" >>"$TMPD/$side.$key"
    done < <(grep '^bench [a-z_]* [0-9.]*$' "$log")
}

# A session ends with gdb's `kill`; the target should go by itself, else stop it.
reap() {
    local pid=$1 i
    for ((i = 0; i < 60; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    stop_pid "$pid"
}

qemu_ok=0
if qemu_ensure; then qemu_ok=1; fi
QEMU_VERSION=
[ "$qemu_ok" = 0 ] || QEMU_VERSION=$("$QEMU" --version 2>/dev/null | head -n 1 || true)

for ((r = 1; r <= ROUNDS; r++)); do
    if [ "$r" -gt 1 ] && [ "$SECONDS" -gt "$BUDGET" ]; then
        echo "gdb bench: WARNING: over the ${BUDGET}s budget after $((r - 1)) rounds; stopping there" >&2
        ROUNDS=$((r - 1))
        break
    fi
    start_vmm
    if ! session vmm "$r" "$VPORT" 0 1; then
        grep -v '^\(Breakpoint\|0x\|$\)' "$TMPD/vmm-$r.gdb" >"$TMPD/gdb.err" || true
        show_err "$TMPD/gdb.err"
        show_err "$TMPD/vmm.err"
        die "gdb vs vmm, round $r: $WHY"
    fi
    reap "$VPID"; VPID=
    if [ "$qemu_ok" = 1 ]; then
        if start_qemu; then
            if session qemu "$r" "$QPORT" 1 0; then :; else
                QEMU_WHY="round $r: $WHY; qemu stderr: $(head -c 300 "$TMPD/qemu.err" | tr '\n' ' ')"
                qemu_ok=0
            fi
            reap "$QPID"; QPID=
        else
            qemu_ok=0
        fi
    fi
    line="gdb bench round $r/$ROUNDS:"
    for side in vmm qemu; do
        # only a side whose session this round gave numbers
        if [ ! -s "$TMPD/$side.stepi_per_s" ] || [ "$(wc -l <"$TMPD/$side.stepi_per_s")" != "$r" ]; then
            continue
        fi
        line+=" $side"
        for k in stepi_per_s dump_mib_per_s hbreak_hits_per_s break_hits_per_s; do
            [ -s "$TMPD/$side.$k" ] && line+=" ${k%%_*} $(tail -n 1 "$TMPD/$side.$k")"
        done
        [ ! -s "$TMPD/$side.boot_s" ] || line+=" (BIOS $(tail -n 1 "$TMPD/$side.boot_s") s)"
    done
    echo "$line" >&2
done

# med SIDE KEY: the median over the rounds, or "na".
med() {
    local res
    if [ -s "$TMPD/$1.$2" ] && res=$(stats <"$TMPD/$1.$2"); then echo "${res%% *}"; else echo na; fi
}
ratio() { if [ "$1" = na ] || [ "$2" = na ]; then echo na; else calc "$1 / $2" %.2f; fi; }

rows=(stepi_per_s dump_mib_per_s hbreak_hits_per_s break_hits_per_s)
labels=("stepi (steps/s)" "memory read, dump (MiB/s)" "hbreak hit+continue (hits/s)"
        "break hit+continue (hits/s)")
[ "$qemu_ok" = 0 ] || [ -s "$TMPD/qemu.stepi_per_s" ] || { qemu_ok=0; QEMU_WHY="no numbers from the qemu sessions"; }
declare -A V Q R
for k in "${rows[@]}"; do
    V[$k]=$(med vmm "$k")
    [ "${V[$k]}" != na ] || die "no $k numbers from the vmm sessions"
    if [ "$qemu_ok" = 1 ]; then Q[$k]=$(med qemu "$k"); else Q[$k]=na; fi
    R[$k]=$(ratio "${V[$k]}" "${Q[$k]}")
done

if [ "$qemu_ok" = 0 ]; then
    # Loud on both streams: a table without its comparison column is easy to misread.
    echo "qemu: unavailable ($QEMU_WHY)"
    echo "gdb bench: WARNING: qemu: unavailable ($QEMU_WHY); our numbers stand alone" >&2
fi

if [ -n "$RESULTS" ]; then
    {
        echo "# gdb bench: ratio = vmm / qemu (rates: above 1 means the VMM is faster)"
        for k in "${rows[@]}"; do
            echo "gdb_$k.vmm ${V[$k]}"
            echo "gdb_$k.qemu ${Q[$k]}"
            echo "gdb_$k.ratio ${R[$k]}"
        done
        echo "gdb_stepi_count $STEPS"
        echo "gdb_hits_count $HITS"
        echo "gdb_rounds $ROUNDS"
        if [ "$qemu_ok" = 1 ]; then echo "gdb_qemu_bios_s $(med qemu boot_s)"; else echo "gdb_qemu_bios_s na"; fi
        if [ "$qemu_ok" = 1 ]; then echo "gdb_qemu ${QEMU_VERSION:-unknown version}"
        else echo "gdb_qemu unavailable: $QEMU_WHY"; fi
    } >>"$RESULTS"
fi

echo
printf '%-30s %12s %12s %9s\n' "gdb bench" vmm qemu ratio
for i in "${!rows[@]}"; do
    k=${rows[$i]}
    q=${Q[$k]}; ra=${R[$k]}
    [ "$q" = na ] || q=$(calc "$q" %.1f)
    # QEMU's software breakpoints on the kvm_pvm hosts: in real mode the int3 goes
    # to the guest and no hit is ever reported; in ring 0 its VM dies (docs/host-probe.md).
    [ "$k" != break_hits_per_s ] || { q="-"; ra="-"; }
    printf '%-30s %12.1f %12s %9s\n' "${labels[$i]}" "${V[$k]}" "$q" "$ra"
done
echo "(median of $ROUNDS gdb sessions a side: $STEPS stepi, $HITS continues a breakpoint kind;" \
     "ratio = vmm / qemu, above 1: the VMM is faster; break: VMM only)"
[ "$qemu_ok" = 0 ] || echo "(qemu: $QEMU_VERSION, -enable-kvm; its BIOS takes $(calc "$(med qemu boot_s)" %.1f) s to reach 0x7c00, not counted)"
