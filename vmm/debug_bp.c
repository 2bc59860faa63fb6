/* The gdb target on KVM, part 3: software and hardware breakpoints, watchpoints,
 * and what each debug-related exit means. The strategy follows the host probe:
 *  - int3 that exits (textbook KVM) or faults in the emulator (INT3_EMUFAIL) is
 *    recognised at a breakpoint address; any other int3 goes back to the guest;
 *  - where real-mode int3 is delivered to the guest's IVT, a hardware breakpoint on
 *    the vector-3 handler catches it and the interrupt frame is unwound;
 *  - where data breakpoints never fire, write watchpoints are emulated by
 *    single-stepping and comparing the watched bytes. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vmm/debug_priv.h"

#define INT3 0xcc
#define DR6_HIT_MASK 0xfu
#define DR6_BS (1u << 14)
#define DR7_LE_GE 0x300u

/* DR7 RW field per kind: execute 00, write 01, read/write 11 (x86 has no read-only). */
static const uint8_t dr7_rw[] = { [BP_HW] = 0, [BP_WRITE] = 1, [BP_READ] = 3, [BP_ACCESS] = 3 };

static int dr7_len(size_t len)
{
    switch (len) {
    case 1: return 0;
    case 2: return 1;
    case 8: return 2;
    case 4: return 3;
    default: return -1;
    }
}

static bool is_watch(enum bp_kind k) { return k == BP_WRITE || k == BP_READ || k == BP_ACCESS; }

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
    if (is_watch(kind)) {
        if (dr7_len(len) < 0 || (addr & (len - 1)))
            return -EINVAL;
        if (d->emulate_watch && kind != BP_WRITE)
            return -EOPNOTSUPP;   /* reads cannot be seen by comparing memory */
    } else if (kind != BP_HW) {
        return -EOPNOTSUPP;
    }
    for (int i = 0; i < DBG_HW_SLOTS; i++)
        if (!d->hw[i].used) {
            d->hw[i] = (struct hwbp){ .used = true, .kind = kind, .addr = addr,
                                      .len = kind == BP_HW ? 1 : len };
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
        if (debug_translate(d, 0, b->addr, &b->phys) < 0 || !(h = vm_gpa_to_hva(&d->m->vm, b->phys, 1)))
            continue;
        b->orig = *h;
        *h = INT3;
        b->inserted = true;
    }
    /* snapshot watched bytes for emulated watchpoints and read filtering */
    for (int i = 0; i < DBG_HW_SLOTS; i++) {
        struct hwbp *w = &d->hw[i];
        w->phys_ok = w->used && is_watch(w->kind) && debug_translate(d, 0, w->addr, &w->phys) == 0 &&
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
        if (h && *h == INT3)     /* the guest may have rewritten it meanwhile: then keep its byte */
            *h = b->orig;
        b->inserted = false;
    }
}

static uint64_t linear_rip(const struct kvm_regs *r, const struct kvm_sregs *s)
{
    return vcpu_mode_of(s) == VMODE_LONG ? r->rip : s->cs.base + r->rip;
}

/* Real mode where int3 bypasses the VMM: the vector-3 handler's first instruction. */
static bool bp_catcher_addr(struct debug *d, struct vcpu *v, const struct kvm_sregs *s, uint64_t *addr)
{
    if (d->nswbp == 0 || hostprobe_yes(&d->m->probe, PROBE_INT3_REAL) || vcpu_mode_of(s) != VMODE_REAL)
        return false;
    uint16_t ivt[2];
    uint8_t *h = vm_gpa_to_hva(&d->m->vm, s->idt.base + 3 * 4, sizeof(ivt));
    if (!h)
        return false;
    memcpy(ivt, h, sizeof(ivt));
    *addr = ((uint64_t)ivt[1] << 4) + ivt[0];
    (void)v;
    return true;
}

static bool watch_active(struct debug *d)
{
    for (int i = 0; i < DBG_HW_SLOTS; i++)
        if (d->hw[i].used && is_watch(d->hw[i].kind))
            return true;
    return false;
}

