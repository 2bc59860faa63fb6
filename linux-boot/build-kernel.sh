#!/usr/bin/env bash
# Builds the small test kernel from Debian's linux-source package: `make tinyconfig`
# plus linux-boot/test-kernel.config. Results, cached so that a rerun is instant:
#   $LINUX_OUT/bzImage   the boot image (LZ4-compressed, real decompressor)
#   $LINUX_OUT/vmlinux   the same kernel with DWARF, for gdb's symbol-file
#   $LINUX_OUT/decompressor.elf  the bzImage's decompressor (linked at 0: add the
#                        load address, add-symbol-file ... -o 0x1000000)
#   $LINUX_OUT/vmlinux-gdb.py, scripts/gdb/linux/  Linux's gdb helpers (lx-*)
# The source is extracted once into $LINUX_OUT/linux-source-*/ (LINUX_OUT: build/linux). A changed config
# fragment rebuilds (incrementally). Installs the tools it needs when missing (root).
# Exit status: 0 built or cached; 3 the tools or the source cannot be installed.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
# One copy for every build directory (build/, build-asan/): the kernel is big.
OUT=${LINUX_OUT:-$TOP/build/linux}
FRAG=$TOP/linux-boot/test-kernel.config
JOBS=${JOBS:-2}
mkdir -p "$OUT"

say() { echo "build-kernel: $*" >&2; }

# The cache key: the fragment and the source version; both must match the stamp.
key() { echo "$(sha256sum "$FRAG" | cut -c1-16) $1"; }

src_tarball() { ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1; }

install_tools() {
    local need=() pair cmd pkg
    for pair in gcc:gcc make:make flex:flex bison:bison bc:bc lz4:lz4 xz:xz-utils \
                perl:perl python3:python3; do
        cmd=${pair%%:*} pkg=${pair#*:}
        command -v "$cmd" >/dev/null 2>&1 || need+=("$pkg")
    done
    [ -e /usr/include/libelf.h ] || need+=(libelf-dev)       # objtool
    [ -e /usr/include/openssl/ssl.h ] || need+=(libssl-dev)  # scripts/ host tools
    [ -n "$(src_tarball)" ] || need+=(linux-source)
    [ ${#need[@]} -eq 0 ] && return 0
    say "installing ${need[*]}"
    if [ "$(id -u)" -ne 0 ]; then
        say "not root: cannot install ${need[*]}"
        return 3
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 || return 3
    apt-get install -y -qq "${need[@]}" >&2 || return 3
}

# A machine without the source but with this fragment's kernel already built (an
# offline test box sharing the build tree) uses the cached one.
if [ -z "$(src_tarball)" ] && [ -f "$OUT/bzImage" ] && [ -f "$OUT/vmlinux" ] &&
    [ -f "$OUT/decompressor.elf" ] && [ -f "$OUT/vmlinux-gdb.py" ] && [ -f "$OUT/kernel.stamp" ] &&
    [ "$(cat "$OUT/kernel.stamp")" == "$(key "$(cut -d' ' -f2 "$OUT/kernel.stamp")")" ]; then
    say "cached, source not installed here: $OUT/bzImage ($(cat "$OUT/kernel.stamp"))"
    exit 0
fi

install_tools || exit 3
TARBALL=$(src_tarball)
[ -n "$TARBALL" ] || { say "no /usr/src/linux-source-*.tar.xz after installing linux-source"; exit 3; }
VER=$(basename "$TARBALL" .tar.xz)           # linux-source-6.1
SRC=$OUT/$VER
STAMP=$OUT/kernel.stamp

if [ -f "$OUT/bzImage" ] && [ -f "$OUT/vmlinux" ] && [ -f "$OUT/decompressor.elf" ] &&
    [ -f "$OUT/vmlinux-gdb.py" ] && [ "$(cat "$STAMP" 2>/dev/null)" == "$(key "$VER")" ]; then
    say "cached: $OUT/bzImage ($(key "$VER"))"
    exit 0
fi

if [ ! -f "$SRC/.extracted" ]; then
    say "extracting $TARBALL into $OUT (once)"
    rm -rf "$SRC"
    tar -C "$OUT" -xJf "$TARBALL"
    touch "$SRC/.extracted"
fi

start=$(date +%s)
cd "$SRC"
make -s ARCH=x86_64 tinyconfig >&2
scripts/kconfig/merge_config.sh -m .config "$FRAG" >/dev/null
make -s ARCH=x86_64 olddefconfig >&2
# A fragment line that did not stick (a dependency missing) is a silent surprise
# later; refuse it here.
bad=0
while IFS= read -r line; do
    case "$line" in
        CONFIG_*=*) grep -qxF "$line" .config || { say "config: '$line' did not stick"; bad=1; } ;;
        "# CONFIG_"*" is not set")
            sym=${line#\# }; sym=${sym%% *}
            ! grep -q "^$sym=" .config || { say "config: '$sym' is still set"; bad=1; } ;;
    esac
done <"$FRAG"
[ "$bad" -eq 0 ] || exit 1

say "building bzImage with -j$JOBS in $SRC"
make -s ARCH=x86_64 -j"$JOBS" bzImage >&2
cp arch/x86/boot/bzImage "$OUT/bzImage.tmp" && mv "$OUT/bzImage.tmp" "$OUT/bzImage"
cp vmlinux "$OUT/vmlinux.tmp" && mv "$OUT/vmlinux.tmp" "$OUT/vmlinux"
cp arch/x86/boot/compressed/vmlinux "$OUT/decompressor.elf"
# Linux's gdb helpers (lx-dmesg, lx-ps, $lx_current()): vmlinux-gdb.py beside vmlinux,
# with the package it imports at the path it expects (scripts/gdb/linux/), so that
# gdb auto-loads them from $OUT whether or not the source tree is kept.
make -s ARCH=x86_64 scripts_gdb >&2
rm -rf "$OUT/scripts/gdb" && mkdir -p "$OUT/scripts/gdb/linux"
cp scripts/gdb/linux/*.py "$OUT/scripts/gdb/linux/"
cp scripts/gdb/vmlinux-gdb.py "$OUT/vmlinux-gdb.py"
cp .config "$OUT/kernel.config"
key "$VER" >"$STAMP"
say "built $OUT/bzImage ($(stat -c %s "$OUT/bzImage") bytes) in $(( $(date +%s) - start )) s"
