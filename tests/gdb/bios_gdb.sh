#!/usr/bin/env bash
# A BIOS guest under gdb: break in a boot sector, step over an int 13h call (the
# second stage appears in memory), and read the screen with `monitor vga`.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/gdblib.sh"
require_kvm

sym() { printf '0x%x' "0x$(nm "$G/bios/$1.sym.elf" | awk -v s="$2" '$3 == s { print $1 }')"; }
read_at=$(sym twostage chs_read)
done_at=$(sym twostage chs_done)
stage2=$(od -An -tx1 -j512 -N4 "$G/bios/twostage.bin" | tr -d ' \n')

start_vmm_gdb --disk "$G/bios/twostage.bin" || exit 1
run_gdb bios "target remote 127.0.0.1:$PORT" "hbreak *$read_at" "continue" \
    'printf "before: %02x\n", *(unsigned char *)0x7e00' "monitor vga" \
    "advance *$done_at" 'printf "pc after int 13h: 0x%x\n", $pc' \
    'printf "stage 2 bytes: %08x\n", *(unsigned int *)0x7e00' 'printf "CF: %d\n", $eflags & 1' \
    "kill"
check_gdb_log bios_gdb_before_read bios '^before: 00$'
check_gdb_log bios_gdb_monitor_vga_row0 bios '^ 0\|stage 1: reading stage 2 with int 13h CHS$'
check_gdb_log bios_gdb_monitor_vga_cursor bios '^cursor: row 1, column 0$'
check_gdb_log bios_gdb_stepped_over_int13 bios "^pc after int 13h: $done_at\$"
want=$(printf '%s' "$stage2" | sed -E 's/(..)(..)(..)(..)/\4\3\2\1/')
check_gdb_log bios_gdb_stage2_loaded bios "^stage 2 bytes: $want\$"
check_gdb_log bios_gdb_cf_clear bios '^CF: 0$'
wait_vmm 20
check_eq bios_gdb_kill_status "$VRC" 137
