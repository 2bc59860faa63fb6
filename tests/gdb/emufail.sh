#!/usr/bin/env bash
# An instruction the host cannot run (cmpxchg16b where ring 0 is emulated without
# it, as the probe reports) ends a headless run with status 126 and a message with
# its rip; under gdb it is a SIGILL stop at that instruction. Where the host runs
# it, the guest simply finishes.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm

img=$G/long/cx16.elf
emu=$(nm "$img" | awk '$3 == "emu_insn" { print $1 }' | sed 's/^0*//')
run_vmm "$TMPD/probe" --probe
if grep -q '^cmpxchg16b runs in ring 0 .* no' "$TMPD/probe"; then
    run_vmm "$TMPD/headless" "$img"
    check_eq emufail_headless_status "$RC" 126
    check_match emufail_headless_message "$(cat "$TMPD/headless.err")" "emulation failure.*at rip 0x0*$emu "
    start_vmm_gdb "$img" || exit 1
    run_gdb emufail "file $img" "target remote 127.0.0.1:$PORT" \
        'python ev, code, out = resume(); check_eq("emufail_gdb_stop", stop_kind(ev), "signal:SIGILL"); check_eq("emufail_gdb_rip", reg("rip"), sym("emu_insn"))' \
        "continue"
    wait_vmm 20
    check_eq emufail_continue_ends_run "$VRC" 126
else
    run_vmm "$TMPD/headless" "$img"
    check_eq emufail_runs_here_status "$RC" 0
    check_eq emufail_runs_here_output "$(cat "$TMPD/headless")" "cx16 ok"
fi
