#!/usr/bin/env bash
# The test harness itself can fail: a gdb-Python script that dies (an exception, or a
# missing tail of checks) is a failure in run_gdb, and tests/run-all.sh counts skips
# on their own, a skip-only or silent test never being a pass. No KVM needed: gdb
# runs without a target, run-all.sh runs made-up tests.
source "$(dirname "$0")/../lib.sh"
source "$TOP/tests/gdb/gdblib.sh"

# ---- run_gdb: three scripts, one whole, one raising mid-way, one that stops early
cat >"$TMPD/whole.py" <<'EOF'
check("fixture_first", True)
script_end()
EOF
cat >"$TMPD/raises.py" <<'EOF'
check("fixture_first", True)
raise RuntimeError("deliberately broken fixture")
check("fixture_never_reached", True)
script_end()
EOF
cat >"$TMPD/gdberror.py" <<'EOF'
check("fixture_first", True)
gdb.execute("no-such-gdb-command")
script_end()
EOF
cat >"$TMPD/short.py" <<'EOF'
check("fixture_first", True)
EOF

verdicts() { run_gdb "$1" "source $TMPD/$1.py"; }
out=$(verdicts whole)
check_eq harness_whole_script_passes "$(grep -c '^not ok' <<<"$out")" 0
check_match harness_whole_script_end_seen "$out" '^ok whole.py_ran_to_end$'
out=$(verdicts raises)
check_match harness_exception_is_failure "$out" '^not ok raises_python_error: .*deliberately broken fixture'
check_match harness_exception_loses_tail "$out" '^not ok raises_raises.py_incomplete'
check_eq harness_exception_no_later_check "$(grep -c fixture_never_reached <<<"$out")" 0
out=$(verdicts gdberror)
check_match harness_gdb_error_is_failure "$out" '^not ok gdberror_python_error: .*no-such-gdb-command'
out=$(verdicts short)
check_match harness_missing_tail_is_failure "$out" '^not ok short_short.py_incomplete'
check_eq harness_missing_tail_no_python_error "$(grep -c python_error <<<"$out")" 0
out=$(run_gdb inline "python check('fixture_inline', True)" "python 1/0")
check_match harness_inline_python_error "$out" '^not ok inline_python_error: .*ZeroDivisionError'

# ---- run-all.sh: the closing line counts passes, failures and skips apart
mk() { printf '#!/usr/bin/env bash\n%s\n' "$2" >"$TMPD/$1.sh"; chmod +x "$TMPD/$1.sh"; }
mk passes 'echo "ok one"; echo "ok two"'
mk skips 'echo "ok three"; echo "skip four: no such hardware here"'
mk skiponly 'echo "skip five: nothing could run"'
mk dies_after_skip 'echo "skip six: reason"; exit 3'
mk silent 'true'
mk gdbdies "source $TOP/tests/lib.sh; source $TOP/tests/gdb/gdblib.sh; run_gdb broken 'source $TMPD/raises.py'"
all() { TESTS="$*" TEST_LOG_DIR=$TMPD/logs "$TOP/tests/run-all.sh" 2>&1; }

out=$(all "$TMPD/passes.sh" "$TMPD/skips.sh" "$TMPD/skiponly.sh")
check_eq harness_closing_line_counts_skips "$(tail -n 1 <<<"$out")" "3 passed, 0 failed, 2 skipped"
check_match harness_skip_shown_with_reason "$out" '^\[skips.sh\] skip four: no such hardware here$'
all "$TMPD/passes.sh" "$TMPD/skiponly.sh" >/dev/null
check_eq harness_skips_alone_exit_0 "$?" 0

out=$(all "$TMPD/dies_after_skip.sh")
check_eq harness_skip_then_crash_fails "$(tail -n 1 <<<"$out")" "0 passed, 1 failed, 1 skipped"
out=$(all "$TMPD/silent.sh")
check_eq harness_silent_test_fails "$(tail -n 1 <<<"$out")" "0 passed, 1 failed, 0 skipped"
out=$(all "$TMPD/gdbdies.sh")
check_match harness_broken_gdb_script_in_closing_line "$(tail -n 1 <<<"$out")" '^1 passed, 2 failed, 0 skipped$'
all "$TMPD/gdbdies.sh" >/dev/null
check_eq harness_broken_gdb_script_exit_status "$?" 1
