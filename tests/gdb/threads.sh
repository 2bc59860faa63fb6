#!/usr/bin/env bash
# Four parallel guests under gdb: four threads, a breakpoint in one stops all,
# stepping one thread (scheduler-locking on) leaves the others where they are.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm

start_vmm_gdb "$G/real/dbg16.bin" "$G/real/spin.bin" "$G/real/spin.bin" "$G/real/spin.bin" || exit 1
run_gdb threads "file $G/real/dbg16.sym.elf" "target remote 127.0.0.1:$PORT" \
    "source $TOP/tests/gdb/threads.py" "kill"
wait_vmm 20
check_eq threads_kill_status "$VRC" 137

# kill ends the run with 137 even when a guest already ended with its own status
# (special/exitcode ends at once with 42; the spinning guest keeps the run going)
start_vmm_gdb --gdb-nowait "$G/special/exitcode.bin" "$G/real/spin.bin" || exit 1
sleep 1 # exitcode has ended by now (its vCPU is done)
run_gdb threads_kill "target remote 127.0.0.1:$PORT" "kill"
wait_vmm 20
check_eq threads_kill_after_guest_status_is_137 "$VRC" 137
