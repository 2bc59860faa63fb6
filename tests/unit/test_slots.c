/* The memslot layout behind page-protected watchpoints (vmm/slots.c): RAM is
 * covered exactly once, protected pages are read-only ranges (neighbours merged),
 * page order and repeats do not matter, and bad pages are refused. */
#include "tests/unit/check.h"
#include "vmm/slots.h"

#include <errno.h>

#define MEM (16ull << 20)
#define PG SLOTS_PAGE

/* "gpa+size:ro ..." of a layout, to compare whole layouts in one check */
static const char *show(const struct slot_layout *l)
{
    static char buf[1024];
    size_t at = 0;
    buf[0] = '\0';
    for (int i = 0; i < l->n && at < sizeof(buf); i++)
        at += (size_t)snprintf(buf + at, sizeof(buf) - at, "%s%llx+%llx%s", i ? " " : "",
                               (unsigned long long)l->r[i].gpa, (unsigned long long)l->r[i].size,
                               l->r[i].ro ? ":ro" : "");
    return buf;
}

/* every byte of RAM in exactly one range, in order */
static bool covers(const struct slot_layout *l)
{
    uint64_t at = 0;
    for (int i = 0; i < l->n; i++) {
        if (l->r[i].gpa != at || l->r[i].size == 0)
            return false;
        at += l->r[i].size;
    }
    return at == MEM;
}

static void test_shapes(void)
{
    struct slot_layout l;
    CHECK_INT("slots_none_rc", slots_layout(MEM, NULL, 0, &l), 0);
    CHECK_STR("slots_none", show(&l), "0+1000000");

    uint64_t mid[] = { 0x5000 };
    CHECK_INT("slots_mid_rc", slots_layout(MEM, mid, 1, &l), 0);
    CHECK_STR("slots_mid", show(&l), "0+5000 5000+1000:ro 6000+ffa000");

    uint64_t first_last[] = { MEM - PG, 0 };
    CHECK_INT("slots_edges_rc", slots_layout(MEM, first_last, 2, &l), 0);
    CHECK_STR("slots_edges", show(&l), "0+1000:ro 1000+ffe000 fff000+1000:ro");

    /* two pages across a boundary (a watched value that straddles it), given twice
     * and out of order: one read-only range */
    uint64_t cross[] = { 0x9000, 0x8000, 0x9000, 0x8000 };
    CHECK_INT("slots_cross_rc", slots_layout(MEM, cross, 4, &l), 0);
    CHECK_STR("slots_cross", show(&l), "0+8000 8000+2000:ro a000+ff6000");
    CHECK("slots_cross_covers", covers(&l));

    uint64_t many[SLOTS_MAX_RO];
    for (int i = 0; i < SLOTS_MAX_RO; i++)
        many[i] = (uint64_t)(SLOTS_MAX_RO - i) * 2 * PG; /* none adjacent */
    CHECK_INT("slots_max_rc", slots_layout(MEM, many, SLOTS_MAX_RO, &l), 0);
    CHECK_INT("slots_max_n", l.n, 2 * SLOTS_MAX_RO + 1);
    CHECK("slots_max_covers", covers(&l));
    CHECK_INT("slots_find_own", slots_find(&l, &l.r[3]), 3);
    struct slot_range moved = l.r[3];
    moved.ro = !moved.ro;
    CHECK_INT("slots_find_flags_differ", slots_find(&l, &moved), -1);
}

static void test_refused(void)
{
    struct slot_layout l;
    uint64_t unaligned[] = { 0x5004 };
    CHECK_INT("slots_unaligned", slots_layout(MEM, unaligned, 1, &l), -EINVAL);
    uint64_t outside[] = { MEM };
    CHECK_INT("slots_outside", slots_layout(MEM, outside, 1, &l), -EINVAL);
    uint64_t huge[] = { ~0ull & ~(PG - 1) };
    CHECK_INT("slots_wraps", slots_layout(MEM, huge, 1, &l), -EINVAL);
    uint64_t many[SLOTS_MAX_RO + 1];
    for (int i = 0; i <= SLOTS_MAX_RO; i++)
        many[i] = (uint64_t)i * 2 * PG;
    CHECK_INT("slots_too_many", slots_layout(MEM, many, SLOTS_MAX_RO + 1, &l), -E2BIG);
    /* the same page many times is one page */
    uint64_t same[SLOTS_MAX_RO + 5];
    for (int i = 0; i < SLOTS_MAX_RO + 5; i++)
        same[i] = 0x3000;
    CHECK_INT("slots_repeats_ok", slots_layout(MEM, same, SLOTS_MAX_RO + 5, &l), 0);
    CHECK_INT("slots_repeats_n", l.n, 3);
}

int main(void)
{
    test_shapes();
    test_refused();
    return CHECK_DONE();
}
