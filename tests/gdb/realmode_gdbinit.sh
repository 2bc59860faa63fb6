#!/usr/bin/env bash
# gdbinit/common.gdb + realmode.gdb, sourced from another directory: CS:IP at each
# stop, cs-ip, $lin(SEG, OFF), and gdb's own 16-bit disassembly.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm

start_vmm_gdb "$G/real/dbg16.bin" || exit 1
cd "$TMPD" || exit 1 # the scripts must not depend on the current directory
run_gdb realmode "source $TOP/gdbinit/common.gdb" "source $TOP/gdbinit/realmode.gdb" \
    "target remote 127.0.0.1:$PORT" "stepi" "cs-ip" "x/3i 0x7c00" "x/i \$lin(0x7c0, 0xc)" \
    "p/x \$lin(0x7c0, 0x10)" "kill"
log=$(cat "$TMPD/realmode.gdb")
check_match realmode_stop_display "$log" '^CS:IP 0000:7c06$'
check_match realmode_cs_ip "$log" '^CS:IP 0000:7c06 \(linear 0x7c06\)$'
check_match realmode_x_i_16bit_first "$log" '0x7c00[^:]*:.*mov +\$0x1,%ecx'
check_match realmode_x_i_16bit_third "$log" '0x7c0c[^:]*:.*add +%edx,%ecx'
check_match realmode_lin_function "$log" '^\$1 = 0x7c10$'
check_eq realmode_no_errors "$(grep -c 'Undefined\|No symbol\|Python Exception' "$TMPD/realmode.gdb")" 0
wait_vmm 20
check_eq realmode_kill_status "$VRC" 137
