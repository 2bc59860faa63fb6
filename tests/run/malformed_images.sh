#!/usr/bin/env bash
# Images the loader must refuse. The VMM's contract for them: exactly one line
# "vmm: PATH: reason" on stderr, exit status 2, nothing run, no crash.
source "$(dirname "$0")/../lib.sh"
MKBAD=$TOP/tests/run/mkbad.py

if [ ! -x "$VMM" ]; then
    not_ok malformed_images "no VMM binary at $VMM"
    exit 1
fi

# Run from an empty directory so a core dump, if any, would show up there.
RUN_DIR=$TMPD/cwd
mkdir -p "$RUN_DIR"

# expect_refused NAME PATH REGEX [VMM OPTIONS...]
expect_refused() {
    local name=$1 path=$2 re=$3 err lines
    shift 3
    pushd "$RUN_DIR" >/dev/null || exit 1
    run_vmm "$TMPD/$name.out" "$@" "$path"
    popd >/dev/null || exit 1
    err=$(cat "$TMPD/$name.out.err")
    lines=$(wc -l <"$TMPD/$name.out.err")
    check_eq "${name}_status" "$RC" 2
    check_eq "${name}_one_stderr_line" "$lines" 1
    check_eq "${name}_prefix" "${err:0:$((${#path} + 7))}" "vmm: $path: "
    check_match "${name}_reason" "$err" "$re"
    check_eq "${name}_nothing_run" "$(cat "$TMPD/$name.out")" ""
    check_eq "${name}_no_core" "$(ls "$RUN_DIR")" ""
}

mkbad() { python3 "$MKBAD" "$1" "$TMPD/$1.elf" || exit 1; }

# "The first 30 bytes of a real ELF": a built guest if there is one.
real_elf=$(ls "$G"/long/*.elf "$G"/protected/*.elf 2>/dev/null | head -n 1)
if [ -z "$real_elf" ]; then
    mkbad good
    real_elf=$TMPD/good.elf
fi
head -c 30 "$real_elf" >"$TMPD/truncated.elf"
expect_refused truncated "$TMPD/truncated.elf" 'truncated ELF header'

mkbad phdr-past-end
expect_refused phdr_past_end "$TMPD/phdr-past-end.elf" 'program header table .*past end of file'

mkbad filesz-past-end
expect_refused filesz_past_end "$TMPD/filesz-past-end.elf" \
    'program header 0 at offset 0x40: p_offset .* runs past end of file'

mkbad outside-memory
expect_refused outside_memory "$TMPD/outside-memory.elf" 'segment outside memory' --mem 16M

mkbad pie
expect_refused pie "$TMPD/pie.elf" 'ET_DYN.*position-independent'

: >"$TMPD/empty.bin"
expect_refused empty "$TMPD/empty.bin" 'empty file'

mkdir -p "$TMPD/a_directory"
expect_refused directory "$TMPD/a_directory" '[Ii]s a directory'

expect_refused missing "$TMPD/no_such_file.elf" 'No such file or directory'
