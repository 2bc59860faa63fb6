#!/usr/bin/env bash
# Launch to a boot sector's first int 10h output: `vmm --disk int10.bin` against
# QEMU + SeaBIOS booting the same image as an IDE disk (tests/bench/README.md,
# "BIOS boot"). Each side runs only where it can: ours needs /dev/kvm, QEMU must be
# installed; QEMU uses KVM when it can open /dev/kvm and run with it, else TCG, and
# the row says which. Prints the rows and appends "key value" lines to RESULTS.
#   tests/bench/bios.sh [RESULTS-FILE]
set -euo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD:-build}
case "$BUILD" in /*) B=$BUILD ;; *) B=$TOP/$BUILD ;; esac
RESULTS=${1:-/dev/null}
IMG=$B/guests/bench/int10.bin
OUT=$B/bench
RUNS_VMM=${BENCH_RUNS_BIOS:-20}
RUNS_QEMU=${BENCH_RUNS_BIOS_QEMU:-5}
QEMU=${QEMU:-qemu-system-x86_64}
TMPD=$(mktemp -d /tmp/mkvm-bench-bios.XXXXXX)
trap 'rm -rf "$TMPD"' EXIT
die() { echo "bench-bios: FAILED: $*" >&2; exit 1; }

[ -e "$IMG" ] || die "$IMG is missing: run 'make all' first"
if [ ! -x "$OUT/timerun" ] || [ "$TOP/tests/bench/timerun.c" -nt "$OUT/timerun" ]; then
    mkdir -p "$OUT"
    ${CC:-cc} -std=gnu11 -O2 -g -Wall -Wextra -o "$OUT/timerun" "$TOP/tests/bench/timerun.c" ||
        die "cannot build tests/bench/timerun.c"
fi

# timed NAME RUNS STATUS CMD...: the median wall time in ms; stdout in $TMPD/NAME.out
timed() {
    local name=$1 runs=$2 status=$3 res; shift 3
    res=$("$OUT/timerun" -n "$runs" -s "$status" -t 120 -o "$TMPD/$name.out" \
          -e "$TMPD/$name.err" -- "$@" 2>"$TMPD/$name.timerun") ||
        { cat "$TMPD/$name.timerun" "$TMPD/$name.err" >&2; die "$name: $*"; }
    echo "${res%% *}"
}

vmm_ms=- qemu_ms=- accel=-
if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
    vmm_ms=$(timed vmm "$RUNS_VMM" 42 "$B/vmm" --disk "$IMG")
    [ "$(cat "$TMPD/vmm.out")" = A ] || die "vmm: stdout '$(head -c 40 "$TMPD/vmm.out")', expected 'A'"
    echo "bios:       vmm  median $vmm_ms ms over $RUNS_VMM runs (launch to int 10h output and exit)"
else
    echo "bios:       vmm  not measured: /dev/kvm is not usable here"
fi
if command -v "$QEMU" >/dev/null; then
    qemu_args=(-nodefaults -display none -vga std -m 16 -no-reboot
               -drive "file=$IMG,format=raw,if=ide" -boot c
               -device isa-debug-exit,iobase=0xf4,iosize=4)
    accel=tcg
    if [ -r /dev/kvm ] && [ -w /dev/kvm ] &&
        timeout 120 "$QEMU" -accel kvm "${qemu_args[@]}" >/dev/null 2>&1 </dev/null; [ $? = 85 ]; then
        accel=kvm
    fi
    qemu_ms=$(timed qemu "$RUNS_QEMU" 85 "$QEMU" -accel "$accel" "${qemu_args[@]}")
    echo "bios:       qemu median $qemu_ms ms over $RUNS_QEMU runs ($("$QEMU" --version | head -n 1), SeaBIOS, -accel $accel)"
else
    echo "bios:       qemu not measured: $QEMU is not installed"
fi
printf '%-30s %12s %12s   %s\n' "launch to first int 10h (ms)" "$vmm_ms" "$qemu_ms" "QEMU+SeaBIOS, -accel $accel"
{
    echo "bios_first_int10_ms.vmm $vmm_ms"
    echo "bios_first_int10_ms.qemu $qemu_ms"
    echo "bios_first_int10_ms.qemu_accel $accel"
} >>"$RESULTS"
