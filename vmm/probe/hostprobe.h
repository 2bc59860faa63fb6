/* What this host's KVM really does (docs/host-probe.md): measured at start-up
 * with tiny throw-away VMs so that no strategy is hard-coded for one host. */
#ifndef MINIKVM_HOSTPROBE_H
#define MINIKVM_HOSTPROBE_H

#include <stdbool.h>
#include <stdio.h>

enum probe_result { PROBE_UNTESTED = 0, PROBE_YES, PROBE_NO, PROBE_ERROR };

/* One row per behaviour; the order is the --probe table's order. */
enum probe_row {
    PROBE_REAL_MODE,    /* real mode guest runs */
    PROBE_PROT_MODE,    /* flat 32-bit protected mode runs */
    PROBE_LONG_MODE,    /* long mode set by KVM_SET_SREGS runs */
    PROBE_MODE_SWITCH,  /* guest-initiated real -> long switch */
    PROBE_PAGING32,     /* 32-bit paging (CR0.PG without LME) runs */
    PROBE_RING0_NATIVE, /* ring-0 code runs natively (not emulated) */
    PROBE_RING3_NATIVE, /* ring-3 long-mode code runs natively */
    PROBE_SYSCALL,      /* SYSCALL from ring 3 arrives at CPL 0 */
    PROBE_STEP_RING0,   /* KVM_GUESTDBG_SINGLESTEP exits in ring 0 */
    PROBE_STEP_RING3,   /* ... and in ring 3 */
    PROBE_HWBP_RING0,   /* DR0-3 execution breakpoints exit in ring 0 */
    PROBE_HWBP_RING3,
    PROBE_WATCHPOINT,    /* DR7 data watchpoints exit */
    PROBE_RO_SLOT,       /* a guest write to a KVM_MEM_READONLY slot exits as MMIO */
    PROBE_INT3_EXIT,     /* int3 in ring 0 with USE_SW_BP is a DEBUG exit */
    PROBE_INT3_EMUFAIL,  /* ... or an INTERNAL_ERROR at the int3 instead */
    PROBE_INT3_REAL,     /* int3 in real mode with USE_SW_BP is a DEBUG exit */
    PROBE_INT3_RING3,    /* int3 in ring 3 with USE_SW_BP is a DEBUG exit */
    PROBE_IRQCHIP,       /* in-kernel irqchip + PIT2 can be created */
    PROBE_AP_START,      /* INIT/SIPI through the in-kernel LAPIC starts a second vCPU */
    PROBE_CPUID_HIDE,    /* clearing a CPUID bit (XSAVE) sticks */
    PROBE_CX16_EMULATED, /* cmpxchg16b runs in ring 0 */
    PROBE_ROWS
};

/* Below this many microseconds per instruction ring-0 code runs natively; an
 * emulator needs ~1 us, hardware well under 0.05. */
#define PROBE_NATIVE_US 0.05

struct hostprobe {
    bool done;
    bool cached;        /* the answers came from the probe cache (probecache.h) */
    char uncached[128]; /* why measured answers were not stored, or "" */
    enum probe_result row[PROBE_ROWS];
    double ring0_us_per_insn; /* measured ring-0 instruction cost */
    double probe_ms;          /* how long the whole probe took */
};

/* Runs every row (the irqchip and AP rows only when IRQCHIP: they are the slow
 * ones); a row
 * whose tiny VM cannot even start is PROBE_ERROR. */
int hostprobe_run(struct hostprobe *p, bool irqchip);
/* Only the irqchip and AP rows, into an otherwise complete P (a cached probe taken
 * without them). */
void hostprobe_run_irqchip(struct hostprobe *p);
bool hostprobe_has_irqchip_rows(const struct hostprobe *p);
bool hostprobe_yes(const struct hostprobe *p, enum probe_row r);
void hostprobe_print(const struct hostprobe *p, FILE *f);

#endif
