#!/usr/bin/env bash
# `make check-valgrind`: memcheck over the unit tests, headless guests (real and
# long mode) and a gdb session (the VMM under valgrind, a real gdb doing stepi,
# break, continue to the guest's exit). Each run fails on any memcheck error or
# definite leak (valgrind exits 99) as well as on its own result. Prints
# "ok NAME" / "not ok NAME: why" per run and "N passed, N failed, N skipped" at the
# end; without KVM the guest runs are skipped (tests/lib.sh kvm_why).
# Valgrind's own output for each run is in $BUILD/valgrind/NAME.vg.
set -u
cd "$(dirname "$0")/../.." || exit 1
: "${BUILD:=build}"
export BUILD TOP=$PWD
LIMIT=${VALGRIND_TIMEOUT:-180}
OUT=$BUILD/valgrind
mkdir -p "$OUT"
source tests/lib.sh
source tests/gdb/gdblib.sh

if ! command -v valgrind >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        echo "check-valgrind: installing valgrind"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null
    fi
    command -v valgrind >/dev/null 2>&1 || { echo "check-valgrind: valgrind missing" >&2; exit 1; }
fi

# vg NAME: the valgrind command line for one run, its log in $OUT/NAME.vg.
vg() {
    echo valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        --show-leak-kinds=definite --suppressions=tests/fuzz/valgrind.supp \
        --log-file="$OUT/$1.vg"
}

pass=0 fail=0 skipped=0
skip_run() { skip "valgrind_$1" "needs KVM: $(kvm_why)"; skipped=$((skipped + 1)); }
result() {   # result NAME OK(0/1) WHY
    if [ "$2" = 0 ]; then echo "ok valgrind_$1"; pass=$((pass + 1)); else
        echo "not ok valgrind_$1: $3"; fail=$((fail + 1))
        grep -E '==[0-9]+== (Invalid|Conditional|Use of|Syscall param|.*definitely lost|Warning)' \
            "$OUT/$1.vg" 2>/dev/null | head -n 5 | sed 's/^/    /'
    fi
}

# why RC EXPECTED LOG: a reason for failure, or nothing.
why() {
    if [ "$1" = 99 ]; then echo "memcheck errors (see $3)"
    elif [ "$1" = 124 ] || [ "$1" = 137 ]; then echo "timed out after ${LIMIT}s"
    elif [ "$1" != "$2" ]; then echo "exit status $1, expected $2"
    fi
}

start=$SECONDS

# ---- unit tests: their own checks must pass too ----
for t in "$BUILD"/tests/unit/test_*; do
    [ -x "$t" ] && [ -f "$t" ] || continue
    case "$t" in *.d|*.o) continue ;; esac
    name=$(basename "$t")
    # shellcheck disable=SC2046
    timeout --kill-after=5 "$LIMIT" $(vg "$name") "$t" >"$OUT/$name.out" 2>&1 </dev/null
    rc=$?
    w=$(why "$rc" 0 "$OUT/$name.vg")
    [ -z "$w" ] && grep -q '^not ok ' "$OUT/$name.out" && w="its checks failed: $(grep -m1 '^not ok ' "$OUT/$name.out")"
    result "$name" "$([ -z "$w" ]; echo $?)" "$w"
done

# ---- headless guests: output and status as without valgrind ----
# name | vmm arguments (guest paths relative to $BUILD/guests) | output line | status
while IFS='|' read -r name args want_out want_rc; do
    if ! have_kvm; then skip_run "$name"; continue; fi
    argv=()
    for a in $args; do
        case "$a" in -*) argv+=("$a") ;; *) argv+=("$G/$a") ;; esac
    done
    # shellcheck disable=SC2046
    timeout --kill-after=5 "$LIMIT" $(vg "$name") "$BUILD/vmm" "${argv[@]}" \
        >"$OUT/$name.out" 2>"$OUT/$name.err" </dev/null
    rc=$?
    w=$(why "$rc" "$want_rc" "$OUT/$name.vg")
    [ -z "$w" ] && ! grep -q "$want_out" "$OUT/$name.out" && w="no '$want_out' in the output"
    result "$name" "$([ -z "$w" ]; echo $?)" "$w"
done <<'TABLE'
guest_real|real/hello.bin|Hello, world!|0
guest_long|long/hello64.elf|Hello from long mode|0
guest_protected|protected/hello32.elf|Hello|0
guest_two_vcpus|real/counter.bin long/hello64.elf|count: 10|0
host_probe|--probe|guest-initiated real -> protected -> long|0
TABLE

# ---- a gdb session: stepi, break, continue to the exit (status 3) ----
name=gdb_session
if ! have_kvm; then
    skip_run "$name"
    echo "$pass passed, $fail failed, $skipped skipped"
    [ "$fail" -eq 0 ]
    exit
fi
: >"$TMPD/vmm.err"
# shellcheck disable=SC2046
$(vg "$name") "$BUILD/vmm" --gdb 127.0.0.1:0 "$BUILD/guests/long/dbg64.elf" \
    >"$TMPD/vmm.out" 2>"$TMPD/vmm.err" </dev/null &
VPID=$!
PORT=
for _ in $(seq 600); do   # valgrind starts slowly: up to 30 s
    PORT=$(sed -n 's/.*listening on port \([0-9]*\).*/\1/p' "$TMPD/vmm.err")
    [ -n "$PORT" ] && break
    kill -0 "$VPID" 2>/dev/null || break
    sleep 0.05
done
if [ -z "$PORT" ]; then
    result "$name" 1 "the VMM under valgrind did not listen: $(head -c 300 "$TMPD/vmm.err")"
    kill -9 "$VPID" 2>/dev/null
else
    verdicts=$(GDB_LIMIT=$LIMIT run_gdb "$name" "file $BUILD/guests/long/dbg64.elf" \
        "target remote 127.0.0.1:$PORT" "source $TOP/tests/fuzz/valgrind_session.py")
    printf '%s\n' "$verdicts" | sed 's/^/    /'
    wait_vmm 60
    w=$(why "$VRC" 3 "$OUT/$name.vg")
    [ -z "$w" ] && grep -q '^not ok ' <<<"$verdicts" && w="gdb checks failed: $(grep -m1 '^not ok ' <<<"$verdicts")"
    [ -z "$w" ] && ! grep -q '^ok vg_exit_code' "$TMPD/$name.gdb" && w="the gdb session did not finish: $(tail -n 3 "$TMPD/$name.gdb" | tr '\n' '|')"
    result "$name" "$([ -z "$w" ]; echo $?)" "$w"
fi

echo "check-valgrind: $((SECONDS - start)) s"
echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
