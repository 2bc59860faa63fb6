#!/usr/bin/env bash
# gdb follows the test kernel from the bzImage's first instruction through its
# decompressor to start_kernel (tests/gdb/linux_gdb.py), then lets it run on to
# /init and power off.
source "$(dirname "$0")/linuxgdb.sh"

init_size=$(python3 -c "import struct,sys; print(struct.unpack_from('<I', open(sys.argv[1],'rb').read(), 0x260)[0])" "$KERNEL")
start_vmm_gdb --linux "$KERNEL" --initrd "$INITRD" --cmdline "$LINUX_CMDLINE" || exit 1
run_gdb linux_gdb "python LINUX_OUT='$LINUX_OUT'; INIT_SIZE=$init_size" \
    "target remote 127.0.0.1:$PORT" "source $TOP/tests/gdb/linux_gdb.py" "kill"
wait_vmm 20
check_eq linux_gdb_kill_status "$VRC" 137
check_match linux_gdb_console_reached_kernel "$(cat "$TMPD/vmm.out")" 'Booting the kernel'
