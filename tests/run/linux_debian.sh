#!/usr/bin/env bash
# Debian's stock kernel (linux-boot/fetch-debian-kernel.sh), time-bounded. As a
# bzImage: the loader takes it and its decompressor prints its first line (its XZ
# decompression then takes hours where ring 0 is emulated: not waited for). As
# the uncompressed vmlinux (its payload, decompressed with the host's xz): it
# reaches `console [ttyS0] enabled`; that takes minutes (LINUX_SLOW_TESTS=0 leaves
# it out, as make check-asan does, and says so).
# test-timeout: 600
source "$(dirname "$0")/../lib.sh"
require_kvm
source "$(dirname "$0")/linuxlib.sh"

slow=${LINUX_SLOW_TESTS:-1}
args=()
[ "$slow" == 1 ] && args=(--vmlinux)
rc=0
"$TOP/linux-boot/fetch-debian-kernel.sh" "${args[@]}" >"$TMPD/fetch.log" 2>&1 || rc=$?
if [ "$rc" -ne 0 ]; then
    not_ok linux_debian_fetch "NO DEBIAN KERNEL WAS TESTED: fetch-debian-kernel.sh failed ($rc): $(tail -n 3 "$TMPD/fetch.log" | tr '\n' '|')"
    exit 0
fi
DEB=$LINUX_OUT/debian

# stop_at REGEX LIMIT OUT ARGS...: runs the VMM until its console shows REGEX
# (then stops it: the test has seen what it wanted) or LIMIT seconds pass.
stop_at() {
    local re=$1 limit=$2 out=$3 i; shift 3
    local t0=$SECONDS
    "$VMM" "$@" --timeout "$limit" >"$out" 2>"$out.err" </dev/null &
    local pid=$!
    for i in $(seq $((limit * 10))); do
        grep -Eq -- "$re" "$out" 2>/dev/null && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    ELAPSED=$((SECONDS - t0))
}

stop_at "KASLR disabled" 30 "$TMPD/bz" --linux "$DEB/vmlinuz" --cmdline "$LINUX_CMDLINE nokaslr"
check_match linux_debian_bzimage_loaded "$(cat "$TMPD/bz.err")" 'vmm: linux: command line: '
check_match linux_debian_bzimage_decompressor_first_line "$(cat "$TMPD/bz")" "KASLR disabled: 'nokaslr' on cmdline"
echo "# debian bzImage ($(cat "$DEB/package")): decompressor's first line after ${ELAPSED} s"

if [ "$slow" != 1 ]; then
    echo "# debian vmlinux: NOT RUN (LINUX_SLOW_TESTS=0); make test runs it"
    exit 0
fi
stop_at 'console \[ttyS0\] enabled' 480 "$TMPD/vl" --linux "$DEB/vmlinux" --cmdline "$LINUX_CMDLINE nokaslr"
check_match linux_debian_vmlinux_console "$(cat "$TMPD/vl")" 'console \[ttyS0\] enabled'
echo "# debian vmlinux: console [ttyS0] enabled after ${ELAPSED} s; last line: $(grep -v '^$' "$TMPD/vl" | tail -n 1)"
