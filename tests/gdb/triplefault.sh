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

# After the triple-fault stop: `continue` reports the exit (status 125) to gdb
# instead of a closed connection; `detach` ends the VMM with 125 as without gdb.
start_vmm_gdb "$G/special/triplefault.bin" || exit 1
run_gdb tf_continue "file $G/special/triplefault.sym.elf" "target remote 127.0.0.1:$PORT" \
    'python ev, c, o = resume(); check_eq("triplefault_continue_first_stop", stop_kind(ev), "signal:SIGSEGV")' \
    'python ev, c, o = resume(); check_eq("triplefault_continue_reports_exit", c, 125)'
wait_vmm 20
check_eq triplefault_continue_vmm_status "$VRC" 125
check_eq triplefault_continue_no_closed_connection "$(grep -c 'Remote connection closed' "$TMPD/tf_continue.gdb")" 0
start_vmm_gdb "$G/special/triplefault.bin" || exit 1
run_gdb tf_detach "file $G/special/triplefault.sym.elf" "target remote 127.0.0.1:$PORT" \
    'python ev, c, o = resume(); check_eq("triplefault_detach_first_stop", stop_kind(ev), "signal:SIGSEGV")' \
    "detach"
wait_vmm 20
check_eq triplefault_detach_vmm_status "$VRC" 125
