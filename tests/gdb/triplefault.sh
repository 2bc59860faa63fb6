#!/usr/bin/env bash
# A triple fault under gdb is a SIGSEGV stop at the faulting instruction, not the
# end of the VMM; after `kill` the VMM exits.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm

start_vmm_gdb "$G/special/triplefault.bin" || exit 1
run_gdb triplefault "file $G/special/triplefault.sym.elf" "target remote 127.0.0.1:$PORT" \
    "source $TOP/tests/gdb/triplefault.py" "kill"
wait_vmm 20
check_eq triplefault_kill_status "$VRC" 137
check_match triplefault_vmm_says "$(cat "$TMPD/vmm.err")" 'triple fault at rip 0x7c06; stopped for gdb'
