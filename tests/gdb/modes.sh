#!/usr/bin/env bash
# gdb against the dbgtest guest in real, protected and long mode: attach at the first
# instruction, stepi, registers, memory, writes that change the guest's output,
# watch, hbreak, break, and the exit code.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm

# mode | image | symbol file | objdump machine | first instruction bytes
while IFS='|' read -r mode image syms machine first; do
    start_vmm_gdb "$G/$image" || continue
    # objdump's text of the first instruction, as gdb's x/i prints it (mnemonic, operands)
    at=$(nm "$G/$syms" | awk '$3 == "step0" { print $1 }')
    insn=$(objdump -d -m "$machine" --start-address=0x$at --stop-address=$((0x$at + 16)) "$G/$syms" |
           awk -F'\t' '/^ *[0-9a-f]+:\t/ { print $3; exit }')
    run_gdb "$mode" "file $G/$syms" "target remote 127.0.0.1:$PORT" \
        "set \$_mode_name = \"$mode\"" "set \$_first_bytes = \"$first\"" \
        "set \$_objdump_step0 = \"$insn\"" "source $TOP/tests/gdb/modes.py"
    wait_vmm 20
    check_eq "${mode}_vmm_status" "$VRC" 3
    check_eq "${mode}_guest_output" "$(cat "$TMPD/vmm.out")" "$(printf 'Z\n7')"
done <<'TABLE'
real|real/dbg16.bin|real/dbg16.sym.elf|i8086|66b90100
protected|protected/dbg32.elf|protected/dbg32.elf|i386|b9010000
long|long/dbg64.elf|long/dbg64.elf|i386:x86-64|b9010000
TABLE
