#!/usr/bin/env bash
# VM exits: the --trace-exits log (its cap and summary), unknown ports and MMIO (reads
# see all-ones / zeros, every access is counted), --timeout against a spinning guest
# and against guests that flood the VMM with exits, and how a guest's run ends (hlt,
# port 0xf4).
source "$(dirname "$0")/../lib.sh"
require_kvm

export RUN_LIMIT=${RUN_LIMIT:-30}
EXP=$TOP/tests/run/expected

now_ms() { date +%s%3N; }

# timed_vmm NAME ARGS...: run_vmm into $TMPD/NAME, also setting MS (wall time).
timed_vmm() {
    local name=$1 t0
    shift
    t0=$(now_ms)
    run_vmm "$TMPD/$name" "$@"
    MS=$(($(now_ms) - t0))
}

# within NAME MS LIMIT_MS: ok when MS <= LIMIT_MS.
within() {
    if [ "$2" -le "$3" ]; then ok "$1"; else not_ok "$1" "took $2 ms, limit $3 ms"; fi
}

# --trace-exits=5 on hello.bin: the guest's stdout is untouched; stderr has exactly
# five trace lines, then the totals and how many lines were left out. hello makes one
# exit per port access and one hlt, each offered to the trace once, so the
# left-out count is the total minus five.
timed_vmm trace5 --trace-exits=5 "$G/real/hello.bin"
err=$(cat "$TMPD/trace5.err")
check_eq trace5-status "$RC" 0
if cmp -s "$TMPD/trace5" "$EXP/hello.out"; then ok trace5-stdout; else
    not_ok trace5-stdout "got '$(head -c 300 "$TMPD/trace5")'"
fi
check_eq trace5-lines "$(grep -c '^trace: ' <<<"$err")" 5
check_match trace5-first "$(head -n 1 <<<"$err")" '^trace: vcpu 0 IO (in|out) port 0x3f[8-9a-f] size 1 rip 0x[0-9a-f]+$'
check_match trace5-total "$err" '^exits: [0-9]+ total, IO [0-9]+, HLT 1$'
total=$(sed -n 's/^exits: \([0-9]*\) total.*/\1/p' <<<"$err")
check_match trace5-not-shown "$err" "^exits: trace capped at 5 lines, $((${total:-0} - 5)) more not shown\$"
check_eq trace5-nothing-else "$(grep -Ev '^(trace|exits|startup): ' <<<"$err")" ""

# Without the flag, no trace and no summary.
run_vmm "$TMPD/notrace" "$G/real/hello.bin"
check_eq notrace-stderr "$(cat "$TMPD/notrace.err")" ""

