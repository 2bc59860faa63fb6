/* The gdb target on KVM: software breakpoints as int3s in guest memory, in every
 * address space where their linear address runs. gdb gives a linear address; the
 * int3 goes into the physical page it maps to in each address space a vCPU has
 * loaded: at resume (every vCPU parked, stub thread) and, while the guest runs, at
 * each exit where a vCPU is found in an address space not yet covered (a process
 * created after the breakpoint was set: its own copy of the code). Every int3 comes
 * out at the next stop, so gdb always reads the guest's bytes; one the guest
 * overwrote meanwhile (a loader copying code) keeps the guest's byte and is put
 * back at the next resume.
 * To be there when a new address space starts: on hosts whose debug registers fire
 * in ring 3, a spare one watches a pending breakpoint's address (its hit is reported
 * as the software breakpoint it stands for); where they do not (kvm_pvm), ring-0
 * code is single-stepped while a breakpoint sits in user code of a guest that has
 * run ring 3 (processes that may copy it), so the step after the kernel loads a new
 * CR3 covers it before ring 3 runs. Other pending ones (not mapped yet) are placed
 * at the next exit in an address space that maps them. */
#include <string.h>

#include "vmm/debug/debug_priv.h"
#include "vmm/guestmem.h"
#include "vmm/x86/bits.h"

bool debug_swbp_at(struct debug *d, uint64_t linear)
{
    for (int i = 0; i < d->nswbp; i++)
        if (d->swbp[i].addr == linear)
            return true;
    return false;
}

/* Puts B's int3 where its address maps in the address space S describes. */
static void place(struct debug *d, struct swbp *b, const struct kvm_sregs *s)
{
    struct pw_cpu pc = guestmem_pw_cpu(s);
    struct pw_result r;
    if (pagewalk(&pc, b->addr, guestmem_read_phys, &d->m->vm, &r) < 0) {
        b->pending = true; /* not mapped here: maybe in an address space to come */
        return;
    }
    if (r.user && (s->cr0 & CR0_PG)) {
        b->pending = true; /* user code: other processes may have their own copy */
        b->user = true;
    }
    uint8_t *h = vm_gpa_to_hva(&d->m->vm, r.phys, 1);
    if (!h)
        return;
    for (int i = 0; i < b->ncopies; i++)
        if (b->copy[i].phys == r.phys) {
            if (*h != OP_INT3) { /* the guest wrote new code there: its byte, our int3 */
                b->copy[i].orig = *h;
                *h = OP_INT3;
            }
            return;
        }
    if (b->ncopies == SWBP_COPIES)
        return;
    b->copy[b->ncopies].phys = r.phys;
    b->copy[b->ncopies++].orig = *h;
    *h = OP_INT3;
}

static void place_all(struct debug *d, const struct kvm_sregs *s)
{
    for (int i = 0; i < d->nswbp; i++)
        place(d, &d->swbp[i], s);
}

void debug_swbp_insert(struct debug *d)
{
    d->track_spaces = d->track_user = false;
    for (int c = 0; c < d->m->nvcpus; c++) {
        struct kvm_sregs s;
        if (d->cpu[c].done || vcpu_get_sregs(&d->m->vcpus[c], &s) < 0)
            continue;
        place_all(d, &s);
        d->cpu[c].cr3_placed = s.cr3;
    }
    for (int i = 0; i < d->nswbp; i++) {
        d->track_spaces |= d->swbp[i].pending;
        d->track_user |= d->swbp[i].user && atomic_load(&d->seen_ring3);
    }
}

void debug_swbp_restore(struct debug *d)
{
    for (int i = d->nswbp - 1; i >= 0; i--) {
        struct swbp *b = &d->swbp[i];
        for (int k = b->ncopies - 1; k >= 0; k--) {
            uint8_t *h = vm_gpa_to_hva(&d->m->vm, b->copy[k].phys, 1);
            if (h && *h == OP_INT3) /* the guest may have rewritten it: then keep its byte */
                *h = b->copy[k].orig;
        }
        b->ncopies = 0;
        b->pending = b->user = false;
    }
    d->track_spaces = d->track_user = false;
}

void debug_swbp_track(struct debug *d, struct vcpu *v)
{
    struct kvm_sregs s;
    if (vcpu_get_sregs(v, &s) < 0)
        return;
    if ((s.cs.selector & 3) == 3 && (s.cr0 & CR0_PE))
        atomic_store(&d->seen_ring3, true);
    if (!d->track_spaces || s.cr3 == d->cpu[v->id].cr3_placed)
        return;
    pthread_mutex_lock(&d->lock);
    place_all(d, &s);
    pthread_mutex_unlock(&d->lock);
    d->cpu[v->id].cr3_placed = s.cr3;
}

bool debug_swbp_step_ring0(struct debug *d, const struct kvm_sregs *s)
{
    return d->track_user && (s->cr0 & CR0_PG) && (s->cs.selector & 3) == 0 &&
           !hostprobe_yes(&d->m->probe, PROBE_HWBP_RING3);
}
