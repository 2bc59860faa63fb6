#include "vmm/slots.h"

#include <errno.h>
#include <stdlib.h>

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void add_range(struct slot_layout *l, uint64_t gpa, uint64_t size, bool ro)
{
    struct slot_range *last = l->n ? &l->r[l->n - 1] : NULL;
    if (last && last->ro == ro && last->gpa + last->size == gpa) {
        last->size += size;
        return;
    }
    l->r[l->n++] = (struct slot_range){ .gpa = gpa, .size = size, .ro = ro };
}

int slots_layout(uint64_t mem_size, uint64_t *pages, int npages, struct slot_layout *out)
{
    out->n = 0;
    if (npages < 0)
        return -EINVAL;
    if (npages > 0) /* qsort wants a non-NULL array even for none */
        qsort(pages, (size_t)npages, sizeof(*pages), cmp_u64);
    int n = 0;
    for (int i = 0; i < npages; i++) {
        if ((pages[i] & (SLOTS_PAGE - 1)) || pages[i] >= mem_size ||
            mem_size - pages[i] < SLOTS_PAGE)
            return -EINVAL;
        if (n == 0 || pages[n - 1] != pages[i])
            pages[n++] = pages[i];
    }
    if (n > SLOTS_MAX_RO)
        return -E2BIG;
    uint64_t at = 0;
    for (int i = 0; i < n; i++) {
        if (pages[i] > at)
            add_range(out, at, pages[i] - at, false);
        add_range(out, pages[i], SLOTS_PAGE, true);
        at = pages[i] + SLOTS_PAGE;
    }
    if (at < mem_size)
        add_range(out, at, mem_size - at, false);
    return 0;
}

int slots_find(const struct slot_layout *l, const struct slot_range *r)
{
    for (int i = 0; i < l->n; i++)
        if (l->r[i].gpa == r->gpa && l->r[i].size == r->size && l->r[i].ro == r->ro)
            return i;
    return -1;
}
