#!/usr/bin/env bash
# gdb in ring 3: breakpoints and single steps in a user program, on hosts that
# report them and on hosts that deliver them to the guest (caught at its gates).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm

start_vmm_gdb "$G/long/user3.elf" || exit 1
run_gdb user3 "file $G/long/user3.elf" "target remote 127.0.0.1:$PORT" "source $TOP/tests/gdb/user3.py"
wait_vmm 20
check_eq user3_vmm_status "$VRC" 0
check_eq user3_output "$(cat "$TMPD/vmm.out")" "$(printf 'kernel: entering ring 3\nuser result 15')"
