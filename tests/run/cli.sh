#!/usr/bin/env bash
# The command line: --help lists every flag of vmm/cli.c's table; every bad input is
# refused with status 2, nothing on stdout and exactly one stderr line "vmm: ...";
# a few unusual but valid command lines run.
source "$(dirname "$0")/../lib.sh"

export RUN_LIMIT=${RUN_LIMIT:-30}
HELLO=$G/real/hello.bin
EXP=$TOP/tests/run/expected

# --help: status 0, stderr empty, and one "  --flag" line per row of opt_table. The
# flags come from the source, so a new flag without help text (or the reverse) fails.
mapfile -t flags < <(sed -n 's/^ *{ *"\(--[a-z-]*\)", *ARG_.*/\1/p' "$TOP/vmm/cli.c")
if [ "${#flags[@]}" -lt 10 ]; then
    not_ok help-table "found only ${#flags[@]} flags in vmm/cli.c's opt_table (did its layout change?)"
fi
for h in --help -h; do
    run_vmm "$TMPD/help" "$h"
    check_eq "help$h-status" "$RC" 0
    check_eq "help$h-stderr" "$(cat "$TMPD/help.err")" ""
done
help=$(cat "$TMPD/help")
check_match help-usage "$help" '^usage: vmm \[options\] IMAGE'
missing=()
for f in "${flags[@]}"; do
    grep -Eq -- "^  $f( |\[|=|$)" <<<"$help" || missing+=("$f")
done
check_eq help-lists-every-flag "${missing[*]}" ""
check_eq help-flag-count "$(grep -Ec -- '^  --[a-z]' <<<"$help")" "${#flags[@]}"

# Bad input, one case a line: name | args | stderr regex (after "vmm: ").
# IMG stands for hello.bin, IMG*N for N copies of it, EXIT42 for special/exitcode.bin;
# "-" for no arguments.
BAD='
unknown-option   | --bogus IMG             | unknown option .--bogus
unknown-short    | -x IMG                  | unknown option .-x
missing-value    | IMG --mem               | --mem needs a value
mem-bad-suffix   | --mem 12Q IMG           | --mem: .12Q. is not a size
mem-zero         | --mem 0 IMG             | --mem: .0. is not a usable memory size
mem-too-big      | --mem 5G IMG            | --mem: .5G. is not a usable memory size
mem-not-4k       | --mem 65537 IMG         | --mem: .65537. is not a usable memory size
mem-negative     | --mem -4M IMG           | --mem: .-4M. is not a size
bad-mode         | --mode weird IMG        | --mode: .weird. is not a mode
timeout-negative | --timeout -1 IMG        | --timeout: .-1. is not a number of seconds
timeout-word     | --timeout abc IMG       | --timeout: .abc. is not a number of seconds
timeout-zero     | --timeout 0 IMG         | --timeout: .0. is not
timeout-nan      | --timeout nan IMG       | --timeout: .nan. is not
nowait-alone     | --gdb-nowait IMG        | --gdb-nowait needs --gdb
gdb-arch-alone   | --gdb-arch i386 IMG     | --gdb-arch needs --gdb
gdb-arch-bad     | --gdb 0 --gdb-arch arm IMG | --gdb-arch: .arm. is not auto, i8086, i386 or x86-64
no-image         | -                       | no image given
no-image-flags   | --mem 16M --timeout 1   | no image given
too-many-images  | IMG*17                  | too many images \(at most 16\)
trace-zero       | --trace-exits=0 IMG     | --trace-exits: .0. is not a line count
trace-word       | --trace-exits=lots IMG  | --trace-exits: .lots. is not a line count
load-garbage     | --load garbage IMG      | --load: .garbage. is not an address
entry-garbage    | --entry 0x7c00z IMG     | --entry: .0x7c00z. is not an address
flag-with-value  | --irqchip=1 IMG         | --irqchip takes no value
missing-file     | /nonexistent/x.bin      | /nonexistent/x.bin: 
'

# expand ARGS: the table's argument field as words, IMG and IMG*N replaced.
expand() {
    local w n i words
    args=()
    [ "$1" = - ] && return
    read -r -a words <<<"$1"    # no globbing of IMG*N
    for w in "${words[@]}"; do
        case $w in
        IMG)    args+=("$HELLO") ;;
        EXIT42) args+=("$G/special/exitcode.bin") ;;
        IMG\**) n=${w#IMG\*}; for ((i = 0; i < n; i++)); do args+=("$HELLO"); done ;;
        *)      args+=("$w") ;;
        esac
    done
}

trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; printf %s "${s%"${s##*[![:space:]]}"}"; }

while IFS='|' read -r name a re; do
    name=$(trim "$name")
    [ -n "$name" ] || continue
    expand "$(trim "$a")"
    re=$(trim "$re")
    run_vmm "$TMPD/$name" "${args[@]}"
    err=$(cat "$TMPD/$name.err")
    check_eq "$name-status" "$RC" 2
    check_eq "$name-stdout" "$(head -c 300 "$TMPD/$name")" ""
    check_eq "$name-stderr-lines" "$(wc -l <"$TMPD/$name.err")" 1
    check_match "$name-stderr" "$err" "^vmm: .*$re"
done <<<"$BAD"

# The rest runs guests.
require_kvm valid_command_lines

# Valid command lines: name | args | status | stdout (file in tests/run/expected, or
# "-" for empty) | stderr regex ("-": stderr must be empty).
# --mode long on a flat image is accepted: the VMM enters 0x7c00 in 64-bit mode on its
# own page tables. hello.bin holds 16-bit code, which crashes there (triple fault,
# 125), so this only proves the entry state; special/mmioflood.bin in tests/run/exits.sh
# is a flat image of 64-bit code that runs that way.
# --load above 64 KiB: a real-mode entry CS is chosen to reach. exitcode.bin has no
# absolute address in it and must give 42 wherever it is loaded. hello.bin is linked
# at 0x7c00 (its string pointer is 0x7c23). The VMM enters a flat image loaded above
# 64 KiB at CS = (entry & ~0xffff) >> 4, IP = entry & 0xffff (README): an image
# linked at org 0 runs at --load 0x20000 as 2000:0000, and a boot-sector image
# moved by a multiple of 64 KiB (--load 0x17c00) keeps IP 0x7c00 and runs.
GOOD='
mem-16m           | --mem 16M IMG                      | 0   | hello.out | -
mem-64k           | --mem 64K IMG                      | 0   | hello.out | -
mem-hex           | --mem 0x400000 IMG                 | 0   | hello.out | -
timeout-fraction  | --timeout 0.5 IMG                  | 0   | hello.out | -
load-17c00        | --load 0x17c00 IMG                 | 0   | hello.out | -
load-high-exit    | --load=0x20000 EXIT42              | 42  | -         | -
load-entry-exit   | --load 0x30000 --entry 0x30000 EXIT42 | 42 | -       | -
load-low-exit     | --load 0x1000 EXIT42               | 42  | -         | -
mode-real         | --mode real IMG                    | 0   | hello.out | -
double-dash       | -- IMG                             | 0   | hello.out | -
mode-long-flat16  | --mode long IMG                    | 125 | -         | triple fault at rip .*\(long mode\)
'
while IFS='|' read -r name a status out re; do
    name=$(trim "$name")
    [ -n "$name" ] || continue
    expand "$(trim "$a")"
    status=$(trim "$status") out=$(trim "$out") re=$(trim "$re")
    run_vmm "$TMPD/$name" "${args[@]}"
    check_eq "$name-status" "$RC" "$status"
    if [ "$out" = - ]; then
        check_eq "$name-stdout" "$(head -c 300 "$TMPD/$name")" ""
    elif cmp -s "$TMPD/$name" "$EXP/$out"; then
        ok "$name-stdout"
    else
        not_ok "$name-stdout" "got '$(head -c 300 "$TMPD/$name")', expected '$(cat "$EXP/$out")' (stderr: $(head -c 300 "$TMPD/$name.err"))"
    fi
    if [ "$re" = - ]; then
        check_eq "$name-stderr" "$(head -c 300 "$TMPD/$name.err")" ""
    else
        check_match "$name-stderr" "$(cat "$TMPD/$name.err")" "$re"
    fi
done <<<"$GOOD"

# Sixteen images, the most there may be: sixteen long-mode guests (real-mode ones
# are limited to ten by their 64 KiB windows below 640 KiB), one vCPU and lane each.
imgs=()
for ((i = 0; i < 16; i++)); do imgs+=("$G/long/hello64.elf"); done
run_vmm "$TMPD/sixteen" "${imgs[@]}"
check_eq sixteen-images-status "$RC" 0
check_eq sixteen-images-lanes \
    "$(sed -n 's/^\[\([0-9]*\):hello64\] Hello from long mode$/\1/p' "$TMPD/sixteen" | sort -n | tr '\n' ' ')" \
    "$(seq 0 15 | tr '\n' ' ')"
