#!/usr/bin/env bash
# os-1k (the teaching OS): boots to its shell and is driven through stdin. Every
# command's output; a child that reads kernel memory and one that executes hlt are
# killed while the shell goes on; writefile reaches the host file and survives a
# fresh boot on the same disk; exit ends the VMM with status 0; input that arrives
# while the OS idles (the UART's IRQ 4); a missing, odd-sized and corrupt disk.
source "$(dirname "$0")/../lib.sh"

OS=$TOP/$BUILD/os-1k
EXP=$TOP/tests/run/expected
export RUN_LIMIT=${RUN_LIMIT:-60}
if [ ! -f "$OS/kernel.elf" ] || [ ! -f "$OS/disk.tar" ]; then
    not_ok os1k_built "no $OS/kernel.elf or disk.tar (make os1k)"
    exit 0
fi
boot() { run_vmm "$@" --irqchip "$OS/kernel.elf"; }

# section OUT CMD: what the shell printed for the command line CMD (up to the next prompt)
section() {
    awk -v cmd="> $2" 'f && /^> / { exit } f { print } $0 == cmd { f = 1 }' "$1"
}

# --- bad disks: the VMM refuses what it cannot use, before it needs KVM
run_vmm "$TMPD/missing" --irqchip --disk "$TMPD/nonexistent.tar" "$OS/kernel.elf"
check_eq os1k_disk_missing_status "$RC" 2
check_eq os1k_disk_missing_msg "$(cat "$TMPD/missing.err")" \
    "vmm: --disk $TMPD/nonexistent.tar: No such file or directory"
head -c 1000 "$OS/disk.tar" >"$TMPD/odd.tar"
run_vmm "$TMPD/odd" --irqchip --disk "$TMPD/odd.tar" "$OS/kernel.elf"
check_eq os1k_disk_odd_status "$RC" 2
check_match os1k_disk_odd_msg "$(cat "$TMPD/odd.err")" "^vmm: --disk $TMPD/odd.tar: size is not a whole number of 512-byte sectors"
require_kvm

# --- first boot: every command, input given all at once (the VMM and the kernel buffer it)
disk=$TMPD/disk.tar
cp "$OS/disk.tar" "$disk"
printf '%s\n' help hello ls 'readfile hello.txt' multiplication counter fibonacci \
    echo $'ab\x7fc' 'calc 10 + 5' 'calc 2 * 3 - 10' 'calc 10 + x' 'calc 7 / 0' timer foo \
    crash-kernel-read crash-privileged hello 'writefile hello.txt changed by the os1k test' \
    'writefile note.txt a new file' exit >"$TMPD/in1"
STDIN_FILE=$TMPD/in1 boot "$TMPD/out1" --disk "$disk"
out=$(cat "$TMPD/out1")
check_eq os1k_exit_status "$RC" 0
check_eq os1k_stderr "$(cat "$TMPD/out1.err")" ""
check_match os1k_banner "$out" '^os-1k: Operating System in 1000 Lines, x86-64 port$'
check_match os1k_fs_hello "$out" '^fs: hello.txt \([0-9]+ bytes\)$'
for c in hello ls readfile writefile multiplication counter fibonacci echo calc timer exit; do
    check_match "os1k_help_$c" "$(section "$TMPD/out1" help)" "^  $c"$'\t'
done
check_eq os1k_help_hides_crash "$(section "$TMPD/out1" help | grep -c crash)" 0
check_eq os1k_hello "$(section "$TMPD/out1" hello)" "Hello world from the shell!"
check_eq os1k_ls "$(section "$TMPD/out1" ls)" \
    "$(cd "$TOP/os-1k/disk" && for f in *.txt; do printf '%s\t%d bytes\n' "$f" "$(wc -c <"$f")"; done)"
check_eq os1k_readfile "$(section "$TMPD/out1" 'readfile hello.txt')" "$(cat "$TOP/os-1k/disk/hello.txt")"
check_eq os1k_multiplication "$(section "$TMPD/out1" multiplication)" "$(cat "$EXP/multiplication.out")"
check_eq os1k_counter "$(section "$TMPD/out1" counter)" "$(cat "$EXP/counter.out")"
check_eq os1k_fibonacci "$(section "$TMPD/out1" fibonacci)" "$(cat "$EXP/fibonacci.out")"
check_eq os1k_echo_backspace "$(section "$TMPD/out1" echo)" $'type a line: ab\b \bc\nyou typed: ac'
check_eq os1k_calc "$(section "$TMPD/out1" 'calc 10 + 5')" 15
check_eq os1k_calc_chain "$(section "$TMPD/out1" 'calc 2 * 3 - 10')" -4
check_match os1k_calc_bad "$(section "$TMPD/out1" 'calc 10 + x')" "^calc: expected a number at 'x'"
check_eq os1k_calc_div0 "$(section "$TMPD/out1" 'calc 7 / 0')" "calc: division by zero"
check_eq os1k_timer "$(section "$TMPD/out1" timer)" 'timer: .......... 10 ticks, 100 ms at 100 Hz'
check_eq os1k_unknown "$(section "$TMPD/out1" foo)" "unknown command: foo (try help)"

