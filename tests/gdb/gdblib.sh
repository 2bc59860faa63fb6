# Starting the VMM under gdb for the gdb tests; source after tests/lib.sh.
# start_vmm_gdb ARGS...   VMM with --gdb on a free loopback port: sets VPID, PORT
#                         (stdin from $VMM_STDIN, default /dev/null)
# run_gdb NAME CMDS...    gdb in batch mode with tests/gdb/check.py loaded, connected;
#                         its output lands in $TMPD/NAME.gdb and is echoed; every
#                         "source X.py" must reach X.py's script_end(), and any
#                         Python error is a failure
# wait_vmm SECONDS        waits for the VMM to end: sets VRC (124 if it did not)
# interrupt_gdb_at NAME MARKER SETTLE &
#                         Ctrl-C for run_gdb NAME's gdb: once its log has a line
#                         starting MARKER (at most 60 s), SETTLE seconds later, SIGINT
#                         to that gdb alone (timeout(1) would forward a second one)
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
    gdb_verdicts "$name" "$TMPD/$name.gdb" "$@"
}

# gdb_verdicts NAME LOG CMDS...: the checks gdb printed, and the failures gdb -batch
# would hide (it goes on, and exits 0, after a Python error): a traceback or Python
# error anywhere, a sourced test script that did not reach its script_end() line, and
# a timeout. Used by run_gdb; separate so that the harness self-test can feed it.
gdb_verdicts() {
    local name=$1 log=$2 c script; shift 2
    grep -E '^(ok|not ok|skip) ' "$log"
    if grep -qE '^Traceback \(most recent call last\)|^Python Exception|^Error while executing Python code|^Error occurred in Python' "$log"; then
        not_ok "${name}_python_error" "$(grep -E -A3 '^Traceback|^Python Exception|^Error (while|occurred)' "$log" | head -n 12 | tr '\n' '|')"
    fi
    for c in "$@"; do
        case "$c" in
        source\ */gdbinit/*.py) ;; # the project's gdbinit, not a test script
        source\ *.py)
            script=$(basename "${c#source }")
            [ "$script" = check.py ] && continue
            grep -q "^ok ${script}_ran_to_end\$" "$log" ||
                not_ok "${name}_${script}_incomplete" "the script stopped before its script_end() line; tail: $(tail -n 5 "$log" | tr '\n' '|')"
            ;;
        esac
    done
    if [ "${GRC:-0}" -eq 124 ] || [ "${GRC:-0}" -eq 137 ]; then
        not_ok "${name}_gdb_timeout" "gdb did not finish in ${GDB_LIMIT}s; tail: $(tail -n 5 "$log" | tr '\n' '|')"
    fi
}

# check_gdb_log NAME GDBNAME REGEX: a line run_gdb GDBNAME's gdb printed matches (what
# gdb prints at its stops never reaches a Python string)
check_gdb_log() {
    if grep -Eq -- "$3" "$TMPD/$2.gdb"; then ok "$1"; else
        not_ok "$1" "no line of gdb's output matches /$3/; tail: $(tail -n 4 "$TMPD/$2.gdb" | tr '\n' '|')"
    fi
}

# host_probe, then host_row ROW: this host's answer (yes/no) for a `vmm --probe` row
# (ROW an extended regex of its text), for checks whose expectation is the host's
host_probe() { HOST_PROBE=$("$VMM" --probe 2>&1); }
host_row() { printf '%s\n' "$HOST_PROBE" | sed -nE "s/^$1 +(yes|no) +(yes|no).*/\\2/p"; }

interrupt_gdb_at() {
    local i
    for i in $(seq 600); do
        grep -q "^$2" "$TMPD/$1.gdb" 2>/dev/null && break
        sleep 0.1
    done
    sleep "$3"
    pkill -INT -f "^gdb -nx -batch.*127.0.0.1:$PORT"
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
