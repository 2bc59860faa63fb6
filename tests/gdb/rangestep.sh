#!/usr/bin/env bash
# gdb's range stepping (vCont;r, guests/c32range): `next` over one-line loops stops
# on the same line with range stepping off (vCont;s) and on (vCont;r, stepped in
# the VMM), steps over calls made inside the range, stops at a breakpoint inside
# the range, and a Ctrl-C ends a range that never ends (see rangestep.py).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm

K=$G/c32range/range.elf
export RS_SOURCE=$TOP/guests/c32range/range.c
start_vmm_gdb "$K" || exit 0
# Ctrl-C once the spinning `next` is under way
interrupt_gdb_at rangestep '# spinning now' 2 &
run_gdb rangestep "file $K" "target remote 127.0.0.1:$PORT" "source $TOP/tests/gdb/rangestep.py"
wait_vmm 20
check_eq rs_vmm_status "$VRC" 5

check_gdb_log rs_packets_shown rangestep '^# packets on: vCont;r [0-9]+, vCont;s 0$'
grep "^# packets" "$TMPD/rangestep.gdb" # what went over the wire, for the log
