#!/usr/bin/env bash
# The stub never falls over: hostile and clumsy peers (tests/gdb/robust.py) and a
# gdb killed during `continue`, against the real VMM. After each case the VMM is
# still up; 100 connect/garbage/close cycles leak no fd or thread; each problem
# is logged once; --gdb unix:PATH makes a 0600 socket that gdb and others use.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm
export GDB_LIMIT=30   # read by run_gdb (gdblib.sh)
ROBUST=$TOP/tests/gdb/robust.py

# count PID fd|task. KVM adds a kernel worker (kvm-nx-lpage-recovery) to the
# process when the guest first runs: not ours, not counted.
count() {
    if [ "$2" = task ]; then
        cat /proc/"$1"/task/*/comm 2>/dev/null | grep -vc '^kvm-'
    else
        ls "/proc/$1/$2" 2>/dev/null | wc -l
    fi
}
alive() { kill -0 "$VPID" 2>/dev/null; check_eq "robust_vmm_alive_after_$1" "$?" 0; }
# log_lines REGEX: how many lines of the VMM's stderr match.
log_lines() { grep -cE -- "$1" "$TMPD/vmm.err"; }
# robust CASE...: robust.py against $ADDR, bounded.
robust() { timeout --kill-after=5 60 python3 "$ROBUST" "$ADDR" "$@"; }

start_vmm_gdb "$G/real/spin.bin" || exit 1
ADDR=127.0.0.1:$PORT
sleep 0.2   # vCPU and stub threads settle before the baseline
fds0=$(count "$VPID" fd) tasks0=$(count "$VPID" task)

for c in close_mid_packet oversize flood second_connection ctrl_c_stopped \
         vcont_bad_thread mem_top; do
    robust "$c"
    alive "$c"
done
check_eq robust_oversize_logged_once "$(log_lines 'dropped a packet longer than')" 1
check_eq robust_second_gdb_logged_once "$(log_lines 'refusing a second gdb connection')" 1

# gdb killed (-9) while the guest runs under `continue`: the VMM stays up and
# keeps the guest stopped for the next gdb, which attaches and finds it so.
gdb -nx -batch -ex "target remote $ADDR" -ex "continue" >"$TMPD/gdb_killed.gdb" 2>&1 </dev/null &
GPID=$!
# gdb's stdout is a file: "Continuing." may sit in its buffer, but the attach
# line comes out. robust_gdb.py checks that the guest did run.
for _ in $(seq 100); do
    grep -q '7c00 in' "$TMPD/gdb_killed.gdb" && break
    sleep 0.05
done
check_match robust_gdb_killed_attached "$(cat "$TMPD/gdb_killed.gdb")" '7c00 in'
sleep 1
kill -9 "$GPID" 2>/dev/null
wait "$GPID" 2>/dev/null
sleep 0.3
alive gdb_killed
robust stopped_by_interrupt
run_gdb gdb_reattach "target remote $ADDR" "source $TOP/tests/gdb/robust_gdb.py"
alive gdb_reattach

# 100 connect/garbage/close cycles: no fd or thread left behind, no log flood.
fds1=$(count "$VPID" fd) tasks1=$(count "$VPID" task) lines1=$(wc -l <"$TMPD/vmm.err")
robust garbage_cycles
alive garbage_cycles
sleep 0.3
check_eq robust_cycles_fds_stable "$(count "$VPID" fd)" "$fds1"
check_eq robust_cycles_threads_stable "$(count "$VPID" task)" "$tasks1"
check_eq robust_fds_as_at_start "$(count "$VPID" fd)" "$fds0"
check_eq robust_threads_as_at_start "$(count "$VPID" task)" "$tasks0"
new_lines=$(( $(wc -l <"$TMPD/vmm.err") - lines1 ))
if [ "$new_lines" -le 100 ]; then ok robust_cycles_no_log_flood; else
    not_ok robust_cycles_no_log_flood "$new_lines lines logged for 100 cycles"; fi

run_gdb final "target remote $ADDR" "kill"
wait_vmm 20
check_eq robust_kill_status "$VRC" 137
sed 's/^/# stderr: /' "$TMPD/vmm.err"

# --gdb unix:PATH: a 0600 socket; a stale one is replaced, any other file is
# refused and left alone; gdb connects with `target remote PATH`; the socket
# goes away with the VMM.
SOCK=$TMPD/gdb.sock
echo "not a socket" >"$SOCK"
timeout 10 "$VMM" --gdb "unix:$SOCK" "$G/real/spin.bin" >/dev/null 2>"$TMPD/unix_file.err" </dev/null
check_eq robust_unix_refuses_file_status "$?" 2
check_eq robust_unix_file_untouched "$(cat "$SOCK")" "not a socket"
rm -f "$SOCK"
# listening PATH: something accepts connections there (a stale socket refuses).
listening() {
    python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).connect(sys.argv[1])' \
        "$1" 2>/dev/null
}
for round in first stale; do
    "$VMM" --gdb "unix:$SOCK" "$G/real/spin.bin" >"$TMPD/vmm.out" 2>"$TMPD/vmm.err" </dev/null &
    VPID=$!
    for _ in $(seq 100); do
        listening "$SOCK" && break
        sleep 0.05
    done
    check_eq "robust_unix_${round}_socket_mode" "$(stat -c '%a %F' "$SOCK" 2>&1)" "600 socket"
    if [ "$round" = first ]; then
        kill -9 "$VPID"
        wait "$VPID" 2>/dev/null
        [ -S "$SOCK" ]
        check_eq robust_unix_kill9_leaves_stale_socket "$?" 0
    fi
done
# The socket left by kill -9 was replaced by the second VMM, which serves.
ADDR=$SOCK robust serves
run_gdb unix_gdb "target remote $SOCK" 'python check_eq("robust_unix_gdb_pc", reg("rip"), 0x7c00)' \
    "kill"
wait_vmm 20
check_eq robust_unix_kill_status "$VRC" 137
[ -e "$SOCK" ]
check_eq robust_unix_socket_removed "$?" 1
