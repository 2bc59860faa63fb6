#!/usr/bin/env bash
# os-1k under gdb with full symbols, through gdbinit/os-1k.py: kernel_main with
# next/step/bt/finish/print, the UART's IRQ 4, a breakpoint in the ring-3 shell,
# the system-call handler with a backtrace into the shell, cr3 in three processes,
# a user fault, and a watchpoint on the timer's tick counter (see os1k.py).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm

OS=$BUILD/os-1k
if [ ! -f "$TOP/$OS/kernel.elf" ]; then
    not_ok os1k_gdb_built "no $TOP/$OS/kernel.elf (make os1k)"
    exit 0
fi
cp "$TOP/$OS/disk.tar" "$TMPD/disk.tar"
# The shell reads this at once: a child process for the cr3 and fault checks.
printf 'crash-kernel-read\n' >"$TMPD/in"

VMM_STDIN=$TMPD/in start_vmm_gdb --irqchip --disk "$TMPD/disk.tar" "$TOP/$OS/kernel.elf" || exit 0

cd "$TMPD" || exit 1 # the gdbinit works from any directory
run_gdb os1k "set \$os1k_port = $PORT" "set \$os1k_dir = \"$TOP/$OS\"" \
    "source $TOP/gdbinit/os-1k.py" "source $TOP/tests/gdb/os1k.py" "kill"
wait_vmm 20
check_eq os1k_gdb_vmm_status "$VRC" 137
out=$(cat "$TMPD/vmm.out")
check_match os1k_gdb_banner "$out" '^os-1k: Operating System in 1000 Lines'
check_match os1k_gdb_child_killed "$out" '^process 2 killed$'
check_match os1k_gdb_shell_on "$out" '^crash: the program ended with status -1$'
