/* Exit counters, the unknown-port/MMIO tally and the --trace-exits line budget.
 * Shared by all vCPU threads, hence atomics and a small lock for the tally. */
#ifndef MINIKVM_EXITSTATS_H
#define MINIKVM_EXITSTATS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define EXIT_REASON_SLOTS 64
#define UNKNOWN_SLOTS 32

struct unknown_access {
    uint64_t addr;
    bool mmio;
    uint64_t count;
};

struct exit_stats {
    atomic_uint_least64_t by_reason[EXIT_REASON_SLOTS];
    atomic_uint_least64_t total;
    atomic_uint_least64_t unknown_pio;
    atomic_uint_least64_t unknown_mmio;
    atomic_uint_least64_t traced;
    uint64_t trace_cap; /* 0: tracing off */
    pthread_mutex_t lock;
    int nunknown;
    struct unknown_access unknown[UNKNOWN_SLOTS];
};

void exit_stats_init(struct exit_stats *s);
const char *exit_reason_name(uint32_t reason);
void exit_stats_count(struct exit_stats *s, uint32_t reason);
/* true when this exit may print a trace line (under the cap) */
bool exit_stats_trace_take(struct exit_stats *s);
void exit_stats_unknown(struct exit_stats *s, uint64_t addr, bool mmio);
void exit_stats_print(struct exit_stats *s, FILE *f);

#endif