int debug_apply_guest_debug(struct debug *d, struct vcpu *v)
{
    struct dbg_cpu *c = &d->cpu[v->id];
    struct kvm_guest_debug g;
    memset(&g, 0, sizeof(g));
    struct kvm_regs r;
    struct kvm_sregs s;
    if (vcpu_get_regs(v, &r) < 0 || vcpu_get_sregs(v, &s) < 0)
        return -EIO;
    uint64_t rip = linear_rip(&r, &s);

    int ndr = 0;
    memset(c->dr_owner, 0, sizeof(c->dr_owner));
    for (int i = 0; i < DBG_HW_SLOTS; i++) {
        const struct hwbp *b = &d->hw[i];
        if (!b->used || (is_watch(b->kind) && d->emulate_watch))
            continue;
        g.arch.debugreg[ndr] = b->addr;
        g.arch.debugreg[7] |= (1u << (2 * ndr)) | ((uint64_t)dr7_rw[b->kind] << (16 + 4 * ndr)) |
                              ((uint64_t)(b->kind == BP_HW ? 0 : dr7_len(b->len)) << (18 + 4 * ndr));
        c->dr_owner[ndr] = DR_USER;
        c->dr_slot[ndr++] = i;
    }
    uint64_t catch_addr;
    if (ndr < DBG_HW_SLOTS && bp_catcher_addr(d, v, &s, &catch_addr)) {
        g.arch.debugreg[ndr] = catch_addr;
        g.arch.debugreg[7] |= 1u << (2 * ndr);
        c->dr_owner[ndr++] = DR_CATCH_BP;
    } else if (d->nswbp && !hostprobe_yes(&d->m->probe, PROBE_INT3_REAL) && vcpu_mode_of(&s) == VMODE_REAL) {
        fprintf(stderr, "vmm: vcpu %d: all four debug registers are in use: real-mode breakpoints "
                "cannot be caught on this host\n", v->id);
    }

    /* Resuming on an execution breakpoint: one step with them off, as RF is not
     * honoured everywhere. */
    c->hw_off_step = false;
    if (c->skip_hw) {
        c->skip_hw = false;
        for (int i = 0; i < ndr; i++)
            if (g.arch.debugreg[i] == rip && ((g.arch.debugreg[7] >> (16 + 4 * i)) & 3) == 0)
                c->hw_off_step = true;
    }
    if (c->hw_off_step) {
        g.arch.debugreg[7] = 0;
        memset(c->dr_owner, 0, sizeof(c->dr_owner));
    }
    if (g.arch.debugreg[7]) {
        g.control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP;
        g.arch.debugreg[7] |= DR7_LE_GE;
    }
    c->stepping = c->run == DRUN_STEP || c->run == DRUN_STEPOVER || c->hw_off_step ||
                  (c->run == DRUN_CONTINUE && d->emulate_watch && watch_active(d));
    if (c->stepping) {
        g.control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP;
        g.control |= d->dbg2_caps & KVM_GUESTDBG_BLOCKIRQ;   /* stepi never lands in an IRQ handler */
    }
    if (d->nswbp && hostprobe_yes(&d->m->probe, PROBE_INT3_EXIT))
        g.control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP;

    if (c->applied_valid && memcmp(&g, &c->applied, sizeof(g)) == 0)
        return 0;
    if (ioctl(v->fd, KVM_SET_GUEST_DEBUG, &g) < 0)
        return -errno;
    c->applied = g;
    c->applied_valid = true;
    return 0;
}

/* The guest's own int3, not one of ours: it gets its #BP as on hardware. Where the
 * emulator failed on it, rip still points at the int3 and is moved past it. */
static bool reflect_bp(struct vcpu *v, bool advance)
{
    struct kvm_vcpu_events ev;
    if (ioctl(v->fd, KVM_GET_VCPU_EVENTS, &ev) < 0)
        return false;
    if (advance) {
        struct kvm_regs r;
        if (vcpu_get_regs(v, &r) < 0)
            return false;
        r.rip++;
        if (vcpu_set_regs(v, &r) < 0)
            return false;
    }
    ev.exception.injected = 1;
    ev.exception.nr = 3;
    ev.exception.has_error_code = 0;
    ev.flags = 0;
    return ioctl(v->fd, KVM_SET_VCPU_EVENTS, &ev) == 0;
}

/* Real-mode int3 caught at its handler: pop the IVT frame (ip, cs, flags) if it
 * came from one of our breakpoints, so the guest never sees it. */
static bool unwind_real_bp(struct debug *d, struct vcpu *v, struct stop_info *ev)
{
    struct kvm_regs r;
    struct kvm_sregs s;
    uint16_t frame[3];
    if (vcpu_get_regs(v, &r) < 0 || vcpu_get_sregs(v, &s) < 0)
        return false;
    uint8_t *h = vm_gpa_to_hva(&d->m->vm, s.ss.base + (r.rsp & 0xffff), sizeof(frame));
    if (!h)
        return false;
    memcpy(frame, h, sizeof(frame));
    uint64_t bp = ((uint64_t)frame[1] << 4) + (uint16_t)(frame[0] - 1);
    if (!debug_swbp_at(d, bp))
        return false;
    r.rip = (uint16_t)(frame[0] - 1);
    r.rflags = (r.rflags & ~0xffffull) | frame[2];
    r.rsp = (r.rsp & ~0xffffull) | (uint16_t)(r.rsp + 6);
    s.cs.selector = frame[1];
    s.cs.base = (uint64_t)frame[1] << 4;
    if (vcpu_set_regs(v, &r) < 0 || vcpu_set_sregs(v, &s) < 0)
        return false;
    ev->reason = STOP_SWBREAK;
    return true;
}

