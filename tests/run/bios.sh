#!/usr/bin/env bash
# The BIOS and the PC boot (docs/bios.md), with guests written as tutorials write
# them: a boot sector printing with int 10h, a two-stage loader (int 13h CHS and
# EDD, E820, A20, protected mode, VGA memory), a keyboard echo on int 16h fed from
# stdin, a call of functions that do not exist; multiboot kernels (C, PIE-linked,
# a.out kludge); the VGA screen as lines, as a final dump and live through a pty;
# and the one-line errors of bad input.
source "$(dirname "$0")/../lib.sh"
require_kvm
export RUN_LIMIT=${RUN_LIMIT:-30}
B=$G/bios
MB=$G/multiboot

# case_run NAME ARGS...: runs the VMM; then OUT/ERR hold stdout/stderr, RC the status
case_run() {
    local name=$1; shift
    run_vmm "$TMPD/$name" "$@"
    OUT=$(cat "$TMPD/$name")
    ERR=$(cat "$TMPD/$name.err")
}

hello_out='Hello from the boot sector!
Booted by the mini-kvm BIOS.
CRTC cursor: row 2, column 0'

case_run hello --disk "$B/hello.bin"
check_eq bios_hello_status "$RC" 0
check_eq bios_hello_stdout "$OUT" "$hello_out"
check_eq bios_hello_stderr "$ERR" ""

# the same sector as a flat image (no --disk): real-mode images get the BIOS too
case_run hello_flat "$B/hello.bin"
check_eq bios_flat_image_stdout "$OUT" "$hello_out"

case_run hello_lines --disk "$B/hello.bin" --vga lines
check_match bios_vga_lines_row0 "$OUT" '^vga 00: Hello from the boot sector!$'
check_match bios_vga_lines_row2 "$OUT" '^vga 02: CRTC cursor: row 2, column 0$'

case_run hello_dump --disk "$B/hello.bin" --vga-dump="$TMPD/screen.txt"
check_eq bios_vga_dump_file "$(cat "$TMPD/screen.txt")" "$hello_out"
case_run hello_dump2 --disk "$B/hello.bin" --vga-dump
check_eq bios_vga_dump_stdout "$OUT" "$hello_out
$hello_out"

# Two stages, 25 sectors, plus a partial 26th sector "TAIL" (not a whole number of
# sectors: still a disk; the rest of that sector reads as zeros).
cp "$B/twostage.bin" "$TMPD/disk.img"
printf 'TAIL' >>"$TMPD/disk.img"
two_out() {  # two_out DRIVE TAIL RAMTOP
    printf '%s\n' 'stage 1: reading stage 2 with int 13h CHS' 'stage 2: running at 0000:7E00' \
        "boot drive (DL): 000000$1" \
        'stage 2: EDD read of 24 sectors matches the CHS read' "sector 25: $2" \
        'e820: 0000000000000000 000000000009FC00 type 1 size 20' \
        'e820: 000000000009FC00 0000000000000400 type 2 size 24' \
        'e820: 00000000000F0000 0000000000010000 type 2 size 24' \
        "e820: 0000000000100000 $3 type 1 size 24" 'A20 on'
}
case_run twostage --disk "$TMPD/disk.img" --vga-dump="$TMPD/two.txt"
check_eq bios_twostage_status "$RC" 0
check_eq bios_twostage_stdout "$OUT" "$(two_out 80 TAIL 0000000000300000)"
check_eq bios_twostage_vga_row12 "$(sed -n 13p "$TMPD/two.txt")" \
    'Protected mode: hello from 0xB8000'
case_run twostage_fd --boot floppy --mem 16M --disk "$B/twostage.bin"
check_eq bios_twostage_floppy_status "$RC" 0
check_eq bios_twostage_floppy_stdout "$OUT" "$(two_out 00 zeros 0000000000F00000)"

