#!/usr/bin/env bash
# The one debug-register allocator, shared by gdb and the VMM's SYSCALL watch (which
# kvm_pvm hosts need: vmm/linux/syscall.c). MINIKVM_TEST_SYSCALL_WATCH turns the watch
# on where SYSCALL works too, where it then steps past every real page fault. With
# it: Linux runs to user space under gdb, three hbreaks are accepted, a fourth is
# refused with the reason on the VMM's stderr, and the panic stop still comes.
source "$(dirname "$0")/linuxgdb.sh"

MINIKVM_TEST_SYSCALL_WATCH=1 start_vmm_gdb --linux "$KERNEL" --initrd "$INITRD" \
    --cmdline "$LINUX_CMDLINE minikvm.exit" || exit 1
run_gdb linux_drslots "file $LINUX_OUT/vmlinux" "target remote 127.0.0.1:$PORT" \
    "hbreak kernel_init" \
    'python ev, c, o = resume(); check_eq("drslots_at_kernel_init", hex(reg("rip")), hex(sym("kernel_init")))' \
    "delete" "hbreak __x64_sys_reboot" "hbreak __x64_sys_kill" "hbreak __x64_sys_fork" \
    "hbreak __x64_sys_vhangup" \
    'python check("drslots_fourth_refused", run_shown("continue"))' \
    "delete 5" \
    'python ev, c, o = resume(); check_eq("drslots_three_then_panic_stop", stop_kind(ev), "signal:SIGABRT")' \
    'python ev, c, o = resume(); check_eq("drslots_exit_status", c, 123)'
wait_vmm 20
check_eq drslots_vmm_status "$VRC" 123
err=$(cat "$TMPD/vmm.err")
check_match drslots_watch_on "$err" 'MINIKVM_TEST_SYSCALL_WATCH: the SYSCALL watch is on'
check_match drslots_refusal_reason "$err" \
    '^vmm: hbreak at 0x[0-9a-f]+ refused: the 4 debug registers are taken, 3 by gdb and 1 by the VMM \(SYSCALL completion'
check_gdb_log drslots_gdb_says_too_many linux_drslots 'too many hardware breakpoints|Couldn.t write debug register'
check_match drslots_user_space_ran "$(cat "$TMPD/vmm.out")" '^MINIKVM-INIT-OK'
