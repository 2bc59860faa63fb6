/* Guest RAM as KVM memslots: one read-write range, split around the pages the
 * debugger makes read-only so that the guest's writes to them exit (page-protected
 * write watchpoints, vmm/debug/watch.c). KVM cannot change a slot's flags in place,
 * so a new page set means new slots: this file lays the ranges out and vm.c applies
 * the difference. No KVM here (tests/unit/test_slots.c). */
#ifndef MINIKVM_SLOTS_H
#define MINIKVM_SLOTS_H

#include <stdbool.h>
#include <stdint.h>

#define SLOTS_PAGE 4096ull
#define SLOTS_MAX_RO 64 /* read-only pages at once */
/* each read-only run of pages splits one range in three at most */
#define SLOTS_MAX (2 * SLOTS_MAX_RO + 1)

struct slot_range {
    uint64_t gpa, size;
    bool ro;
};

struct slot_layout {
    int n;
    struct slot_range r[SLOTS_MAX];
};

/* Lays RAM [0, mem_size) out with the pages at the guest-physical addresses in
 * PAGES (sorted and de-duplicated in place; any order) read-only, consecutive pages
 * in one range. -EINVAL: a page not page-aligned or outside RAM; -E2BIG: more than
 * SLOTS_MAX_RO distinct pages. */
int slots_layout(uint64_t mem_size, uint64_t *pages, int npages, struct slot_layout *out);

/* The index of range R in layout L as it is (same place, size and flags), or -1. */
int slots_find(const struct slot_layout *l, const struct slot_range *r);

#endif
