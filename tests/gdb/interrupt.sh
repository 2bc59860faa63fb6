#!/usr/bin/env bash
# Ctrl-C (SIGINT to gdb) stops a spinning guest; a breakpoint set then is hit.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm

start_vmm_gdb "$G/real/spin.bin" || exit 1
# only gdb itself (timeout(1) would forward a second SIGINT), once its `continue` is
# under way: on a slow machine gdb may need seconds to connect
(
    for _ in $(seq 300); do
        grep -q '^# continuing now' "$TMPD/interrupt.gdb" 2>/dev/null && break
        sleep 0.1
    done
    sleep 1
    pkill -INT -f "^gdb -nx -batch.*127.0.0.1:$PORT"
) &
run_gdb interrupt "file $G/real/spin.sym.elf" "target remote 127.0.0.1:$PORT" \
    "source $TOP/tests/gdb/interrupt.py" "kill"
wait_vmm 20
check_eq interrupt_kill_status "$VRC" 137
