#!/usr/bin/env bash
# gdbinit/realmode.gdb: CS:IP display and 16-bit disassembly at each stop.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm

start_vmm_gdb "$G/real/dbg16.bin" || exit 1
run_gdb realmode "source $TOP/gdbinit/common.gdb" "source $TOP/gdbinit/realmode.gdb" \
    "target remote 127.0.0.1:$PORT" "stepi" "cs-ip" "x16 0x7c00 3" "kill"
log=$(cat "$TMPD/realmode.gdb")
check_match realmode_stop_display "$log" 'CS:IP 0000:7c06 +7c06:.*mov +\$0x2,%edx'
check_match realmode_cs_ip "$log" '^CS:IP 0000:7c06 \(linear 0x7c06\)$'
check_match realmode_x16_first "$log" '7c00:.*mov +\$0x1,%ecx'
check_match realmode_x16_third "$log" '7c0c:.*add +%edx,%ecx'
wait_vmm 20
check_eq realmode_kill_status "$VRC" 137