# int 16h: keys from stdin; AH=01h sees the first key waiting (file) or not (late)
printf 'hello\nq' >"$TMPD/keys.in"
STDIN_FILE=$TMPD/keys.in case_run keys --disk "$B/keyecho.bin"
check_eq bios_keyecho_status "$RC" 0
# whether the input thread has read the file when the guest peeks is a race here
check_eq bios_keyecho_stdout "$(sed 2d <<<"$OUT")" "$(printf 'type, q quits\nhello\nbye')"
check_match bios_keyecho_peek "$(sed -n 2p <<<"$OUT")" '^(key waiting|no key yet)$'
# the key arrives only after the guest asked (its "no key yet" line is out)
mkfifo "$TMPD/kfifo"
RUN_LIMIT=30 STDIN_FILE=$TMPD/kfifo run_vmm "$TMPD/keys_late" --disk "$B/keyecho.bin" &
exec 7>"$TMPD/kfifo"
for _ in $(seq 200); do grep -q 'no key yet' "$TMPD/keys_late" 2>/dev/null && break; sleep 0.05; done
printf 'late\nq' >&7
exec 7>&-
wait
# byte for byte: $(...) would drop the NULs of a read that returned without a key
printf 'type, q quits\nno key yet\nlate\nbye\n' >"$TMPD/keys_late.want"
check_eq bios_keyecho_waits_stdout "$(cmp "$TMPD/keys_late" "$TMPD/keys_late.want" 2>&1 &&
    echo same)" same

# unimplemented functions: CF set, AH=86h, one warning each, the guest goes on
case_run unimpl --disk "$B/unimpl.bin" --trace-exits=1
check_eq bios_unimpl_status "$RC" 0
check_eq bios_unimpl_stdout "$OUT" 'unsupported calls: CF set, AH=86h, going on'
check_match bios_unimpl_warning "$ERR" \
    '^vmm: vcpu 0 \(unimpl\): BIOS int 15h AH=C0h \(AX=C000h\) is not implemented: CF set, AH=86h$'
check_match bios_unimpl_listed "$ERR" '^bios: int 10h AH=4Fh not implemented, called 1 times$'
check_eq bios_unimpl_one_warning_each "$(grep -c 'is not implemented' <<<"$ERR")" 2

# multiboot: the C kernel, its memory map and a module, on serial and VGA
printf 'module one\n' >"$TMPD/mod.txt"
case_run mb "$MB/kernel.elf" --cmdline 'root=/dev/null quiet' \
    --module "$TMPD/mod.txt,arg=1" --vga-dump="$TMPD/mb.txt"
check_eq bios_multiboot_status "$RC" 0
mb_out="multiboot: magic ok, flags 0x24d
loader: mini-kvm
cmdline: root=/dev/null quiet
mem_lower 639 KiB, mem_upper 3008 KiB
mmap: 0x0 len 0x9fc00 type 1
mmap: 0x9fc00 len 0x400 type 2
mmap: 0xf0000 len 0x10000 type 2
mmap: 0x100000 len 0x2f0000 type 1
mmap: 0x3f0000 len 0x10000 type 2
module: $TMPD/mod.txt arg=1, 11 bytes at 0x107000 (page-aligned): module one
kernel: done"
check_eq bios_multiboot_serial "$OUT" "$mb_out"
check_eq bios_multiboot_vga "$(cat "$TMPD/mb.txt")" "$(cut -c1-80 <<<"$mb_out")"
case_run mb_dyn "$MB/kernel-dyn.elf"
check_eq bios_multiboot_pie_status "$RC" 0
check_match bios_multiboot_pie_runs "$OUT" '^kernel: done$'
case_run aout "$MB/aout.bin" --vga-dump="$TMPD/aout.txt"
check_eq bios_multiboot_aout_status "$RC" 0
check_eq bios_multiboot_aout_serial "$OUT" 'a.out kludge kernel: magic ok, bss clean'
check_eq bios_multiboot_aout_vga "$(cat "$TMPD/aout.txt")" 'a.out kludge kernel: magic ok, bss clean'

# the live screen through a pseudo-terminal: ANSI, the text, serial below it
python3 - "$VMM" "$B/hello.bin" >"$TMPD/live.txt" 2>&1 <<'PY'
import os, pty, sys, select, time
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "--vga", "live", "--disk", sys.argv[2]])
out, end = b"", time.time() + 20
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 0.2)
    if not r:
        if os.waitpid(pid, os.WNOHANG)[0]:
            break
        continue
    try:
        data = os.read(fd, 65536)
    except OSError:
        break
    if not data:
        break
    out += data
