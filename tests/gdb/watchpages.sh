#!/usr/bin/env bash
# Watchpoints beyond the four debug registers (guests/c32watch, watchpages.py): the
# same six watches through read-only pages, by step-and-compare, and as gdb's own
# software watchpoints (the reference, gdb stepping and comparing itself) stop at
# the same places with the same values; the guest's writes land (its checksum
# status equals a run without gdb); a debug register refuses what it cannot watch.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm
GDB_LIMIT=60 # a whole session takes seconds

K=$G/c32watch/watch.elf
export WP_SOURCE=$TOP/guests/c32watch/watch.c
timeout 60 "$VMM" "$K" >/dev/null 2>"$TMPD/plain.err"
PLAIN=$?
check_eq wp_plain_status_in_range "$([ "$PLAIN" -ge 10 ] && [ "$PLAIN" -le 209 ] && echo yes || echo "no: $PLAIN")" yes

for mode in page step soft; do
    export WP_MODE=$mode WP_OUT=$TMPD/stops.$mode
    start_vmm_gdb "$K" || exit 0
    run_gdb "wp_$mode" "file $K" "target remote 127.0.0.1:$PORT" "source $TOP/tests/gdb/watchpages.py"
    wait_vmm 30
    check_eq "wp_${mode}_status_as_plain" "$VRC" "$PLAIN"
    cp "$TMPD/vmm.err" "$TMPD/vmm.err.$mode"
done
check_eq wp_page_stops_as_gdb "$(cat "$TMPD/stops.page")" "$(cat "$TMPD/stops.soft")"
check_eq wp_step_stops_as_gdb "$(cat "$TMPD/stops.step")" "$(cat "$TMPD/stops.soft")"
check_gdb_log wp_page_old_new wp_page '^New value = 4369$'
if grep -q 'watchpoint at 0x[0-9a-f]* (8 bytes) refused: `monitor watch dr` is set and' "$TMPD/vmm.err.page"; then
    ok wp_dr_refusal_reason
else
    not_ok wp_dr_refusal_reason "vmm said: $(head -c 600 "$TMPD/vmm.err.page")"
fi
