#!/usr/bin/env bash
# A software breakpoint the guest overwrites (guests/long/overwrite.S copies code over
# it) is back after the next stop: gdb stops at target, checkpoint, target again.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm

start_vmm_gdb "$G/long/overwrite.elf" || exit 1
run_gdb overwrite "file $G/long/overwrite.elf" "target remote 127.0.0.1:$PORT" \
    "break target" "break checkpoint" \
    'python ev, c, o = resume(); check_eq("overwrite_first_stop", hex(reg("rip")), hex(sym("target")))' \
    'python ev, c, o = resume(); check_eq("overwrite_second_stop", hex(reg("rip")), hex(sym("checkpoint")))' \
    'python ev, c, o = resume(); check_eq("overwrite_third_stop_reinserted", hex(reg("rip")), hex(sym("target")))' \
    'python check_eq("overwrite_guest_bytes_intact", mem_u32(sym("target")) & 0xffffff, 0xc39090)' \
    "delete" 'python ev, c, o = resume(); check_eq("overwrite_exit_code", c, 5)'
wait_vmm 20
check_eq overwrite_vmm_status "$VRC" 5
