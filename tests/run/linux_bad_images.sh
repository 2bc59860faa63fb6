#!/usr/bin/env bash
# Malformed bzImages and misused Linux flags end the VMM with status 2 and a message
# naming the offset or field, before any guest runs. Images are made here (no
# kernel build needed): a valid-looking 2.15 header, then one thing broken.
source "$(dirname "$0")/../lib.sh"

mk() {   # mk NAME FIELD-EDITS...: python writes $TMPD/NAME.bz
    python3 - "$TMPD/$1.bz" "${@:2}" <<'PY'
import struct, sys
out, edits = sys.argv[1], sys.argv[2:]
b = bytearray(5 * 512 + 0x1000)
b[0x1f1] = 4
struct.pack_into("<I", b, 0x1f4, 0x1000 // 16)
struct.pack_into("<H", b, 0x1fe, 0xaa55)
b[0x200], b[0x201] = 0xeb, 0x6a
b[0x202:0x206] = b"HdrS"
struct.pack_into("<H", b, 0x206, 0x020f)
struct.pack_into("<I", b, 0x22c, 0x7fffffff)
struct.pack_into("<I", b, 0x230, 0x200000)
b[0x234] = 1
struct.pack_into("<H", b, 0x236, 3)
struct.pack_into("<I", b, 0x238, 2047)
struct.pack_into("<Q", b, 0x258, 0x1000000)
struct.pack_into("<I", b, 0x260, 0x200000)
for e in edits:
    k, v = e.split("=")
    if k == "len":
        b = b[:int(v, 0)]
    elif k == "magic":
        b[0x202:0x206] = v.encode()
    else:
        off, size = {"version": (0x206, "<H"), "setup_sects": (0x1f1, "<B"),
                     "xloadflags": (0x236, "<H")}[k]
        struct.pack_into(size, b, off, int(v, 0))
open(out, "wb").write(b)
PY
}

bad() {  # bad NAME REGEX VMM-ARGS...  (STATUS: expected exit status, default 2)
    local name=$1 re=$2; shift 2
    run_vmm "$TMPD/$name.out" "$@"
    check_eq "linux_bad_${name}_status" "$RC" "${STATUS:-2}"
    check_match "linux_bad_${name}_message" "$(cat "$TMPD/$name.out.err")" "$re"
}

mk magic magic=MZ!!
bad magic "bzImage header at 0x202: magic 'MZ!!' \(0x2121.*\) is not 'HdrS': not a Linux bzImage" --linux "$TMPD/magic.bz"
mk old version=0x0204
bad old_protocol 'bzImage header at 0x206: boot protocol version 2.04 is older than 2.06' --linux "$TMPD/old.bz"
mk trunc len=0x700
bad truncated_setup 'setup_sects 4 puts the protected-mode kernel at 0xa00, but the file is 0x700 bytes: truncated setup' --linux "$TMPD/trunc.bz"
mk huge setup_sects=200
bad huge_setup_sects 'bzImage header at 0x1f1: setup_sects 200 is too big' --linux "$TMPD/huge.bz"
mk no64 xloadflags=0
bad no_64bit_entry 'xloadflags 0x0 lacks bit 0 \(XLF_KERNEL_64' --linux "$TMPD/no64.bz"
bad small_mem 'past guest memory \(0x1000000 bytes\): give more --mem' --linux "$TMPD/no64.bz" --linux-entry 32 --mem 16M
printf 'not a kernel at all\n' >"$TMPD/text.bin"
bad short_file 'too short for a setup header' --linux "$TMPD/text.bin"
bad missing_file 'No such file or directory' --linux "$TMPD/nonexistent"
bad initrd_alone '--initrd, --cmdline, --linux-entry, --linux-test-break and --smp need --linux' --initrd "$TMPD/text.bin" "$TMPD/text.bin"
bad smp_alone '--smp need --linux' --smp 2 "$TMPD/text.bin"
bad smp_too_many "--smp: '9' is not a CPU count from 1 to 8" --linux "$TMPD/magic.bz" --smp 9
bad smp_zero "--smp: '0' is not a CPU count from 1 to 8" --linux "$TMPD/magic.bz" --smp 0
bad linux_and_image '--linux boots one kernel' --linux "$TMPD/magic.bz" "$TMPD/text.bin"
bad bad_entry "--linux-entry: '48' is not 64 or 32" --linux "$TMPD/magic.bz" --linux-entry 48
mk good
# checked before the machine is built: bad input (2), like a missing image
bad initrd_missing 'vmm: --initrd .*/nonexistent: No such file or directory' --linux "$TMPD/good.bz" --initrd "$TMPD/nonexistent"
