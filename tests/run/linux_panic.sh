#!/usr/bin/env bash
# A kernel panic ends the run: /init exits (minikvm.exit on the command line), the
# kernel panics "Attempted to kill init", and the VMM ends with status 123 and one
# line naming the panic, seconds after the panic instead of spinning until a timeout.
# With the user's own panic=0 (no reset), the grace period ends it; panic=-1 is added
# (and announced) only when the user gave no panic=.
# test-timeout: 600
source "$(dirname "$0")/../lib.sh"
require_kvm
source "$(dirname "$0")/linuxlib.sh"
linux_assets

LIMIT=${LINUX_BOOT_LIMIT:-280}

# panic_run NAME CMDLINE: runs the kernel to its end; sets RC, OUT, ERR, AFTER (seconds
# from the panic line to the VMM's end, host clock)
panic_run() {
    local name=$1 cmdline=$2 start
    start=$(date +%s.%N)
    timeout --kill-after=5 "$LIMIT" "$VMM" --linux "$KERNEL" --initrd "$INITRD" \
        --cmdline "$cmdline" 2>"$TMPD/$name.err" </dev/null |
        timestamp_lines "$start" >"$TMPD/$name.out"
    RC=${PIPESTATUS[0]}
    local end panic_at
    end=$(awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN { print a - b }')
    OUT=$(cat "$TMPD/$name.out")
    ERR=$(cat "$TMPD/$name.err")
    panic_at=$(sed -n 's/^ *\([0-9.]*\) .*Kernel panic - not syncing.*/\1/p' "$TMPD/$name.out" | head -n 1)
    AFTER=
    [ -n "$panic_at" ] && AFTER=$(awk -v e="$end" -v p="$panic_at" 'BEGIN { printf "%.1f", e - p }')
    echo "# $name: status $RC, ended ${AFTER} s after the panic line"
}

panic_run reset "$LINUX_CMDLINE minikvm.exit"
check_eq linux_panic_status "$RC" 123
check_match linux_panic_init_exited "$OUT" 'init: exiting \(minikvm\.exit\)'
check_match linux_panic_kernel_line "$OUT" 'Kernel panic - not syncing: Attempted to kill init'
check_match linux_panic_cmdline_added "$ERR" 'added to the kernel command line: panic=-1 \(a panic resets'
check_match linux_panic_vmm_names_it "$ERR" '^vmm: linux: vcpu 0: Kernel panic - not syncing: Attempted to kill init'
check_match linux_panic_vmm_reason "$ERR" '^vmm: linux: the kernel panicked \(Kernel panic - not syncing: Attempted to kill init.*\); it reset, ending the run with status 123$'
check_lt linux_panic_ends_within_5s "$AFTER" 5

panic_run hang "$LINUX_CMDLINE minikvm.exit panic=0"
check_eq linux_panic_hang_status "$RC" 123
check_no_match linux_panic_hang_user_setting_kept "$ERR" 'panic=-1'
check_match linux_panic_hang_reason "$ERR" 'it did not reset \(panic= of the command line\), ending the run with status 123'
check_lt linux_panic_hang_ends_within_15s "$AFTER" 15
