#!/usr/bin/env bash
# A watchpoint through a read-only page whose write KVM cannot emulate
# (guests/long/xsavewatch.S: xsave): the VMM makes the pages writable again, says
# so once, and the watchpoint goes on by step-and-compare: gdb stops after the
# xsave with the value it stored, and the guest ends normally. Where the guest has
# no XSAVE (hidden by the VMM: the host's emulator lacks it), it is a skip.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm

K=$G/long/xsavewatch.elf
timeout 30 "$VMM" "$K" >/dev/null 2>&1
if [ $? -eq 7 ]; then
    skip xsavewatch "this host's guests have no XSAVE (the VMM hides it: vmm --probe)"
    exit 0
fi
start_vmm_gdb "$K" || exit 1
run_gdb xsavewatch "file $K" "target remote 127.0.0.1:$PORT" "monitor watch page" \
    "watch *(unsigned int *)&marker" "watch *(unsigned int *)&area" \
    'python ev, c, o = resume(); check_eq("xw_marker_stop", stop_kind(ev), "watchpoint"); check_eq("xw_marker_value", mem_u32(sym("marker")), 1)' \
    'python ev, c, o = resume(); check_eq("xw_xsave_stop", stop_kind(ev), "watchpoint"); check_eq("xw_xsave_after", hex(reg("rip")), hex(sym("after"))); check("xw_xsave_value", mem_u32(sym("area")) & 0xffff != 0, hex(mem_u32(sym("area"))))' \
    'python out = run("monitor watch"); w = [l for l in out.splitlines() if l.startswith("  0x")]; check("xw_now_step", len(w) == 2 and all(l.endswith("step-and-compare") or "step-and-compare at" in l for l in w), out)' \
    "delete" 'python ev, c, o = resume(); check_eq("xw_exit_code", c, 5)'
wait_vmm 20
check_eq xw_vmm_status "$VRC" 5
check_match xw_vmm_says_fallback "$(cat "$TMPD/vmm.err")" 'KVM failed with a watched page read-only .*watchpoints go on by step-and-compare'
