#!/usr/bin/env bash
# Linux boot bench: wall time from starting the VMM to the test initramfs's
# /init marker (MINIKVM-INIT-OK), the test kernel through its real decompressor,
# next to qemu-system-x86_64 -enable-kvm on the same kernel, initramfs and command
# line in the same run. Appends `linux_boot_s.{vmm,qemu,ratio}` to FILE.
# QEMU is installed by tests/bench/gdb.sh (which runs first); if it is missing the
# QEMU column says why. Both runs are bounded by LIMIT seconds.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
VMM=$TOP/$BUILD/vmm
OUTF=${1:-/dev/null}
LIMIT=${BENCH_LINUX_LIMIT:-600}
LX=${LINUX_OUT:-$TOP/build/linux}
TMPD=$(mktemp -d /tmp/mkvm-bench-linux.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done; rm -rf "$TMPD"; }
trap cleanup EXIT

if ! "$TOP/linux-boot/build-kernel.sh" >"$TMPD/k.log" 2>&1 || ! "$TOP/linux-boot/mkinitramfs.sh" >>"$TMPD/k.log" 2>&1; then
    echo "linux bench: no test kernel: $(tail -n 2 "$TMPD/k.log" | tr '\n' ' ')" >&2
    exit 1
fi

# time_to MARKER CMD...: seconds until CMD's output shows MARKER, or "na" (at
# once when the output shows FAIL_RE: QEMU keeps running a dead VM)
FAIL_RE='KVM internal error|emulation failure'
time_to() {
    local marker=$1; shift
    local out=$TMPD/out.$RANDOM t0 t
    t0=$(date +%s.%N)
    "$@" >"$out" 2>&1 </dev/null &
    local pid=$!
    PIDS+=("$pid")
    for _ in $(seq $((LIMIT * 10))); do
        if grep -q "$marker" "$out" 2>/dev/null; then
            t=$(date +%s.%N)
            kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
            echo "$t - $t0" | bc
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || break
        grep -Eq "$FAIL_RE" "$out" 2>/dev/null && break
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    grep -Eo "$FAIL_RE.{0,60}" "$out" | head -n 1 >"$TMPD/failed"   # time_to runs in $(...)
    echo "linux bench: no marker from $1: $(tail -c 300 "$out" | tr '\n' ' ')" >&2
    echo na
}

ours=$(time_to MINIKVM-INIT-OK "$VMM" --linux "$LX/bzImage" --initrd "$LX/initramfs.cpio")
# the VMM prints the switches it adds for this host; QEMU gets the same command line
cmdline=$("$VMM" --linux "$LX/bzImage" --initrd "$LX/initramfs.cpio" --timeout 0.01 2>&1 >/dev/null |
          sed -n 's/^vmm: linux: command line: //p' | head -n 1)
[ -n "$cmdline" ] || cmdline="console=ttyS0 earlyprintk=serial"
qemu=na why=
if command -v qemu-system-x86_64 >/dev/null 2>&1; then
    qemu=$(time_to MINIKVM-INIT-OK qemu-system-x86_64 -enable-kvm -m 256 -nodefaults -nographic \
           -serial stdio -no-reboot -kernel "$LX/bzImage" -initrd "$LX/initramfs.cpio" \
           -append "$cmdline panic=-1")
    FAILED=$(cat "$TMPD/failed" 2>/dev/null)
    [ "$qemu" = na ] && why="QEMU did not reach the marker${FAILED:+: $FAILED (the kernel's int3 self-test; docs/host-probe.md: this host's ring-0 int3 is an emulation failure QEMU cannot handle)}"
else
    why="qemu-system-x86_64 not installed"
fi
ratio=na
[ "$ours" != na ] && [ "$qemu" != na ] && ratio=$(echo "scale=2; $ours / $qemu" | bc)
printf '%-34s %10s %10s %8s\n' "linux boot to /init (s)" "$ours" "$qemu" "$ratio"
[ -n "$why" ] && echo "linux bench: qemu: $why"
{
    echo "# linux bench: ratio = vmm / qemu (times: below 1 means the VMM is faster); cmdline: $cmdline"
    echo "linux_boot_s.vmm $ours"
    echo "linux_boot_s.qemu $qemu"
    echo "linux_boot_s.ratio $ratio"
} >>"$OUTF"
[ "$ours" != na ]
