#!/usr/bin/env bash
# Register writes from gdb in real and long mode, with refused values.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm

while IFS='|' read -r mode image syms; do
    start_vmm_gdb "$G/$image" || continue
    run_gdb "$mode" "file $G/$syms" "target remote 127.0.0.1:$PORT" \
        "set \$_mode_name = \"$mode\"" "source $TOP/tests/gdb/regwrite.py"
    wait_vmm 20
    check_eq "${mode}_regwrite_vmm_status" "$VRC" 3
done <<'TABLE'
real|real/dbg16.bin|real/dbg16.sym.elf
long|long/dbg64.elf|long/dbg64.elf
TABLE
