#!/usr/bin/env bash
# monitor commands from gdb, and the debug-register budget.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm

start_vmm_gdb "$G/long/dbg64.elf" || exit 1
run_gdb monitor "file $G/long/dbg64.elf" "target remote 127.0.0.1:$PORT" \
    "source $TOP/tests/gdb/monitor.py" "kill"
for pat in "phys: 0xfffff000 \+ 0x10 is outside guest RAM" "unknown monitor command 'bogus'" \
           "You may have requested too many hardware breakpoints"; do
    check_match "monitor_says_${pat%% *}" "$(cat "$TMPD/monitor.gdb")" "$pat"
done
check_match monitor_fifth_hbreak_reason "$(cat "$TMPD/vmm.err")" \
    '^vmm: hbreak at 0x[0-9a-f]+ refused: the 4 debug registers are taken, 4 by gdb$'
wait_vmm 20
check_eq monitor_kill_status "$VRC" 137