import re
print(repr(out))
# serial text with the screen's redraws (save cursor ... restore cursor) taken out
print(repr(re.sub(rb"\x1b7.*?\x1b8", b"", out, flags=re.S)))
PY
live=$(cat "$TMPD/live.txt")
check_match bios_vga_live_clears "$live" '\\x1b\[2J'
check_match bios_vga_live_scroll_region "$live" '\\x1b\[27;[0-9]+r'
check_match bios_vga_live_row0 "$live" '\\x1b\[1;1H\\x1b\[0;37;40mHello from the boot sector!'
check_match bios_vga_live_serial_kept "$live" 'Booted by the mini-kvm BIOS\.\\r\\nCRTC cursor'

# the service tour: values a loader reads, the clock, serial, screen drawing, and
# a reboot by int 19h that ends in int 18h (status 1)
case_run services --disk "$B/services.bin" --vga-dump="$TMPD/services.txt"
check_eq bios_services_status "$RC" 1
check_eq bios_services_stdout "$OUT" 'int 11h equipment: 0222
int 12h KiB: 027F
int 15h 88h KiB: 0C00
int 15h E801h KiB 1-16M: 0C00
int 15h E801h 64K above 16M: 0000
A20 after 2400h: 0000
A20 after 2401h: 0001
int 10h 0Fh AX: 5003
ticks: moving
int 1Ah ticks: match 0040:006C
RTC: BCD time, 20xx date
int 14h: hello over COM1
white on blue
cursor after AH=13h (DH row, DL column): 170D
second boot, by int 19h
DL: 0080'
check_eq bios_services_int18 "$ERR" \
    'vmm: vcpu 0 (services): int 18h: the guest found nothing to boot, stopping'
screen=$(cat "$TMPD/services.txt")
check_match bios_services_scrolled "$screen" '^scrolled up one row$'
check_match bios_services_ah09_run "$screen" '^XXXXX$'
check_match bios_services_ah13_string "$screen" '^white on blue$'
# the same image as a floppy: DL 00h, and the equipment word's floppy bit
truncate -s 1440K "$TMPD/fd.img"
dd if="$B/services.bin" of="$TMPD/fd.img" conv=notrunc status=none
case_run services_fd --disk "$TMPD/fd.img"
check_match bios_services_floppy_equipment "$OUT" '^int 11h equipment: 0223$'
check_match bios_services_floppy_dl "$OUT" '^DL: 0000$'

# a divide error with no handler: the guest ends, naming where
case_run divzero --disk "$B/divzero.bin"
check_eq bios_divzero_status "$RC" 126
check_eq bios_divzero_message "$ERR" "vmm: vcpu 0 (divzero): #DE divide error at 0000:$(printf '%04x' \
    "0x$(nm "$B/divzero.sym.elf" | awk '$3 == "fault_insn" { print $1 }')") in real mode (BIOS vector 00h, the guest installed no handler), stopping"

# bad input: one line naming the file and what is wrong, status 2
head -c 512 /dev/zero >"$TMPD/nosig.img"
case_run nosig --disk "$TMPD/nosig.img"
check_eq bios_no_signature_status "$RC" 2
check_eq bios_no_signature_message "$ERR" \
    "vmm: $TMPD/nosig.img: sector 0 has no boot signature 55AA at offset 510 (found 0000)"
case_run boot_alone --boot floppy "$B/hello.bin"
check_eq bios_boot_needs_disk "$ERR" \
    'vmm: --boot needs --disk and no IMAGE (it says how the disk boots)'
case_run cmdline_flat --cmdline x "$B/hello.bin"
check_match bios_cmdline_needs_multiboot "$ERR" \
    '^vmm: --cmdline and --module need --linux or a multiboot kernel'
python3 - "$MB/aout.bin" "$TMPD/mbflags.bin" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
flags = 0x10000 | 0x8           # bit 3: a feature this loader lacks
struct.pack_into("<III", d, 0, 0x1badb002, flags, (-(0x1badb002 + flags)) & 0xffffffff)
open(sys.argv[2], "wb").write(d)
PY
case_run mbflags "$TMPD/mbflags.bin"
check_eq bios_multiboot_flags_status "$RC" 2
check_match bios_multiboot_flags_message "$ERR" \
    'multiboot header at 0x0: flags 0x10008 require features this loader lacks \(bits 0x8'
