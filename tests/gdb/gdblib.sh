# Starting the VMM under gdb for the gdb tests; source after tests/lib.sh.
# start_vmm_gdb ARGS...   VMM with --gdb on a free loopback port: sets VPID, PORT
#                         (stdin from $VMM_STDIN, default /dev/null)
# run_gdb NAME CMDS...    gdb in batch mode with tests/gdb/check.py loaded, connected;
#                         its output lands in $TMPD/NAME.gdb and is echoed
# wait_vmm SECONDS        waits for the VMM to end: sets VRC (124 if it did not)
GDB_LIMIT=${GDB_LIMIT:-120}

start_vmm_gdb() {
    : >"$TMPD/vmm.err"
    "$VMM" --gdb 127.0.0.1:0 "$@" >"$TMPD/vmm.out" 2>"$TMPD/vmm.err" <"${VMM_STDIN:-/dev/null}" &
    VPID=$!
    PORT=
    for _ in $(seq 200); do
        PORT=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$TMPD/vmm.err")
        [ -n "$PORT" ] && return 0
        kill -0 "$VPID" 2>/dev/null || break
        sleep 0.05
    done
    not_ok vmm_gdb_start "no 'listening on port' line from the VMM: $(head -c 400 "$TMPD/vmm.err")"
    kill "$VPID" 2>/dev/null
    return 1
}

run_gdb() {
    local name=$1; shift
    local args=(-nx -batch -ex "set pagination off" -ex "set confirm off"
                -ex "source $TOP/tests/gdb/check.py")
    for c in "$@"; do args+=(-ex "$c"); done
    timeout --kill-after=5 "$GDB_LIMIT" gdb "${args[@]}" >"$TMPD/$name.gdb" 2>&1 </dev/null
    GRC=$?
    grep -E '^(ok|not ok) ' "$TMPD/$name.gdb"
    if [ "$GRC" -eq 124 ] || [ "$GRC" -eq 137 ]; then
        not_ok "${name}_gdb_timeout" "gdb did not finish in ${GDB_LIMIT}s; tail: $(tail -n 5 "$TMPD/$name.gdb" | tr '\n' '|')"
    fi
}

wait_vmm() {
    local limit=${1:-30} i
    for i in $(seq $((limit * 20))); do
        if ! kill -0 "$VPID" 2>/dev/null; then
            wait "$VPID"; VRC=$?
            return 0
        fi
        sleep 0.05
    done
    kill -9 "$VPID" 2>/dev/null; wait "$VPID" 2>/dev/null
    VRC=124
}