crash=$(section "$TMPD/out1" crash-kernel-read)
check_match os1k_crash_read_fault "$crash" \
    '^page fault \(vector 14\) in user mode: error=5 rip=00000000400[0-9a-f]{5} cr2=0000000000100000$'
check_match os1k_crash_read_dump "$crash" '^  rax=[0-9a-f]{16} rbx='
check_match os1k_crash_read_killed "$crash" '^process 2 killed$'
check_match os1k_crash_read_shell_on "$crash" '^crash: the program ended with status -1$'
crash=$(section "$TMPD/out1" crash-privileged)
check_match os1k_crash_hlt_fault "$crash" '^general protection \(vector 13\) in user mode: error=0 '
check_match os1k_crash_hlt_killed "$crash" '^process 2 killed$'
check_eq os1k_after_crashes "$(grep -c '^Hello world from the shell!$' "$TMPD/out1")" 2
check_eq os1k_no_panic "$(grep -c PANIC "$TMPD/out1")" 0
check_eq os1k_writefile "$(section "$TMPD/out1" 'writefile hello.txt changed by the os1k test')" \
    "wrote 25 bytes to hello.txt"
check_match os1k_exit_message "$out" '^process 1 exited with status 0$'

# --- the host file has the change, and it is still a ustar archive GNU tar reads
check_eq os1k_host_disk_grep "$(grep -c 'changed by the os1k test' "$disk")" 1
check_eq os1k_host_disk_tar "$(tar -xOf "$disk" hello.txt 2>&1)" "changed by the os1k test"
check_eq os1k_host_disk_size "$(stat -c %s "$disk")" "$(stat -c %s "$OS/disk.tar")"

# --- second boot, a new VMM on the same disk file
printf '%s\n' 'readfile hello.txt' 'readfile note.txt' ls exit >"$TMPD/in2"
STDIN_FILE=$TMPD/in2 boot "$TMPD/out2" --disk "$disk"
check_eq os1k_reboot_status "$RC" 0
check_eq os1k_reboot_readfile "$(section "$TMPD/out2" 'readfile hello.txt')" "changed by the os1k test"
check_eq os1k_reboot_new_file "$(section "$TMPD/out2" 'readfile note.txt')" "a new file"
check_match os1k_reboot_ls "$(section "$TMPD/out2" ls)" $'^note.txt\t11 bytes$'

# --- input that arrives while the OS idles: woken by the UART's receive interrupt
(sleep 0.5; printf 'hello\n'; sleep 0.3; printf 'exit\n') | {
    timeout --kill-after=5 "$RUN_LIMIT" "$VMM" --irqchip --disk "$disk" "$OS/kernel.elf" >"$TMPD/out3" 2>&1
    echo $? >"$TMPD/rc3"
}
check_eq os1k_late_input_status "$(cat "$TMPD/rc3")" 0
check_eq os1k_late_input_hello "$(section "$TMPD/out3" hello)" "Hello world from the shell!"

# --- a disk the kernel cannot parse: it starts with no files and the shell goes on
cp "$OS/disk.tar" "$TMPD/corrupt.tar"
printf 'X' | dd of="$TMPD/corrupt.tar" bs=1 seek=130 conv=notrunc status=none   # into the size field
printf '%s\n' ls hello exit >"$TMPD/in4"
STDIN_FILE=$TMPD/in4 boot "$TMPD/corrupt" --disk "$TMPD/corrupt.tar"
check_eq os1k_disk_corrupt_status "$RC" 0
check_match os1k_disk_corrupt_msg "$(cat "$TMPD/corrupt")" '^fs: corrupt tar header at byte 0 .*starting with no files$'
check_eq os1k_disk_corrupt_ls "$(section "$TMPD/corrupt" ls)" ""
check_eq os1k_disk_corrupt_shell "$(section "$TMPD/corrupt" hello)" "Hello world from the shell!"
STDIN_FILE=$TMPD/in4 boot "$TMPD/nodisk"
check_eq os1k_no_disk_status "$RC" 0
check_match os1k_no_disk_msg "$(cat "$TMPD/nodisk")" '^fs: no disk \(run the VMM with --disk FILE\)'
