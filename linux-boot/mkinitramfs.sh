#!/usr/bin/env bash
# Builds the test initramfs: a static /init (linux-boot/init.c) in an uncompressed
# newc cpio with /dev/console and /proc. The cpio is written by a few lines of
# Python rather than cpio(1), so that no root (mknod) and no staging tree are needed.
#   $LINUX_OUT/init            the static binary
#   $LINUX_OUT/initramfs.cpio  the archive (--initrd)
# Rebuilds only when init.c or this script is newer than the archive.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
# One copy for every build directory (build/, build-asan/): the kernel is big.
OUT=${LINUX_OUT:-$TOP/build/linux}
SRC=$TOP/linux-boot/init.c
CPIO=$OUT/initramfs.cpio
mkdir -p "$OUT"

if [ -f "$CPIO" ] && [ "$CPIO" -nt "$SRC" ] && [ "$CPIO" -nt "$0" ]; then
    exit 0
fi
if ! gcc -static -Os -Wall -Wextra -o "$OUT/init" "$SRC"; then
    echo "mkinitramfs: gcc -static failed (is libc6-dev installed?)" >&2
    exit 1
fi
strip "$OUT/init"

python3 - "$OUT/init" "$CPIO.tmp" <<'EOF'
import os, sys

init, out = sys.argv[1], sys.argv[2]
ino = [0x1000]

def entry(name, mode, data=b"", rdev=(0, 0)):
    ino[0] += 1
    name_b = name.encode() + b"\0"
    fields = [ino[0], mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(name_b), 0]
    hdr = b"070701" + b"".join(b"%08x" % f for f in fields)
    blob = hdr + name_b
    blob += b"\0" * (-len(blob) % 4)
    blob += data + b"\0" * (-len(data) % 4)
    return blob

with open(init, "rb") as f:
    init_data = f.read()
arc = b"".join([
    entry(".", 0o040755),
    entry("dev", 0o040755),
    entry("dev/console", 0o020600, rdev=(5, 1)),
    entry("proc", 0o040555),
    entry("init", 0o100755, init_data),
    entry("TRAILER!!!", 0),
])
arc += b"\0" * (-len(arc) % 512)
with open(out, "wb") as f:
    f.write(arc)
EOF
mv "$CPIO.tmp" "$CPIO"
echo "mkinitramfs: $CPIO ($(stat -c %s "$CPIO") bytes)" >&2
