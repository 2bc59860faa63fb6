#!/usr/bin/env bash
# Linux under an attached gdb, past the boot: two CPUs (--smp 2) as two threads,
# a breakpoint on the write system call hit from /init with the syscall path in bt,
# Linux's own gdb scripts (vmlinux-gdb.py: lx-dmesg, lx-ps, lx-version, lx-cmdline,
# lx-symbols, $lx_current() per CPU), then /init exits, the kernel panics, gdb stops
# inside panic() (SIGABRT), and continue reports the run's end, status 123.
source "$(dirname "$0")/linuxgdb.sh"

start_vmm_gdb --linux "$KERNEL" --initrd "$INITRD" --smp 2 \
    --cmdline "$LINUX_CMDLINE minikvm.exit" || exit 1
run_gdb linux_user "add-auto-load-safe-path $LINUX_OUT" "file $LINUX_OUT/vmlinux" \
    "target remote 127.0.0.1:$PORT" "source $TOP/tests/gdb/linux_user.py"
wait_vmm 20
check_eq linux_user_vmm_status "$VRC" 123
err=$(cat "$TMPD/vmm.err")
check_match linux_user_nokaslr_added "$err" 'added to the kernel command line: .*nokaslr \(--gdb'
check_match linux_user_panic_stop_said "$err" 'stopped for gdb inside panic\(\) \(SIGABRT\)'
check_match linux_user_two_cpus "$(cat "$TMPD/vmm.out")" 'smp: Brought up 1 node, 2 CPUs'
