#!/usr/bin/env bash
# Plain gdb (no gdbinit, only `file` + `target remote`) against a 32-bit kernel in C
# (guests/c32: k32.elf): gdb's architecture is i386, break in the innermost function,
# bt with arguments, finish's returned value, next over a call, x/i against objdump
# (inc/dec/pusha/popa included), $eip/$esp, sizeof(void*), watch on a global, and the
# exit status 7 (see c32.py).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm

K=$G/c32/k32.elf
# objdump's text of every instruction of these functions, one "ADDR<tab>TEXT" a line
objdump -d "$K" | awk -F'\t' '
    /^[0-9a-f]+ <[^>]*>:$/ { fn = $0; sub(/^[0-9a-f]+ </, "", fn); sub(/>:$/, "", fn) }
    /^ *[0-9a-f]+:\t/ && fn ~ /^(_start|add|sum_to|shuffle)$/ && $3 != "" {
        a = $1; gsub(/[ :]/, "", a); print a "\t" $3 }' >"$TMPD/c32.objdump"
export C32_OBJDUMP=$TMPD/c32.objdump C32_SOURCE=$TOP/guests/c32/kmain.c

# Software breakpoints in ring 0 need a host that reports the int3 (or gives up on
# it), or whose debug registers fire in ring 0 (they then stand in for the int3)
host_probe
if [ "$(host_row 'int3 in ring 0 with USE_SW_BP exits \(DEBUG #3\)')" = yes ] ||
   [ "$(host_row 'int3 in ring 0 is an emulation failure instead')" = yes ] ||
   [ "$(host_row 'DR0-3 execution breakpoint in ring 0 exits')" = yes ]; then
    export C32_BREAK_OK=1
else
    export C32_BREAK_OK=0 C32_BREAK_WHY="this host neither reports an int3 in ring 0 nor fails on it (vmm --probe): a software breakpoint would reach the guest"
fi
start_vmm_gdb "$K" || exit 0
run_gdb c32 "file $K" "target remote 127.0.0.1:$PORT" "source $TOP/tests/gdb/c32.py"
wait_vmm 20
check_eq c32_vmm_status "$VRC" 7
check_eq c32_guest_output "$(cat "$TMPD/vmm.out")" \
    "$(printf 'c32: hello from C\nc32: sum_to(4) = 10\nc32: counter = 111')"
# what gdb printed at its stops (stop printing does not reach a Python string)
if [ "$C32_BREAK_OK" = 1 ]; then
    check_gdb_log c32_break_add_printed c32 '^Breakpoint 1, add \(a=0, b=1\) at .*kmain\.c:[0-9]+$'
    check_gdb_log c32_finish_value_returned c32 '^Value returned is \$[0-9]+ = 1$'
fi
check_gdb_log c32_watch_new_value_10 c32 '^New value = 10$'
check_gdb_log c32_watch_new_value_111 c32 '^New value = 111$'
check_gdb_log c32_exited_code_7 c32 '^\[Inferior 1 \(.*\) exited with code 07\]$'
bad=$(grep -E "too long|badly formatted|Remote failure|Truncated|warning:" "$TMPD/c32.gdb" | head -3)
check_eq c32_no_gdb_complaints "$bad" ""
