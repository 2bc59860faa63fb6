#include "vmm/exitstats.h"

#include "vmm/util.h"
#include <linux/kvm.h>
#include <string.h>

static const struct {
    uint32_t reason;
    const char *name;
} exit_names[] = {
    { KVM_EXIT_UNKNOWN, "UNKNOWN" },
    { KVM_EXIT_EXCEPTION, "EXCEPTION" },
    { KVM_EXIT_IO, "IO" },
    { KVM_EXIT_HYPERCALL, "HYPERCALL" },
    { KVM_EXIT_DEBUG, "DEBUG" },
    { KVM_EXIT_HLT, "HLT" },
    { KVM_EXIT_MMIO, "MMIO" },
    { KVM_EXIT_IRQ_WINDOW_OPEN, "IRQ_WINDOW_OPEN" },
    { KVM_EXIT_SHUTDOWN, "SHUTDOWN" },
    { KVM_EXIT_FAIL_ENTRY, "FAIL_ENTRY" },
    { KVM_EXIT_INTR, "INTR" },
    { KVM_EXIT_SET_TPR, "SET_TPR" },
    { KVM_EXIT_TPR_ACCESS, "TPR_ACCESS" },
    { KVM_EXIT_NMI, "NMI" },
    { KVM_EXIT_INTERNAL_ERROR, "INTERNAL_ERROR" },
    { KVM_EXIT_OSI, "OSI" },
    { KVM_EXIT_SYSTEM_EVENT, "SYSTEM_EVENT" },
    { KVM_EXIT_IOAPIC_EOI, "IOAPIC_EOI" },
    { KVM_EXIT_HYPERV, "HYPERV" },
    { KVM_EXIT_X86_RDMSR, "X86_RDMSR" },
    { KVM_EXIT_X86_WRMSR, "X86_WRMSR" },
    { KVM_EXIT_DIRTY_RING_FULL, "DIRTY_RING_FULL" },
    { KVM_EXIT_AP_RESET_HOLD, "AP_RESET_HOLD" },
    { KVM_EXIT_X86_BUS_LOCK, "X86_BUS_LOCK" },
};

const char *exit_reason_name(uint32_t reason)
{
    for (size_t i = 0; i < ARRAY_SIZE(exit_names); i++)
        if (exit_names[i].reason == reason)
            return exit_names[i].name;
    return "?";
}

void exit_stats_init(struct exit_stats *s)
{
    memset(s, 0, sizeof(*s));
    pthread_mutex_init(&s->lock, NULL);
}

void exit_stats_count(struct exit_stats *s, uint32_t reason)
{
    atomic_fetch_add(&s->total, 1);
    atomic_fetch_add(&s->by_reason[reason < EXIT_REASON_SLOTS ? reason : 0], 1);
}

bool exit_stats_trace_take(struct exit_stats *s)
{
    return s->trace_cap && atomic_fetch_add(&s->traced, 1) < s->trace_cap;
}

void exit_stats_unknown(struct exit_stats *s, uint64_t addr, bool mmio)
{
    atomic_fetch_add(mmio ? &s->unknown_mmio : &s->unknown_pio, 1);
    pthread_mutex_lock(&s->lock);
    int i;
    for (i = 0; i < s->nunknown; i++)
        if (s->unknown[i].addr == addr && s->unknown[i].mmio == mmio)
            break;
    if (i == s->nunknown && s->nunknown < UNKNOWN_SLOTS)
        s->unknown[s->nunknown++] = (struct unknown_access){ .addr = addr, .mmio = mmio };
    if (i < s->nunknown)
        s->unknown[i].count++;
    pthread_mutex_unlock(&s->lock);
}

void exit_stats_print(struct exit_stats *s, FILE *f)
{
    fprintf(f, "exits: %llu total", (unsigned long long)atomic_load(&s->total));
    for (uint32_t r = 0; r < EXIT_REASON_SLOTS; r++) {
        uint64_t n = atomic_load(&s->by_reason[r]);
        if (n)
            fprintf(f, ", %s %llu", exit_reason_name(r), (unsigned long long)n);
    }
    fprintf(f, "\n");
    uint64_t traced = atomic_load(&s->traced);
    if (s->trace_cap && traced > s->trace_cap)
        fprintf(f, "exits: trace capped at %llu lines, %llu more not shown\n",
                (unsigned long long)s->trace_cap, (unsigned long long)(traced - s->trace_cap));
    pthread_mutex_lock(&s->lock);
    for (int i = 0; i < s->nunknown; i++)
        fprintf(f, "exits: unknown %s 0x%llx accessed %llu times\n",
                s->unknown[i].mmio ? "MMIO" : "port", (unsigned long long)s->unknown[i].addr,
                (unsigned long long)s->unknown[i].count);
    pthread_mutex_unlock(&s->lock);
}
