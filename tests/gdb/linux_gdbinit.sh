#!/usr/bin/env bash
# gdbinit/linux-boot.py's stage commands on the test kernel: lb-decompressor stops
# in extract_kernel, lb-kernel at the decompressed startup_64, lb-symbols and
# lb-start-kernel at start_kernel.
source "$(dirname "$0")/linuxgdb.sh"

start_vmm_gdb --linux "$KERNEL" --cmdline "$LINUX_CMDLINE" || exit 1
run_gdb linux_gdbinit "source $TOP/gdbinit/common.gdb" "source $TOP/gdbinit/linux-boot.py" \
    "lb-dir $LINUX_OUT" "mkvm-connect $PORT" \
    "lb-decompressor" "continue" \
    'python check_eq("linux_gdbinit_extract_kernel", hex(reg("rip")), hex(sym("extract_kernel")))' \
    "delete" "lb-kernel" "continue" \
    'python check_eq("linux_gdbinit_kernel_startup_64", hex(reg("rip")), "0x1000000")' \
    "delete" "lb-symbols" "lb-start-kernel" \
    'python check_eq("linux_gdbinit_start_kernel", hex(reg("rip")), hex(sym("start_kernel")))' \
    "kill"
wait_vmm 20
check_eq linux_gdbinit_kill_status "$VRC" 137
