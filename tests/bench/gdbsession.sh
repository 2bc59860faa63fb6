# Sourced by the gdb-driven benches (rangestep.sh, watch.sh) after they set TOP, VMM
# and LIMIT.
# gdb_bench_setup WHAT KERNEL: a temporary directory TMPD (removed at exit, with a VMM
# left running), die() for failures naming WHAT, a probe cache of its own; dies when
# KERNEL is not built.
# gdb_session KERNEL SCRIPT.py TAG: runs the script (its environment as the caller
# exported it) against a fresh `vmm --gdb KERNEL` and prints what follows "TAG: " on
# the line the script printed; die()s with the script's complaint otherwise.
# median: the median of the numbers on stdin, one a line.
VPID=
gdb_bench_setup() {
    BENCH_WHAT=$1
    TMPD=$(mktemp -d /tmp/mkvm-gdbbench.XXXXXX)
    trap 'if [ -n "$VPID" ]; then kill "$VPID" 2>/dev/null; fi; rm -rf "$TMPD"' EXIT
    [ -e "$2" ] || die "$2 is missing: run 'make all' first"
    export XDG_CACHE_HOME=$TMPD/cache
}
die() { echo "${BENCH_WHAT:-bench}: FAILED: $*" >&2; exit 1; }

gdb_session() {
    local k=$1 script=$2 tag=$3 port= i out
    "$VMM" --gdb 127.0.0.1:0 "$k" >"$TMPD/vmm.out" 2>"$TMPD/vmm.err" </dev/null &
    VPID=$!
    for i in $(seq 200); do
        port=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$TMPD/vmm.err")
        [ -n "$port" ] && break
        sleep 0.05
    done
    [ -n "$port" ] || die "no gdb port from the VMM: $(head -c 300 "$TMPD/vmm.err")"
    timeout --kill-after=5 "$LIMIT" gdb -nx -batch -ex "set pagination off" \
        -ex "set confirm off" -ex "file $k" -ex "target remote 127.0.0.1:$port" \
        -ex "source $script" -ex kill >"$TMPD/gdb.out" 2>&1 </dev/null || true
    wait "$VPID" 2>/dev/null || true
    VPID=
    out=$(sed -n "s/^$tag: \\([0-9].*\\)\$/\\1/p" "$TMPD/gdb.out")
    [ -n "$out" ] || die "$script: $(grep -m1 "$tag\\|Error\\|error" "$TMPD/gdb.out" || tail -n 3 "$TMPD/gdb.out")"
    echo "$out"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
