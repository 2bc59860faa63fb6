#!/usr/bin/env bash
# Fetches Debian's stock kernel (the linux-image-amd64 dependency) with
# `apt-get download` and extracts it, for people who want a distribution kernel
# and for the time-bounded tests:
#   $LINUX_OUT/debian/vmlinuz   the bzImage (XZ-compressed payload)
#   $LINUX_OUT/debian/vmlinux   with --vmlinux: its payload, decompressed with the
#                               host's xz (the guest's XZ decompressor takes hours
#                               where ring 0 is emulated)
# LINUX_OUT defaults to build/linux. Cached: a rerun does nothing.
# Exit status: 0 ready; 3 apt-get cannot fetch it (no network, not Debian).
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=${LINUX_OUT:-$TOP/build/linux}/debian
WANT_VMLINUX=0
[ "${1:-}" == "--vmlinux" ] && WANT_VMLINUX=1
mkdir -p "$OUT"
say() { echo "fetch-debian-kernel: $*" >&2; }

if [ ! -f "$OUT/vmlinuz" ]; then
    command -v apt-get >/dev/null || { say "no apt-get: not a Debian system"; exit 3; }
    # linux-image-amd64 is a meta package; its dependency is the real image.
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1)
    if [ -z "$pkg" ] && [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq >&2 || true
        pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1)
    fi
    [ -n "$pkg" ] || { say "apt-cache knows no linux-image-amd64"; exit 3; }
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    say "downloading $pkg"
    (cd "$tmp" && apt-get download -q "$pkg" >&2) || { say "apt-get download $pkg failed"; exit 3; }
    dpkg-deb -x "$tmp"/*.deb "$tmp/x"
    cp "$(ls "$tmp"/x/boot/vmlinuz-* | head -n 1)" "$OUT/vmlinuz.tmp"
    mv "$OUT/vmlinuz.tmp" "$OUT/vmlinuz"
    echo "$pkg" >"$OUT/package"
    say "$OUT/vmlinuz from $pkg"
fi

if [ "$WANT_VMLINUX" -eq 1 ] && [ ! -f "$OUT/vmlinux" ]; then
    # The payload is an XZ stream inside the protected-mode part: find its magic
    # and let xz decompress up to the end of the stream (trailing bytes ignored).
    off=$(python3 - "$OUT/vmlinuz" <<'EOF'
import sys
data = open(sys.argv[1], "rb").read()
setup = (data[0x1f1] or 4) + 1
i = data.find(b"\xfd7zXZ\x00", setup * 512)
print(i)
EOF
)
    [ "$off" -ge 0 ] || { say "no XZ stream in $OUT/vmlinuz"; exit 1; }
    tail -c +"$((off + 1))" "$OUT/vmlinuz" | xz -dc --single-stream >"$OUT/vmlinux.tmp" 2>/dev/null || true
    head -c 4 "$OUT/vmlinux.tmp" | grep -q ELF || { say "decompressing the payload failed"; exit 1; }
    mv "$OUT/vmlinux.tmp" "$OUT/vmlinux"
    say "$OUT/vmlinux ($(stat -c %s "$OUT/vmlinux") bytes)"
fi
