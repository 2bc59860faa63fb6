#!/usr/bin/env bash
# Triple-fault forensics, headless: for each way to triple-fault, the report names
# the cause in plain words (the key phrase is compared), and --history 16 shows the
# last 16 instructions, matching the guest's code as objdump lists it. AMD's KVM
# resets the vCPU at a shutdown, so without --history the report there says so and
# asks for it; elsewhere the state at the shutdown is explained directly.
source "$(dirname "$0")/../lib.sh"
require_kvm
source "$(dirname "$0")/linuxlib.sh"

amd=0; [ -d /sys/module/kvm_amd ] && amd=1

# why NAME PHRASE ARGS...: the report of a triple fault, with --history 16 and without
why() {
    local name=$1 phrase=$2; shift 2
    run_vmm "$TMPD/$name" --history 16 "$@"
    check_eq "forensics_${name}_status" "$RC" 125
    check_match "forensics_${name}_cause" "$(cat "$TMPD/$name.err")" "^  [0-9]\. .*$phrase"
    run_vmm "$TMPD/$name-nohist" "$@"
    local err
    err=$(cat "$TMPD/$name-nohist.err")
    if [ "$amd" = 1 ]; then
        check_match "forensics_${name}_amd_reset_said" "$err" 'the host reset this vCPU at the shutdown'
        check_match "forensics_${name}_amd_asks_history" "$err" 'run again with --history N'
    else
        check_match "forensics_${name}_cause_at_shutdown" "$err" "^  [0-9]\. .*$phrase"
    fi
}

why empty_idt 'IDT limit is 0: no exception can be delivered' "$G/special/triplefault.bin"
why missing_gate 'the IDT gate for #DF \(vector 8\) is not present' "$G/long/tf_gate.elf"
check_match forensics_missing_gate_ud "$(cat "$TMPD/missing_gate.err")" \
    'the IDT gate for #UD \(vector 6\) is not present'
why bad_cs 'cs 0x0010 names a descriptor in the GDT that is not a code segment' "$G/long/tf_cs.elf"
why unmapped_stack 'the stack below rsp 0x7ff000000000 is not mapped' "$G/long/tf_stack.elf"

# The history: the last 16 instructions, in order, are the last 16 of the guest's
# straight-line code up to the faulting store (objdump's addresses).
want=$(objdump -d --insn-width=16 "$G/long/tf_stack.elf" | awk '/<_start>:/ { on = 1 } /<handler>:/ { on = 0 }
    on && /^ +[0-9a-f]+:/ { sub(":", "", $1); print "0x" $1 }' | tail -n 16)
got=$(sed -n 's/^ *[0-9]\+ long mode \+\(0x[0-9a-f]\+\) .*/\1/p' "$TMPD/unmapped_stack.err")
check_eq forensics_history_16_addresses "$got" "$want"
check_match forensics_history_header "$(cat "$TMPD/unmapped_stack.err")" \
    '^history: the last 16 instructions, oldest first'
check_match forensics_history_changed_regs "$(cat "$TMPD/unmapped_stack.err")" \
    '0x[0-9a-f]+ 48bc0000000000f07f00 .*rsp=0x7ff000000000|rsp=0x7ff000000000'

# Linux's deliberately broken boot: the 64-bit entry's stack outside the identity map
linux_assets
RUN_LIMIT=120 run_vmm "$TMPD/linux" --history 16 --linux "$KERNEL" --linux-test-break \
    --cmdline "$LINUX_CMDLINE"
check_eq forensics_linux_status "$RC" 125
check_match forensics_linux_cause "$(cat "$TMPD/linux.err")" '^  [0-9]\. the stack below rsp 0x[0-9a-f]+ is not mapped'
