#!/usr/bin/env bash
# The test kernel boots through its real (LZ4) decompressor to the initramfs /init,
# which prints its marker and the kernel version, answers two commands typed on
# the serial console (receive and transmit interrupts of the 8250 driver), and
# powers off; the VMM sees the kernel halt and exits 0. The whole console log,
# with host timestamps, is kept in $BUILD/test-logs/linux-boot-console.log; the
# time to the marker and the number of exits are printed as "# " lines.
source "$(dirname "$0")/../lib.sh"
require_kvm
source "$(dirname "$0")/linuxlib.sh"
linux_assets

LIMIT=${LINUX_BOOT_LIMIT:-280}
LOG=$TOP/$BUILD/test-logs/linux-boot-console.log
mkdir -p "$(dirname "$LOG")"
mkfifo "$TMPD/in"
exec 3<>"$TMPD/in"
start=$(date +%s.%N)
( timeout --kill-after=5 "$LIMIT" "$VMM" --linux "$KERNEL" --initrd "$INITRD" \
      --cmdline "$LINUX_CMDLINE minikvm.shell" --trace-exits=1 <&3 2>"$TMPD/boot.err" \
      | timestamp_lines "$start" >"$TMPD/boot.log"; echo "${PIPESTATUS[0]}" >"$TMPD/rc" ) &
runner=$!

# wait_for REGEX SECONDS: until the console shows REGEX (false on timeout)
wait_for() {
    local i
    for i in $(seq $(($2 * 10))); do
        grep -Eq -- "$1" "$TMPD/boot.log" 2>/dev/null && return 0
        kill -0 "$runner" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

# the prompt has no newline: wait for the line before it
if wait_for '^ *[0-9.]+ init: shell' "$LIMIT"; then
    printf 'echo hello-from-the-host\n' >&3
    wait_for '^ *[0-9.]+ hello-from-the-host$' 60
    printf 'uname\n' >&3
    wait_for '^ *[0-9.]+ Linux 6' 60
    printf 'poweroff\n' >&3
fi
wait "$runner"
exec 3>&-
RC=$(cat "$TMPD/rc" 2>/dev/null || echo 255)
cp "$TMPD/boot.log" "$LOG"
out=$(cat "$TMPD/boot.log")
err=$(cat "$TMPD/boot.err")

check_eq linux_boot_status "$RC" 0
check_match linux_boot_decompressor_ran "$out" 'Decompressing Linux\.\.\. .*done\.'
check_match linux_boot_decompressor_done "$out" 'Booting the kernel'
check_match linux_boot_kernel_banner "$out" 'Linux version 6\.'
check_match linux_boot_serial_console "$out" 'console \[ttyS0\] enabled'
check_match linux_boot_initramfs_unpacked "$out" 'Unpacking initramfs'
check_match linux_boot_init_marker "$out" '^ *[0-9.]+ MINIKVM-INIT-OK$'
check_match linux_boot_init_proc_version "$out" 'init: Linux version 6\.'
check_match linux_boot_shell_echo "$out" '^ *[0-9.]+ hello-from-the-host$'
check_match linux_boot_shell_uname "$out" '^ *[0-9.]+ Linux 6\.[0-9.]+ #[0-9]+ .* x86_64$'
check_match linux_boot_poweroff_kernel "$out" 'reboot: System halted|reboot: Power down'
check_match linux_boot_poweroff_vmm "$err" 'the kernel halted with interrupts off'
check_match linux_boot_cmdline_shown "$err" 'vmm: linux: command line: console=ttyS0'

marker=$(sed -n 's/^ *\([0-9.]*\) MINIKVM-INIT-OK$/\1/p' "$TMPD/boot.log" | head -n 1)
exits=$(sed -n 's/^exits: \([0-9]*\) total.*/\1/p' "$TMPD/boot.err" | head -n 1)
echo "# boot to the /init marker: ${marker:-?} s (host clock), exits over the whole run: ${exits:-?}"
echo "# $(grep '^exits: ' "$TMPD/boot.err" | head -n 1)"
if [ -n "$marker" ] && awk -v m="$marker" 'BEGIN { exit !(m < 600) }'; then
    ok linux_boot_marker_under_10_minutes
else
    not_ok linux_boot_marker_under_10_minutes "marker at '${marker:-never}' s"
fi
