#!/usr/bin/env bash
# check-sanitized.sh BUILD_DIR: proves that a sanitizer build really is one. Every
# module folder must have objects, and every object compiled from C must call into
# ASan (__asan_*) and UBSan (__ubsan_*) somewhere: a -fsanitize that reaches only
# the link line (as a command-line CFLAGS= once caused) leaves none. The unit test
# binaries and the VMM must link the ASan runtime. Prints one line per module.
set -u
dir=${1:?usage: check-sanitized.sh BUILD_DIR}
modules=(vmm vmm/bios vmm/debug vmm/devices vmm/forensics vmm/linux vmm/probe vmm/x86 gdbstub loader)
bad=0

for mod in "${modules[@]}"; do
    objs=()
    for src in "$mod"/*.c; do
        [ -e "$src" ] && objs+=("$dir/obj/${src%.c}.o")
    done
    if [ ${#objs[@]} -eq 0 ]; then
        echo "check-sanitized: $mod: no C sources found (run from the project root)"
        bad=1
        continue
    fi
    missing=()
    for o in "${objs[@]}"; do
        if [ ! -f "$o" ]; then
            missing+=("$o (not built)")
            continue
        fi
        syms=$(nm -u "$o" 2>/dev/null)
        grep -q '__asan_' <<<"$syms" || missing+=("$o (no __asan_ calls)")
        grep -q '__ubsan_' <<<"$syms" || missing+=("$o (no __ubsan_ calls)")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "check-sanitized: $mod: NOT instrumented: ${missing[*]}"
        bad=1
    else
        echo "check-sanitized: $mod: ${#objs[@]} objects with ASan and UBSan calls"
    fi
done

for bin in "$dir/vmm" "$dir"/tests/unit/test_*; do
    case "$bin" in *.d) continue ;; esac
    if [ ! -x "$bin" ]; then
        echo "check-sanitized: $bin: missing"
        bad=1
    elif ! nm "$bin" 2>/dev/null | grep -q ' __asan_init'; then
        echo "check-sanitized: $bin: the ASan runtime is not linked in"
        bad=1
    fi
done
[ "$bad" -eq 0 ] && echo "check-sanitized: $dir is an ASan+UBSan build"
exit "$bad"
