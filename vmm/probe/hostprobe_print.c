/* The --probe table: one line per row, in docs/host-probe.md's words. */
#include "vmm/probe/hostprobe.h"

static const struct {
    const char *what;
    const char *textbook; /* what VMX/SVM KVM does */
} rows[PROBE_ROWS] = {
    [PROBE_REAL_MODE] = { "real mode set by KVM_SET_SREGS runs", "yes" },
    [PROBE_PROT_MODE] = { "32-bit flat protected mode runs", "yes" },
    [PROBE_LONG_MODE] = { "long mode set by KVM_SET_SREGS runs", "yes" },
    [PROBE_MODE_SWITCH] = { "guest-initiated real -> protected -> long switch", "yes" },
    [PROBE_PAGING32] = { "32-bit paging (CR0.PG without EFER.LME) runs", "yes" },
    [PROBE_RING0_NATIVE] = { "ring-0 guest code runs natively", "yes" },
    [PROBE_RING3_NATIVE] = { "ring-3 long-mode code runs natively", "yes" },
    [PROBE_SYSCALL] = { "SYSCALL from ring 3 arrives at CPL 0", "yes" },
    [PROBE_STEP_RING0] = { "single-step in ring 0 exits (DEBUG #1)", "yes" },
    [PROBE_STEP_RING3] = { "single-step in ring 3 exits (DEBUG #1)", "yes" },
    [PROBE_HWBP_RING0] = { "DR0-3 execution breakpoint in ring 0 exits", "yes" },
    [PROBE_HWBP_RING3] = { "DR0-3 execution breakpoint in ring 3 exits", "yes" },
    [PROBE_WATCHPOINT] = { "DR7 data watchpoint (write) exits", "yes" },
    [PROBE_RO_SLOT] = { "write to a read-only memslot exits as MMIO, reads run", "yes" },
    [PROBE_INT3_EXIT] = { "int3 in ring 0 with USE_SW_BP exits (DEBUG #3)", "yes" },
    [PROBE_INT3_EMUFAIL] = { "int3 in ring 0 is an emulation failure instead", "no" },
    [PROBE_INT3_REAL] = { "int3 in real mode with USE_SW_BP exits (DEBUG #3)", "yes" },
    [PROBE_INT3_RING3] = { "int3 in ring 3 with USE_SW_BP exits (DEBUG #3)", "yes" },
    [PROBE_IRQCHIP] = { "in-kernel irqchip + PIT2", "yes" },
    [PROBE_AP_START] = { "INIT/SIPI from the LAPIC starts a second vCPU", "yes" },
    [PROBE_CPUID_HIDE] = { "clearing CPUID XSAVE with KVM_SET_CPUID2 sticks", "yes" },
    [PROBE_CX16_EMULATED] = { "cmpxchg16b runs in ring 0", "yes" },
};

static const char *result_name(enum probe_result r)
{
    static const char *const names[] = { [PROBE_UNTESTED] = "untested",
                                         [PROBE_YES] = "yes",
                                         [PROBE_NO] = "no",
                                         [PROBE_ERROR] = "error" };
    return names[r];
}

void hostprobe_print(const struct hostprobe *p, FILE *f)
{
    fprintf(f, "%-52s %-9s %s\n", "behaviour", "textbook", "this host");
    for (int i = 0; i < PROBE_ROWS; i++) {
        const char *got = result_name(p->row[i]);
        bool differs =
            p->row[i] == PROBE_YES ? rows[i].textbook[0] != 'y' : rows[i].textbook[0] == 'y';
        fprintf(f, "%-52s %-9s %s%s\n", rows[i].what, rows[i].textbook, got,
                differs ? "   <- differs" : "");
    }
    fprintf(f, "ring-0 instruction cost: %.3f us\n", p->ring0_us_per_insn);
    fprintf(f, "probe time: %.1f ms\n", p->probe_ms);
}
