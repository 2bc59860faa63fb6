#!/usr/bin/env bash
# The triple-fault hunt: a deliberately broken boot (--linux-test-break) stops
# under gdb with SIGSEGV at the faulting instruction of the decompressor's 64-bit
# entry; headless, both entries end with status 125 and the rip. The 32-bit entry
# gets a broken boot GDT (data limit 0): its first push faults.
source "$(dirname "$0")/linuxgdb.sh"

start_vmm_gdb --linux "$KERNEL" --cmdline "$LINUX_CMDLINE" --linux-test-break || exit 1
run_gdb linux_triplefault "python LINUX_OUT='$LINUX_OUT'" "target remote 127.0.0.1:$PORT" \
    "source $TOP/tests/gdb/linux_triplefault.py" "kill"
wait_vmm 20
check_eq linux_triplefault_kill_status "$VRC" 137
check_match linux_triplefault_vmm_says "$(cat "$TMPD/vmm.err")" 'triple fault at rip 0x10002[0-9a-f]{2}; stopped for gdb'

RUN_LIMIT=30 run_vmm "$TMPD/h64" --linux "$KERNEL" --linux-test-break --timeout 20
check_eq linux_triplefault_headless64_status "$RC" 125
check_match linux_triplefault_headless64_rip "$(cat "$TMPD/h64.err")" 'triple fault at rip 0x10002[0-9a-f]{2} \(long mode\)'

# startup_32 is at the load address; its first `call` is the first stack use
call=$(gdb -nx -batch -ex 'x/12i startup_32' "$DECOMP" 2>/dev/null | awk '/call/ { sub(":", "", $1); print $1; exit }')
want=$(printf '0x%x' $((0x1000000 + ${call:-0xffff})))
RUN_LIMIT=30 run_vmm "$TMPD/h32" --linux "$KERNEL" --linux-entry 32 --linux-test-break --timeout 20
check_eq linux_triplefault_headless32_status "$RC" 125
check_match linux_triplefault_headless32_rip "$(cat "$TMPD/h32.err")" "triple fault at rip $want \\(protected mode\\)"
