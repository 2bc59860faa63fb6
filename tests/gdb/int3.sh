#!/usr/bin/env bash
# The guest's own int3 reaches its #BP handler, headless and under gdb, while gdb's
# breakpoints (software and hardware) still stop where gdb put them.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm

img=$G/long/int3k.elf
run_vmm "$TMPD/headless" "$img"
check_eq int3_headless_status "$RC" 0
check_eq int3_headless_output "$(cat "$TMPD/headless")" "bp handled 2"

start_vmm_gdb "$img" || exit 1
# hbreak on the handler: each of the guest's int3s arrives there; then break at done
run_gdb int3 "file $img" "target remote 127.0.0.1:$PORT" "break done" "hbreak bp_handler" \
    'python ev, c, o = resume(); check_eq("int3_first_in_handler", reg("rip"), sym("bp_handler")); check_eq("int3_count_before_first", mem_u32(sym("count")), 0)' \
    'python ev, c, o = resume(); check_eq("int3_second_in_handler", reg("rip"), sym("bp_handler")); check_eq("int3_count_before_second", mem_u32(sym("count")), 1)' \
    'python ev, c, o = resume(); check_eq("int3_break_done_kind", stop_kind(ev), "breakpoint"); check_eq("int3_break_done_rip", reg("rip"), sym("done")); check_eq("int3_handler_ran_twice", mem_u32(sym("count")), 2)' \
    "delete" \
    'python ev, c, o = resume(); check_eq("int3_exit_code", c, 0)'
wait_vmm 20
check_eq int3_gdb_vmm_status "$VRC" 0
check_eq int3_gdb_output "$(cat "$TMPD/vmm.out")" "bp handled 2"
