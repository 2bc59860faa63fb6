/* The gdb target on KVM: where a breakpoint is inserted. gdb's Z/z packets land in
 * the tables here; software breakpoints go into guest memory as int3 at resume and
 * come out at every stop (debug_swbp_insert/restore), hardware breakpoints and
 * watchpoints take debug-register slots that guest_debug.c programs for each run.
 * How the host reports what they trigger is classify.c's business. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vmm/debug/debug_priv.h"
#include "vmm/util.h"
#include "vmm/x86/bits.h"

int debug_dr7_len(size_t len)
{
    static const struct {
        size_t bytes;
        int code;
    } lens[] = { { 1, DR7_LEN_1 }, { 2, DR7_LEN_2 }, { 4, DR7_LEN_4 }, { 8, DR7_LEN_8 } };
    for (size_t i = 0; i < ARRAY_SIZE(lens); i++)
        if (lens[i].bytes == len)
            return lens[i].code;
    return -1;
}

bool debug_is_watch(enum bp_kind k)
{
    return k == BP_WRITE || k == BP_READ || k == BP_ACCESS;
}

int debug_insert_bp(void *t, enum bp_kind kind, uint64_t addr, size_t len)
{
    struct debug *d = t;
    if (kind == BP_SW) {
        for (int i = 0; i < d->nswbp; i++)
            if (d->swbp[i].addr == addr)
                return 0;
        if (d->nswbp == DBG_MAX_SWBP)
            return -ENOSPC;
        d->swbp[d->nswbp++] = (struct swbp){ .addr = addr };
        return 0;
    }
    if (debug_is_watch(kind)) {
        if (debug_dr7_len(len) < 0 || (addr & (len - 1)))
            return -EINVAL;
        if (d->emulate_watch && kind != BP_WRITE)
            return -EOPNOTSUPP; /* reads cannot be seen by comparing memory */
    } else if (kind != BP_HW) {
        return -EOPNOTSUPP;
    }
    for (int i = 0; i < DBG_HW_SLOTS; i++)
        if (!d->hw[i].used) {
            d->hw[i] = (struct hwbp){
                .used = true, .kind = kind, .addr = addr, .len = kind == BP_HW ? 1 : len
            };
            return 0;
        }
    return -ENOSPC;
}

int debug_remove_bp(void *t, enum bp_kind kind, uint64_t addr, size_t len)
{
    struct debug *d = t;
    if (kind == BP_SW) {
        for (int i = 0; i < d->nswbp; i++)
            if (d->swbp[i].addr == addr) {
                d->swbp[i] = d->swbp[--d->nswbp];
                return 0;
            }
        return -ENOENT;
    }
    for (int i = 0; i < DBG_HW_SLOTS; i++)
        if (d->hw[i].used && d->hw[i].kind == kind && d->hw[i].addr == addr &&
            (kind == BP_HW || d->hw[i].len == len)) {
            d->hw[i].used = false;
            return 0;
        }
    return -ENOENT;
}

void debug_bp_remove_all(struct debug *d)
{
    d->nswbp = 0;
    memset(d->hw, 0, sizeof(d->hw));
}

bool debug_swbp_at(struct debug *d, uint64_t linear)
{
    for (int i = 0; i < d->nswbp; i++)
        if (d->swbp[i].addr == linear)
            return true;
    return false;
}

/* Translations use vCPU 0's page tables: breakpoints are placed while stopped, in
 * whatever address space the guest is in then. An address not mapped now stays
 * pending and is tried again at the next resume. */
void debug_swbp_insert(struct debug *d)
{
    for (int i = 0; i < d->nswbp; i++) {
        struct swbp *b = &d->swbp[i];
        uint8_t *h;
        if (debug_translate(d, 0, b->addr, &b->phys) < 0 ||
            !(h = vm_gpa_to_hva(&d->m->vm, b->phys, 1)))
            continue;
        b->orig = *h;
        *h = OP_INT3;
        b->inserted = true;
    }
    /* snapshot watched bytes for emulated watchpoints and read filtering */
    for (int i = 0; i < DBG_HW_SLOTS; i++) {
        struct hwbp *w = &d->hw[i];
        w->phys_ok = w->used && debug_is_watch(w->kind) &&
                     debug_translate(d, 0, w->addr, &w->phys) == 0 &&
                     vm_gpa_to_hva(&d->m->vm, w->phys, w->len);
        if (w->phys_ok)
            memcpy(w->old, vm_gpa_to_hva(&d->m->vm, w->phys, w->len), w->len);
    }
}

void debug_swbp_restore(struct debug *d)
{
    for (int i = d->nswbp - 1; i >= 0; i--) {
        struct swbp *b = &d->swbp[i];
        uint8_t *h = b->inserted ? vm_gpa_to_hva(&d->m->vm, b->phys, 1) : NULL;
        if (h && *h == OP_INT3) /* the guest may have rewritten it meanwhile: then keep its byte */
            *h = b->orig;
        b->inserted = false;
    }
}
