#!/usr/bin/env bash
# Runs every test of the suite and prints one closing line
# "N passed, N failed, N skipped".
# A test is an executable (build/tests/unit/test_*) or a script (tests/{run,gdb}/*.sh)
# that prints "ok NAME", "not ok NAME: why" or "skip NAME: why" per check. A test that
# exits non-zero or times out without saying "not ok" counts as one failure, and so
# does one that reports nothing at all, so nothing is lost. Skips are never passes.
# run-all.sh [FILTER]: only the tests whose path contains FILTER.
# TESTS="PATH..." replaces the list (the harness self-test uses it).
set -u
cd "$(dirname "$0")/.."
export BUILD=${BUILD:-build}
export VMM=${VMM:-$BUILD/vmm}
export TOP=$PWD
LIMIT=${TEST_TIMEOUT:-300}
ONLY=${1:-}
pass=0 fail=0 skipped=0
failed_names=()
log_dir=${TEST_LOG_DIR:-$BUILD/test-logs}
mkdir -p "$log_dir"

run_one() {
    local t=$1 name out rc np nf ns limit=$LIMIT
    name=$(basename "$t")
    out=$log_dir/$name.log
    # a script may ask for more time with a "# test-timeout: SECONDS" line
    if [[ "$t" == *.sh ]]; then
        local own
        own=$(sed -n 's/^# test-timeout: \([0-9]*\)$/\1/p' "$t" | head -n 1)
        [ -n "$own" ] && limit=$own
    fi
    timeout --kill-after=10 "$limit" "$t" >"$out" 2>&1 </dev/null
    rc=$?
    np=$(grep -c '^ok ' "$out")
    nf=$(grep -c '^not ok ' "$out")
    ns=$(grep -c '^skip ' "$out")
    grep -E '^(ok|not ok|skip) ' "$out" | sed "s|^|[$name] |"
    if [ "$rc" -ne 0 ] && [ "$nf" -eq 0 ]; then
        nf=1
        if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
            echo "[$name] not ok $name: timed out after ${limit}s (log $out)"
        else
            echo "[$name] not ok $name: exited $rc without reporting (log $out)"
        fi
    fi
    if [ "$np" -eq 0 ] && [ "$nf" -eq 0 ] && [ "$ns" -eq 0 ]; then
        nf=1
        echo "[$name] not ok $name: ran no check (log $out)"
    fi
    if [ "$nf" -gt 0 ]; then
        failed_names+=("$name")
        tail -n 20 "$out" | sed "s|^|[$name]   |"
    fi
    pass=$((pass + np)); fail=$((fail + nf)); skipped=$((skipped + ns))
}

if [ -n "${TESTS:-}" ]; then
    read -r -a list <<<"$TESTS"
else
    list=("$BUILD"/tests/unit/test_* tests/run/*.sh tests/gdb/*.sh)
fi
for t in "${list[@]}"; do
    [ -x "$t" ] || continue
    case "$t" in *.d|*.o) continue ;; esac
    if [ -n "$ONLY" ] && [[ "$t" != *"$ONLY"* ]]; then continue; fi
    run_one "$t"
done

[ "$fail" -eq 0 ] || echo "failed: ${failed_names[*]}"
[ "$skipped" -eq 0 ] || echo "skipped: $skipped checks could not run here (the 'skip' lines above say why)"
echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
