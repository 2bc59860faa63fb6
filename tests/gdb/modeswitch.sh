#!/usr/bin/env bash
# gdb steps special/modeswitch from real mode through protected mode into long mode.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm

start_vmm_gdb "$G/special/modeswitch.bin" || exit 1
run_gdb modeswitch "file $G/special/modeswitch.sym.elf" "target remote 127.0.0.1:$PORT" \
    "source $TOP/tests/gdb/modeswitch.py"
wait_vmm 20
check_eq modeswitch_vmm_status "$VRC" 0
check_eq modeswitch_output "$(cat "$TMPD/vmm.out")" "$(printf 'real mode\nprotected mode\nlong mode')"
bad=$(grep -E "too long|badly formatted|Remote failure|Truncated" "$TMPD/modeswitch.gdb" | head -3)
check_eq modeswitch_no_protocol_complaints "$bad" ""
