#!/usr/bin/env bash
# gdb follows Linux's 32-bit boot-protocol entry (--linux-entry 32): the decompressor's
# startup_32 is shown as i386 code (gdb's disassembly equals objdump -m i386), and a
# continue across its switch to long mode stops at startup_64 shown as x86-64 code.
source "$(dirname "$0")/linuxgdb.sh"

LOAD=0x1000000 # the test kernel's pref_address; the decompressor is linked at 0
# objdump's text (mnemonic and operands) for the first instructions of startup_32 and
# startup_64, as gdb prints them, in the mode each runs in
dis() { # dis MACHINE SYMBOL COUNT
    local at
    at=$(nm "$DECOMP" | awk -v s="$2" '$3 == s { print $1 }')
    objdump -d -m "$1" --start-address=0x$at --stop-address=$((0x$at + 64)) "$DECOMP" |
        awk -F'\t' '/^ *[0-9a-f]+:\t/ && NF >= 3 { print $3 }' | head -n "$3" | tr -s ' ' | paste -sd'|'
}
want32=$(dis i386 startup_32 3)
want64=$(dis i386:x86-64 startup_64 3)
start_vmm_gdb --linux "$KERNEL" --cmdline "$LINUX_CMDLINE" --linux-entry 32 || exit 1
run_gdb linux_entry32 "source $TOP/gdbinit/common.gdb" \
    "python WANT32 = '''$want32'''.split('|'); WANT64 = '''$want64'''.split('|')" \
    "add-symbol-file $DECOMP -o $LOAD" "target remote 127.0.0.1:$PORT" \
    "source $TOP/tests/gdb/linux_entry32.py" "kill"
wait_vmm 20
check_eq linux_entry32_kill_status "$VRC" 137