static enum stop_reason watch_reason(enum bp_kind k)
{
    return k == BP_WRITE ? STOP_WATCH : k == BP_READ ? STOP_RWATCH : STOP_AWATCH;
}

/* Emulated write watchpoints: compare every watched range after a step. */
static bool watch_changed(struct debug *d, struct stop_info *ev)
{
    for (int i = 0; i < DBG_HW_SLOTS; i++) {
        struct hwbp *w = &d->hw[i];
        uint8_t *h = w->phys_ok ? vm_gpa_to_hva(&d->m->vm, w->phys, w->len) : NULL;
        if (!h || memcmp(h, w->old, w->len) == 0)
            continue;
        memcpy(w->old, h, w->len);
        ev->reason = STOP_WATCH;
        ev->watch_addr = w->addr;
        return true;
    }
    return false;
}

static bool classify_db(struct debug *d, struct vcpu *v, struct stop_info *ev, bool *resume)
{
    struct dbg_cpu *c = &d->cpu[v->id];
    uint32_t dr6 = (uint32_t)v->run->debug.arch.dr6;
    for (int i = 0; i < DBG_HW_SLOTS; i++) {
        if (!(dr6 & (1u << i)) || c->dr_owner[i] == DR_FREE)
            continue;
        if (c->dr_owner[i] == DR_CATCH_BP) {
            if (unwind_real_bp(d, v, ev))
                return true;
            c->skip_hw = true;        /* the guest's own int3: let its handler run */
            *resume = true;
            return false;
        }
        struct hwbp *b = &d->hw[c->dr_slot[i]];
        if (b->kind == BP_HW) {
            ev->reason = STOP_HWBREAK;
            return true;
        }
        if (b->kind == BP_READ && b->phys_ok) {
            uint8_t *h = vm_gpa_to_hva(&d->m->vm, b->phys, b->len);
            if (h && memcmp(h, b->old, b->len) != 0) {   /* a write, not a read */
                memcpy(b->old, h, b->len);
                *resume = true;
                return false;
            }
        }
        ev->reason = watch_reason(b->kind);
        ev->watch_addr = b->addr;
        return true;
    }
    if (!c->stepping && !(dr6 & DR6_BS)) {
        *resume = true;     /* a #DB we did not ask for: ignore it */
        return false;
    }
    if (c->run == DRUN_STEP || c->run == DRUN_STEPOVER) {
        ev->reason = STOP_SIGNAL;
        ev->signal = 5;
        return true;
    }
    if (d->emulate_watch && watch_changed(d, ev))
        return true;
    *resume = true;          /* an internal step (past a breakpoint, or watching) */
    return false;
}

static void dead_stop(struct debug *d, struct vcpu *v, struct stop_info *ev, const char *what,
                      int signal, int status)
{
    struct kvm_regs r;
    unsigned long long rip = vcpu_get_regs(v, &r) == 0 ? r.rip : 0;
    fprintf(stderr, "vmm: vcpu %d (%s): %s at rip 0x%llx; stopped for gdb\n", v->id, v->name, what, rip);
    d->cpu[v->id].dead = true;
    d->cpu[v->id].dead_status = status;
    ev->reason = STOP_SIGNAL;
    ev->signal = signal;
}

bool debug_classify_exit(struct debug *d, struct vcpu *v, struct stop_info *ev, bool *resume)
{
    struct kvm_run *run = v->run;
    struct kvm_regs r;
    struct kvm_sregs s;
    *resume = false;
    switch (run->exit_reason) {
    case KVM_EXIT_DEBUG:
        if (run->debug.arch.exception == 3) {
            if (debug_swbp_at(d, run->debug.arch.pc)) {
                ev->reason = STOP_SWBREAK;
                return true;
            }
            *resume = reflect_bp(v, false);
            return false;
        }
        return classify_db(d, v, ev, resume);
    case KVM_EXIT_INTERNAL_ERROR:
        if (vcpu_get_regs(v, &r) == 0 && vcpu_get_sregs(v, &s) == 0) {
            uint64_t rip = linear_rip(&r, &s), phys;
            uint8_t *h = debug_translate(d, v->id, rip, &phys) == 0 ? vm_gpa_to_hva(&d->m->vm, phys, 1) : NULL;
            if (h && *h == INT3 && run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION) {
                if (debug_swbp_at(d, rip)) {
                    ev->reason = STOP_SWBREAK;
                    return true;
                }
                *resume = reflect_bp(v, true);
                if (*resume)
                    return false;
            }
        }
        dead_stop(d, v, ev, "emulation failure", 4, VMM_STATUS_VCPU_ERROR);
        return true;
    case KVM_EXIT_SHUTDOWN:
        dead_stop(d, v, ev, "triple fault", 11, VMM_STATUS_TRIPLE_FAULT);
        return true;
    default:
        return false;
    }
}
