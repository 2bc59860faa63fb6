#!/usr/bin/env bash
# gdb in ring 3: breakpoints and single steps in a user program, on hosts that
# report them and on hosts that deliver them to the guest (caught at its gates).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm

host_probe
hw3=$(host_row 'DR0-3 execution breakpoint in ring 3 exits')
py_hw3=False
[ "$hw3" = yes ] && py_hw3=True
start_vmm_gdb "$G/long/user3.elf" || exit 1
run_gdb user3 "python HWBP_RING3 = $py_hw3" "file $G/long/user3.elf" \
    "target remote 127.0.0.1:$PORT" "source $TOP/tests/gdb/user3.py"
wait_vmm 20
if [ "$hw3" = no ]; then
    check_match user3_hbreak_refusal_says_why "$(cat "$TMPD/vmm.err")" \
        "hbreak at 0x[0-9a-f]+ refused: it is user \(ring-3\) code, and this host's debug registers never fire in ring 3"
fi
check_eq user3_vmm_status "$VRC" 0
check_eq user3_output "$(cat "$TMPD/vmm.out")" "$(printf 'kernel: entering ring 3\nuser result 15')"
