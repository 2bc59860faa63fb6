/* Guest page-table walk: linear -> guest-physical, level by level. No KVM here
 * (unit-tested with fake memory); the caller supplies a physical-read function. */
#ifndef MINIKVM_PAGEWALK_H
#define MINIKVM_PAGEWALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pw_cpu {
    uint64_t cr0, cr3, cr4, efer;
};

/* Reads guest-physical memory; 0 or -EFAULT outside RAM. */
typedef int (*pw_read_phys_fn)(void *arg, uint64_t pa, void *buf, size_t len);

struct pw_level {
    int level;         /* 5..1 for 4/5-level, 3..1 PAE, 2..1 32-bit; "PML4" is level 4 */
    uint64_t entry_pa; /* where the entry lives */
    uint64_t entry;    /* its value (32-bit tables zero-extended) */
};

enum pw_kind { PW_NONE, PW_32BIT, PW_PAE, PW_4LEVEL, PW_5LEVEL };

struct pw_result {
    enum pw_kind kind;
    uint64_t phys;      /* valid when the walk returned 0 */
    uint64_t page_size; /* 4K, 2M, 4M or 1G (0 when paging is off) */
    bool writable, user, nx;
    int nlevels; /* entries visited, including the one that was not present */
    struct pw_level lv[5];
};

/* 0: mapped; -EFAULT: some level not present (nlevels says which) or a table
 * outside RAM; -EINVAL: non-canonical address. */
int pagewalk(const struct pw_cpu *c, uint64_t linear, pw_read_phys_fn rd, void *arg,
             struct pw_result *out);

const char *pw_kind_name(enum pw_kind k);

#endif
