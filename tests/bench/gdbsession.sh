# Sourced by the gdb-driven benches (rangestep.sh, watch.sh) after they set TOP, VMM,
# TMPD, LIMIT and die(): one VMM and one gdb session running a bench script.
# gdb_session KERNEL SCRIPT.py TAG: runs the script (its environment as the caller
# exported it) against a fresh `vmm --gdb KERNEL` and prints what follows "TAG: " on
# the line the script printed; die()s with the script's complaint otherwise.
# median: the median of the numbers on stdin, one a line.
VPID=
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
