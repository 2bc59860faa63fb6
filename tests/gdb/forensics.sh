#!/usr/bin/env bash
# Triple-fault forensics under gdb: `monitor history on 16` at the first instruction,
# continue to the SIGSEGV stop of the triple fault, then `monitor why` names the cause
# and `monitor history` lists the last 16 instructions as objdump does.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm

img=$G/long/tf_stack.elf
want=$(objdump -d --insn-width=16 "$img" | awk '/<_start>:/ { on = 1 } /<handler>:/ { on = 0 }
    on && /^ +[0-9a-f]+:/ { sub(":", "", $1); print "0x" $1 }' | tail -n 16 | tr '\n' ' ')
start_vmm_gdb "$img" || exit 1
run_gdb forensics "file $img" "target remote 127.0.0.1:$PORT" "python WANT='$want'.split()" \
    "source $TOP/tests/gdb/forensics.py" "kill"
wait_vmm 20
check_eq forensics_gdb_kill_status "$VRC" 137
