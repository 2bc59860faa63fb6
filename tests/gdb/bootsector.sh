#!/usr/bin/env bash
# Plain gdb against a tutorial boot sector (guests/boot/bootcs.S) whose first
# instruction is `ljmp $0x07c0, $start`: gdb describes the real-mode guest as i8086,
# $pc is linear (CS.base + IP), `break start` (a label after the jump, from the ELF32
# twin loaded with symbol-file) stops exactly once at 0x7c05, x/8i there is objdump's
# 16-bit disassembly of the image, and the run ends with status 5 (see bootsector.py).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm

B=$G/boot/bootcs.bin
S=$G/boot/bootcs.sym.elf
# objdump's 16-bit disassembly of the flat image at its linear addresses:
# "ADDR<tab>TEXT" a line
objdump -D -b binary -m i8086 --adjust-vma=0x7c00 "$B" |
    awk -F'\t' '/^ *[0-9a-f]+:\t/ && $3 != "" { a = $1; gsub(/[ :]/, "", a); print a "\t" $3 }' \
    >"$TMPD/boot.objdump"
export BOOT_OBJDUMP=$TMPD/boot.objdump

# Software breakpoints in real mode: the host reports the int3, or a debug register
# fires at the guest's vector-3 handler where the VMM catches it
host_probe
if [ "$(host_row 'int3 in real mode with USE_SW_BP exits \(DEBUG #3\)')" = yes ] ||
   [ "$(host_row 'DR0-3 execution breakpoint in ring 0 exits')" = yes ]; then
    export BOOT_BREAK_OK=1
else
    export BOOT_BREAK_OK=0 BOOT_BREAK_WHY="on this host an int3 in real mode neither exits nor can be caught at the guest's handler (vmm --probe): a software breakpoint would reach the guest"
fi

start_vmm_gdb "$B" || exit 0
run_gdb bootsector "symbol-file $S" "target remote 127.0.0.1:$PORT" \
    "source $TOP/tests/gdb/bootsector.py"
wait_vmm 20
check_eq bootsector_vmm_status "$VRC" 5
check_eq bootsector_guest_output "$(cat "$TMPD/vmm.out")" "Booted at 07C0:start"
[ "$BOOT_BREAK_OK" = 1 ] && check_gdb_log bootsector_break_printed bootsector '^Breakpoint 1, (0x0*7c05 in )?start \(\)$'
check_gdb_log bootsector_exited_code_5 bootsector '^\[Inferior 1 \(.*\) exited with code 05\]$'
bad=$(grep -E "too long|badly formatted|Remote failure|Truncated" "$TMPD/bootsector.gdb" | head -3)
check_eq bootsector_no_gdb_complaints "$bad" ""
