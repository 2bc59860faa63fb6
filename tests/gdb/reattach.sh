#!/usr/bin/env bash
# gdb detaches and re-attaches 20 times while the guest runs on between sessions;
# threads and file descriptors do not pile up; kill ends the VMM.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm

start_vmm_gdb "$G/real/spin.bin" || exit 1
count() { ls "/proc/$VPID/$1" 2>/dev/null | wc -l; }
prev_ax=-1 moved=0 attached=0
for i in $(seq 20); do
    run_gdb "attach$i" "target remote 127.0.0.1:$PORT" \
        'python gdb.write("AX=%d\n" % (reg("rax") & 0xffff))' "detach" >/dev/null
    ax=$(sed -n 's/^AX=//p' "$TMPD/attach$i.gdb")
    [ -n "$ax" ] && attached=$((attached + 1))
    [ "$ax" != "$prev_ax" ] && moved=$((moved + 1))
    prev_ax=$ax
    [ "$i" = 1 ] && { tasks1=$(count task); fds1=$(count fd); }
done
check_eq reattach_sessions "$attached" 20
check_eq reattach_guest_runs_between "$moved" 20
check_eq reattach_threads_stable "$(count task)" "$tasks1"
check_eq reattach_fds_stable "$(count fd)" "$fds1"
run_gdb final "target remote 127.0.0.1:$PORT" "kill"
wait_vmm 20
check_eq reattach_kill_status "$VRC" 137
