#!/usr/bin/env bash
# --probe measures each host-table row; on a host whose KVM we know, every row must
# say what docs/host-probe.md records for it (kvm_pvm: the development machines;
# kvm_intel / kvm_amd: textbook). On an unknown host only the table's shape is
# checked, and the row comparison is a skip; so is a row with no recorded answer
# for the host kind yet ('?').
source "$(dirname "$0")/../lib.sh"
require_kvm

run_vmm "$TMPD/probe" --probe
check_eq probe_status "$RC" 0
out=$(cat "$TMPD/probe")
rows=$(grep -cE ' (yes|no|error|untested)( |$)' "$TMPD/probe")
check_eq probe_row_count "$rows" 22
# a negative cost is timing noise where ring 0 runs natively (a nested test box)
check_match probe_has_cost "$out" '^ring-0 instruction cost: -?[0-9.]+ us$'
ms=$(sed -n 's/^probe time: \([0-9.]*\) ms$/\1/p' "$TMPD/probe")
check_match probe_time_under_1s "${ms%.*}" '^[0-9]{1,3}$'

if [ -d /sys/module/kvm_pvm ]; then profile=pvm
elif [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; then profile=textbook
else profile=; fi

# row text | kvm_pvm | textbook
while IFS='|' read -r row pvm textbook; do
    [ -n "$row" ] || continue
    [ -n "$profile" ] || continue
    want=$pvm; [ "$profile" = textbook ] && want=$textbook
    line=$(grep -F "$row" "$TMPD/probe")
    got=$(echo "$line" | sed -E 's/ +<- differs$//' | awk '{print $NF}')
    name="probe_${profile}_$(echo "$row" | tr -c 'a-zA-Z0-9\n' _ | cut -c1-40)"
    if [ "$want" = "?" ]; then # not measured on such a host yet: say what it is
        skip "$name" "no recorded answer for $profile hosts yet; this one says '$got'"
        continue
    fi
    check_eq "$name" "$got" "$want"
done <<'TABLE'
real mode set by KVM_SET_SREGS runs|yes|yes
32-bit flat protected mode runs|yes|yes
long mode set by KVM_SET_SREGS runs|yes|yes
guest-initiated real -> protected -> long switch|yes|yes
32-bit paging (CR0.PG without EFER.LME) runs|no|yes
ring-0 guest code runs natively|no|yes
ring-3 long-mode code runs natively|yes|yes
SYSCALL from ring 3 arrives at CPL 0|no|yes
single-step in ring 0 exits (DEBUG #1)|yes|yes
single-step in ring 3 exits (DEBUG #1)|no|yes
DR0-3 execution breakpoint in ring 0 exits|yes|yes
DR0-3 execution breakpoint in ring 3 exits|no|yes
DR7 data watchpoint (write) exits|no|yes
write to a read-only memslot exits as MMIO, reads run|yes|yes
int3 in ring 0 with USE_SW_BP exits (DEBUG #3)|no|yes
int3 in ring 0 is an emulation failure instead|yes|no
int3 in real mode with USE_SW_BP exits (DEBUG #3)|no|yes
int3 in ring 3 with USE_SW_BP exits (DEBUG #3)|no|yes
in-kernel irqchip + PIT2|yes|yes
INIT/SIPI from the LAPIC starts a second vCPU|?|yes
clearing CPUID XSAVE with KVM_SET_CPUID2 sticks|no|yes
cmpxchg16b runs in ring 0|no|yes
TABLE
[ -n "$profile" ] || skip probe_rows_match_host "KVM module is neither kvm_pvm nor kvm_intel/kvm_amd: no known answers to compare the 22 rows with"
