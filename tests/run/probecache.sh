#!/usr/bin/env bash
# The host probe's cache (docs/host-probe.md): the first start probes and writes
# it, the second reads it; a changed key or a corrupt file is ignored with one
# line and rewritten; --probe refreshes it; --no-probe-cache leaves it alone; a
# new VMM build gets its own file; --irqchip adds the rows a plain start skipped.
source "$(dirname "$0")/../lib.sh"
require_kvm

export XDG_CACHE_HOME=$TMPD/xdg
CDIR=$XDG_CACHE_HOME/mini-kvm
IMG=$G/bench/first.bin # exits 42 at its first instruction

start() { run_vmm "$TMPD/out" --trace-exits=1 "$@" "$IMG"; ERR=$(cat "$TMPD/out.err"); }
cache_file() { ls "$CDIR"/probe-*.txt 2>/dev/null | head -n 1; }
cache_lines() { grep -c '^vmm: probe cache' <<<"$ERR"; }
# Answers a start measured but did not store (an error row, a noisy timing: a
# loaded host) say why in the trace; checks that need them stored are then skips.
unstored() { sed -n 's/^startup: host probe .* (not cached: \(.*\))$/\1/p' <<<"$ERR"; }
# stored_check NAME WHY CHECK ARGS...: CHECK unless WHY says the answers were not stored
stored_check() {
    local name=$1 why=$2; shift 2
    if [ -n "$why" ]; then skip "$name" "this start's answers were not stored: $why"
    else "$@"; fi
}

start
# a loaded host may give answers that are not stored: try a few times
for _ in 1 2 3; do [ -n "$(unstored)" ] && start; done
check_eq first_status "$RC" 42
check_no_match first_probes "$ERR" 'from the probe cache'
F=$(cache_file)
check_match first_writes_cache "$F" '/mini-kvm/probe-[0-9a-f]{16}\.txt$'
check_match cache_has_end "$(tail -n 1 "$F" 2>/dev/null)" '^end$'
check_eq cache_dir_private "$(stat -c %a "$CDIR" 2>/dev/null)" 700
cp "$F" "$TMPD/good" # each damaged file below starts from this one

start
check_eq second_status "$RC" 42
check_match second_reads_cache "$ERR" '^startup: host probe [0-9.]+ ms \(from the probe cache\)$'
check_eq second_quiet "$(cache_lines)" 0

# a kernel update: the key's kernel line differs -> stale, one line, rewritten
good_kernel=$(grep '^key.kernel ' "$F")
sed 's/^key.kernel .*/key.kernel 0.0.0-old #1/' "$TMPD/good" >"$F"
start
check_eq stale_status "$RC" 42
check_match stale_line "$ERR" "^vmm: probe cache $F: stale \(kernel changed\); probing again$"
check_eq stale_one_line "$(cache_lines)" 1
check_no_match stale_not_used "$ERR" 'from the probe cache'
why=$(unstored)
stored_check stale_rewritten "$why" check_eq stale_rewritten "$(grep '^key.kernel ' "$F")" "$good_kernel"
start
stored_check stale_then_cached "$why" check_match stale_then_cached "$ERR" 'from the probe cache'

# microcode or KVM parameters the same way (any key field)
sed 's/^key.kvm .*/key.kvm kvm,kvm_amd params=1 #0/' "$TMPD/good" >"$F"
start
check_match stale_kvm_line "$ERR" 'stale \(kvm changed\); probing again$'

# corrupt: cut short, garbage, a bad row value
head -c 200 "$TMPD/good" >"$F"
start
check_eq truncated_status "$RC" 42
check_match truncated_line "$ERR" "^vmm: probe cache $F: corrupt \(line [0-9]+: .*\(truncated\)\); probing again$"
check_eq truncated_one_line "$(cache_lines)" 1
stored_check truncated_rewritten "$(unstored)" check_match truncated_rewritten "$(tail -n 1 "$F")" '^end$'
printf 'not a cache\x00\x01\n' >"$F"
start
check_match garbage_line "$ERR" 'corrupt \(line 1: not a probe cache'
sed 's/^row.syscall .*/row.syscall perhaps/' "$TMPD/good" >"$F"
start
check_match bad_row_line "$ERR" "corrupt \(line [0-9]+: row.syscall is 'perhaps'"
why=$(unstored)
start
stored_check repaired_cached "$why" check_match repaired_cached "$ERR" 'from the probe cache'

