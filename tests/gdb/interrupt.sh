#!/usr/bin/env bash
# Ctrl-C (SIGINT to gdb) stops a spinning guest; a breakpoint set then is hit.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm

start_vmm_gdb "$G/real/spin.bin" || exit 1
# once its `continue` is under way: on a slow machine gdb may need seconds to connect
interrupt_gdb_at interrupt '# continuing now' 1 &
run_gdb interrupt "file $G/real/spin.sym.elf" "target remote 127.0.0.1:$PORT" \
    "source $TOP/tests/gdb/interrupt.py" "kill"
wait_vmm 20
check_eq interrupt_kill_status "$VRC" 137
