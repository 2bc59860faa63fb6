/* Guest page-table walk for the four x86 paging modes, driven by one format table
 * so that 32-bit, PAE, 4-level and 5-level share the same loop.
 *
 * Simplifications, on purpose (this serves a debugger, not an MMU):
 * - writable/user are the AND of RW/US over the levels that carry them; CR0.WP,
 *   SMEP/SMAP and protection keys are not applied, so "writable" means "writable
 *   by user code or by a supervisor that honours WP".
 * - nx is reported only when EFER.NXE is set: without it bit 63 is reserved and
 *   the hardware would fault on it rather than forbid execution.
 * - PAE PDPTEs carry no RW/US/XD bits, so they do not take part in the permissions.
 * - Reserved bits are not checked; PS in a PML4E/PML5E is ignored (it is reserved).
 * - 32-bit and PAE linear addresses above 4 GiB are -EINVAL like non-canonical ones:
 *   they cannot exist in those modes.
 * - When rd() fails, the entry it could not read is not counted in nlevels: lv[]
 *   only holds entries that were actually read. */
#include "vmm/x86/pagewalk.h"

#include "vmm/util.h"
#include "vmm/x86/bits.h"
#include <errno.h>
#include <string.h>

#define PHYS_MASK64 0x000ffffffffff000ull /* bits 51:12, MAXPHYADDR 52 */
#define PHYS_MASK32 0xfffff000ull
#define PAE_CR3_MASK 0xffffffe0ull /* the PDPT is 32-byte aligned */

struct pw_fmt {
    int top;               /* level number of the table CR3 points to */
    unsigned entry_size;   /* 4 or 8 bytes */
    unsigned idx_bits;     /* index bits per level: 10 or 9 */
    unsigned large_levels; /* bit L: PS at level L maps a page (before CR4.PSE) */
    bool top_no_perms;     /* the top level's entries have no RW/US/XD */
    uint64_t cr3_mask;
    uint64_t phys_mask; /* next-table / 4 KiB frame bits of an entry */
};

static const struct pw_fmt formats[] = {
    [PW_32BIT] = { 2, 4, 10, 1u << 2, false, PHYS_MASK32, PHYS_MASK32 },
    [PW_PAE] = { 3, 8, 9, 1u << 2, true, PAE_CR3_MASK, PHYS_MASK64 },
    [PW_4LEVEL] = { 4, 8, 9, (1u << 2) | (1u << 3), false, PHYS_MASK64, PHYS_MASK64 },
    [PW_5LEVEL] = { 5, 8, 9, (1u << 2) | (1u << 3), false, PHYS_MASK64, PHYS_MASK64 },
};

static enum pw_kind kind_of(const struct pw_cpu *c)
{
    if (!(c->cr0 & CR0_PG))
        return PW_NONE;
    if (c->efer & EFER_LMA)
        return c->cr4 & CR4_LA57 ? PW_5LEVEL : PW_4LEVEL;
    return c->cr4 & CR4_PAE ? PW_PAE : PW_32BIT;
}

static bool addr_valid(enum pw_kind k, uint64_t linear)
{
    int bits;
    switch (k) {
    case PW_32BIT:
    case PW_PAE: return linear <= 0xffffffffull;
    case PW_4LEVEL: bits = 48; break;
    case PW_5LEVEL: bits = 57; break;
    default: return true;
    }
    /* Canonical: bits 63..bits-1 all equal. */
    uint64_t top = linear >> (bits - 1);
    return top == 0 || top == (~0ull >> (bits - 1));
}

/* Frame of a large page; 32-bit PDEs keep physical bits 39:32 in bits 20:13 (PSE-36). */
static uint64_t large_frame(enum pw_kind k, uint64_t entry, uint64_t size)
{
    if (k == PW_32BIT)
        return (entry & 0xffc00000ull) | (((entry >> 13) & 0xffull) << 32);
    return entry & PHYS_MASK64 & ~(size - 1);
}

int pagewalk(const struct pw_cpu *c, uint64_t linear, pw_read_phys_fn rd, void *arg,
             struct pw_result *out)
{
    memset(out, 0, sizeof(*out));
    enum pw_kind k = kind_of(c);
    out->kind = k;
    if (k == PW_NONE) {
        out->phys = linear;
        out->writable = out->user = true;
        return 0;
    }
    if (!addr_valid(k, linear))
        return -EINVAL;

    const struct pw_fmt *f = &formats[k];
    unsigned large = f->large_levels;
    if (k == PW_32BIT && !(c->cr4 & CR4_PSE))
        large = 0;
    bool nxe = (c->efer & EFER_NXE) != 0;
    uint64_t table = c->cr3 & f->cr3_mask;
    uint64_t idx_mask = (1ull << f->idx_bits) - 1;
    bool writable = true, user = true, nx = false;

    for (int level = f->top; level >= 1; level--) {
        unsigned shift = 12 + f->idx_bits * (unsigned)(level - 1);
        uint64_t pa = table + ((linear >> shift) & idx_mask) * f->entry_size;
        uint64_t entry = 0;
        if (f->entry_size == 4) {
            uint32_t e32;
            if (rd(arg, pa, &e32, sizeof(e32)) < 0)
                return -EFAULT;
            entry = e32;
        } else if (rd(arg, pa, &entry, sizeof(entry)) < 0) {
            return -EFAULT;
        }
        out->lv[out->nlevels++] =
            (struct pw_level){ .level = level, .entry_pa = pa, .entry = entry };
        if (!(entry & PTE_P))
            return -EFAULT;
        if (!(f->top_no_perms && level == f->top)) {
            writable = writable && (entry & PTE_RW);
            user = user && (entry & PTE_US);
            nx = nx || (nxe && (entry & PTE_XD));
        }
        uint64_t size = 1ull << shift;
        if (level == 1 || (((large >> level) & 1) && (entry & PTE_PS))) {
            uint64_t frame = level == 1 ? entry & f->phys_mask : large_frame(k, entry, size);
            out->phys = frame | (linear & (size - 1));
            out->page_size = size;
            out->writable = writable;
            out->user = user;
            out->nx = nx;
            return 0;
        }
        table = entry & f->phys_mask;
    }
    return -EFAULT; /* not reached: level 1 always ends the walk */
}

const char *pw_kind_name(enum pw_kind k)
{
    static const char *const names[] = {
        [PW_NONE] = "paging off", [PW_32BIT] = "32-bit",   [PW_PAE] = "PAE",
        [PW_4LEVEL] = "4-level",  [PW_5LEVEL] = "5-level",
    };
    if ((unsigned)k >= ARRAY_SIZE(names))
        return "?";
    return names[k];
}
