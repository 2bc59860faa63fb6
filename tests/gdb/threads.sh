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
