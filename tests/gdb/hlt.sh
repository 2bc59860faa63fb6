#!/usr/bin/env bash
# Stepping onto hlt: with no irqchip hlt ends the vCPU, so gdb's stepi there ends
# in "exited normally" rather than a hang or an error.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm

start_vmm_gdb "$G/real/minimal.bin" || exit 1
run_gdb hlt "target remote 127.0.0.1:$PORT" \
    'python check_eq("hlt_at_entry", reg("rip"), 0x7c00)' \
    'python ev, code, out = resume("stepi"); check_eq("hlt_stepi_exit_code", code, 0)'
wait_vmm 20
check_eq hlt_vmm_status "$VRC" 0