# --probe measures afresh and refreshes the file (no stale line: it does not read it)
sed 's/^key.kernel .*/key.kernel 0.0.0-old #1/' "$TMPD/good" >"$F"
# Answers with an error row are never stored (the error may be transient): then
# --probe says so in one line, and the checks that need them stored are skipped.
run_vmm "$TMPD/probe" --probe
check_eq probe_status "$RC" 0
unstored=$(sed -n 's/^vmm: probe cache: not written (\(.*\))$/\1/p' "$TMPD/probe.err")
if [ -n "$unstored" ]; then
    check_match probe_says_why "$unstored" '^row [a-z0-9_]+ ended in an error$'
    check_match probe_error_row "$(cat "$TMPD/probe")" ' error( |$)'
    skip probe_refreshed "--probe's answers were not stored here: $unstored"
else
    check_eq probe_quiet "$(grep -c 'probe cache' "$TMPD/probe.err")" 0
    check_eq probe_refreshed "$(grep '^key.kernel ' "$F")" "$good_kernel"
    check_eq probe_has_irqchip_row "$(grep '^row.irqchip ' "$F" | awk '{print $2}')" yes
fi

# --no-probe-cache: neither read nor written
rm -rf "$CDIR"
start --no-probe-cache
check_eq nocache_status "$RC" 42
check_eq nocache_writes_nothing "$(ls "$CDIR" 2>/dev/null | wc -l)" 0
start
start --no-probe-cache
check_no_match nocache_not_read "$ERR" 'from the probe cache'

# --irqchip after a plain start: the irqchip rows are added to the cached answers
check_eq plain_start_no_irqchip_row "$(grep '^row.irqchip ' "$(cache_file)" | awk '{print $2}')" untested
start --irqchip
check_eq irqchip_status "$RC" 42
check_match irqchip_uses_cache "$ERR" 'from the probe cache'
if [ -n "$unstored" ]; then
    check_eq irqchip_rows_unstored "$(grep '^row.irqchip ' "$(cache_file)" | awk '{print $2}')" untested
    skip irqchip_row_added "the irqchip rows were not stored here: $unstored"
else
    check_eq irqchip_row_added "$(grep '^row.irqchip ' "$(cache_file)" | awk '{print $2}')" yes
fi

# another VMM build (a copy with its own mtime) gets its own file; the first stays
cp "$VMM" "$TMPD/vmm-copy"
touch -d '2001-01-01' "$TMPD/vmm-copy"
VMM=$TMPD/vmm-copy start
check_eq new_build_status "$RC" 42
check_eq new_build_own_file "$(ls "$CDIR"/probe-*.txt | wc -l)" 2
check_eq new_build_quiet "$(cache_lines)" 0

# no XDG_CACHE_HOME: ~/.cache
rm -rf "$CDIR"
mkdir -p "$TMPD/home"
HOME=$TMPD/home XDG_CACHE_HOME= start
check_eq home_status "$RC" 42
check_eq home_cache "$(ls "$TMPD"/home/.cache/mini-kvm/probe-*.txt 2>/dev/null | wc -l)" 1

# a cache that cannot be written: one line, the guest still runs
: >"$TMPD/a-file"
XDG_CACHE_HOME=$TMPD/a-file start
check_eq unwritable_status "$RC" 42
check_match unwritable_line "$ERR" '^vmm: probe cache .*: cannot write: Not a directory \(--no-probe-cache avoids it\)$'
check_eq unwritable_one_line "$(cache_lines)" 1