# Guests whose run ends on their own, one a line:
#   name | image (under $G) | VMM args (- none) | status | stdout (printf format) |
#   stderr regexes, separated by ';' (- none)
# unknownio: in from port 0x1234 gives all-ones in the width read (putnum prints BX,
# so the dword shows as its two halves); 4 accesses to 0x1234, 3 (rep outsb) to
# 0x4321, an unknown hypercall function counted against 0x500.
# mmio64: 32- and 64-bit reads at 0xd0000000 (above RAM; the guest maps that page
# itself) give 0 into all-ones registers; two reads and a write are counted.
ENDS='
unknownio | special/unknownio.bin | --trace-exits | 0  | 255 65535 65535 65535\n | unknown port 0x1234 accessed 4 times$;unknown port 0x4321 accessed 3 times$;unknown port 0x500 accessed 1 times$;^trace: vcpu 0 IO in port 0x1234 size 2 \(unknown port\)
mmio64    | long/mmio64.elf       | --trace-exits | 0  | 0 0\n                  | ^exits: 8 total, IO 4, HLT 1, MMIO 3$;^exits: unknown MMIO 0xd0000000 accessed 3 times$;^trace: vcpu 0 MMIO read gpa 0xd0000000 len 4 \(unknown MMIO\);^trace: vcpu 0 MMIO write gpa 0xd0000000 len 4
minimal   | real/minimal.bin      | --trace-exits | 0  |                        | ^trace: vcpu 0 HLT halted rip 0x7c01$;^exits: 1 total, HLT 1$
exitcode  | special/exitcode.bin  | --trace-exits | 42 |                        | ^trace: vcpu 0 IO out port 0xf4 size 1 ;^exits: 1 total, IO 1$
exitcode-quiet | special/exitcode.bin | -       | 42 |                        | -
'
trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; printf %s "${s%"${s##*[![:space:]]}"}"; }

while IFS='|' read -r name image args status out res; do
    name=$(trim "$name")
    [ -n "$name" ] || continue
    image=$(trim "$image") args=$(trim "$args") status=$(trim "$status")
    out=$(trim "$out") res=$(trim "$res")
    extra=()
    [ "$args" = - ] || read -r -a extra <<<"$args"
    run_vmm "$TMPD/$name" "${extra[@]}" "$G/$image"
    check_eq "$name-status" "$RC" "$status"
    printf -- "$out" >"$TMPD/$name.want"
    if cmp -s "$TMPD/$name" "$TMPD/$name.want"; then ok "$name-stdout"; else
        not_ok "$name-stdout" "got '$(od -An -c "$TMPD/$name" | head -c 300)', expected '$(od -An -c "$TMPD/$name.want")' (stderr: $(head -c 300 "$TMPD/$name.err"))"
    fi
    if [ "$res" = - ]; then
        check_eq "$name-stderr" "$(head -c 300 "$TMPD/$name.err")" ""
        continue
    fi
    IFS=';' read -r -a relist <<<"$res"
    for i in "${!relist[@]}"; do
        check_match "$name-stderr-$i" "$(cat "$TMPD/$name.err")" "${relist[$i]}"
    done
done <<<"$ENDS"

# --timeout 1 on a guest that spins without a single exit: status 124 in about a
# second, and one line naming the timeout.
timed_vmm spin --timeout 1 "$G/real/spin.bin"
check_eq spin-timeout-status "$RC" 124
within spin-timeout-time "$MS" 2000
check_eq spin-timeout-stderr "$(cat "$TMPD/spin.err")" "vmm: timeout after 1 s, stopping"

# Exit storms: the guest traps to the VMM hundreds of thousands of times a second;
# --timeout 2 must still end it (124), and the trace must stop at its cap: exactly CAP
# trace lines, then the timeout line, the totals, the "not shown" line, the one
# unknown address and the start-up line. mmioflood is 64-bit code in a flat image (--mode long).
#   name | image | VMM args | cap | unknown-address line
FLOODS='
mmioflood | special/mmioflood.bin | --mode long --trace-exits | 1000 | unknown MMIO 0xd0000000 accessed [0-9]+ times
portflood | special/portflood.bin | --trace-exits=50          | 50   | unknown port 0x1234 accessed [0-9]+ times
'
while IFS='|' read -r name image args cap unk; do
    name=$(trim "$name")
    [ -n "$name" ] || continue
    image=$(trim "$image") args=$(trim "$args") cap=$(trim "$cap") unk=$(trim "$unk")
    read -r -a extra <<<"$args"
    timed_vmm "$name" --timeout 2 "${extra[@]}" "$G/$image"
    err=$(cat "$TMPD/$name.err")
    check_eq "$name-status" "$RC" 124
    within "$name-time" "$MS" 4000
    check_eq "$name-stdout" "$(head -c 300 "$TMPD/$name")" ""
    check_eq "$name-trace-lines" "$(grep -c '^trace: ' <<<"$err")" "$cap"
    check_eq "$name-stderr-lines" "$(wc -l <"$TMPD/$name.err")" $((cap + 5))
    check_match "$name-timeout-line" "$err" '^vmm: timeout after 2 s, stopping$'
    check_match "$name-capped" "$err" "^exits: trace capped at $cap lines, [0-9]+ more not shown\$"
    check_match "$name-unknown" "$err" "^exits: $unk\$"
    # A storm, not a trickle: far more exits than the cap.
    n=$(sed -n 's/^exits: \([0-9]*\) total.*/\1/p' <<<"$err")
    if [ "${n:-0}" -gt $((cap * 10)) ]; then ok "$name-storm"; else
        not_ok "$name-storm" "only ${n:-no} exits in 2 s"
    fi
done <<<"$FLOODS"

# The same storm without --trace-exits: still ended by the timeout, stderr quiet.
timed_vmm portflood-quiet --timeout 1 "$G/special/portflood.bin"
check_eq portflood-quiet-status "$RC" 124
within portflood-quiet-time "$MS" 2500
check_eq portflood-quiet-stderr "$(cat "$TMPD/portflood-quiet.err")" "vmm: timeout after 1 s, stopping"
