#!/usr/bin/env bash
# gdb steps special/modeswitch from its first real-mode instruction into long mode and
# sees each mode as the CPU does: at every step x/i equals objdump's disassembly of
# that address for the mode the code runs in (i8086, i386, i386:x86-64), and gdb's
# architecture follows (i8086 -> i386 -> i386:x86-64). A stepi across a mode switch
# stops at the first instruction of the new mode (the catch-exec hooks of
# gdbinit/common.gdb); `continue` across one does not stop (see modeswitch.py).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm

SYMS=$G/special/modeswitch.sym.elf
addr() { nm "$SYMS" | awk -v s="$1" '$3 == s { print "0x" $1 }'; }
# the source's regions: code from each label on runs in one mode
# (16-bit from _start, 32-bit from pm32, 64-bit from lm64, then one puts per mode)
: >"$TMPD/modeswitch.objdump"
while read -r from to machine; do
    objdump -d -m "$machine" --start-address="$(addr "$from")" \
        ${to:+--stop-address="$(addr "$to")"} "$SYMS" |
        awk -F'\t' -v m="$machine" '/^ *[0-9a-f]+:\t/ && $3 != "" {
            a = $1; gsub(/[ :]/, "", a); print m "\t" a "\t" $3 }' >>"$TMPD/modeswitch.objdump"
done <<'REGIONS'
_start pm32 i8086
pm32 lm64 i386
lm64 puts16 i386:x86-64
puts16 puts32 i8086
puts32 puts64 i386
puts64 gdt i386:x86-64
REGIONS
export MODESWITCH_OBJDUMP=$TMPD/modeswitch.objdump

# gdbinit/common.gdb's conditional `catch exec` and stepping hooks: a stepi across a
# switch stops at the new mode's first instruction, continue goes on
hooks=$TOP/gdbinit/common.gdb

start_vmm_gdb "$G/special/modeswitch.bin" || exit 0
run_gdb modeswitch "source $hooks" "file $SYMS" "target remote 127.0.0.1:$PORT" \
    "source $TOP/tests/gdb/modeswitch.py"
wait_vmm 20
check_eq modeswitch_vmm_status "$VRC" 0
check_eq modeswitch_output "$(cat "$TMPD/vmm.out")" "$(printf 'real mode\nprotected mode\nlong mode')"
bad=$(grep -E "too long|badly formatted|Remote failure|Truncated" "$TMPD/modeswitch.gdb" | head -3)
check_eq modeswitch_no_protocol_complaints "$bad" ""

# continue from the first instruction crosses both switches without a stop
start_vmm_gdb "$G/special/modeswitch.bin" || exit 0
run_gdb modeswitch_continue "source $hooks" "file $SYMS" "target remote 127.0.0.1:$PORT" \
    "python stops = []" "python gdb.events.stop.connect(stops.append)" "continue" \
    "python check_eq('modeswitch_continue_no_stop', len(stops), 0)" \
    "python check_eq('modeswitch_continue_exit_code_0', last['exit'], 0)"
wait_vmm 20
check_eq modeswitch_continue_vmm_status "$VRC" 0
bad=$(grep -E "Catchpoint [0-9]+ \(exec'd|too long|badly formatted|Remote failure" "$TMPD/modeswitch_continue.gdb" | head -3)
check_eq modeswitch_continue_quiet "$bad" ""
