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

#include "vmm/debug/debug_priv.h"
#include "vmm/int3.h"

#define INT3 0xcc   /* the byte we write for a software breakpoint */
#define HLT 0xf4
#define DR6_HIT_MASK 0xfu
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

/* The first instruction of the guest's handler for VECTOR: from the IVT in real
 * mode, from a 16-byte gate in long mode. */
static bool handler_addr(struct debug *d, int cpu, const struct kvm_sregs *s, int vector, uint64_t *addr)
{
    enum vcpu_cpu_mode mode = vcpu_mode_of(s);
    if (mode == VMODE_REAL) {
        uint16_t ivt[2];
        if (s->idt.limit < vector * 4 + 3 || debug_read_linear(d, cpu, s->idt.base + vector * 4, ivt, 4) < 0)
            return false;
        *addr = ((uint64_t)ivt[1] << 4) + ivt[0];
        return true;
    }
    if (mode != VMODE_LONG)
        return false;
    uint64_t gate[2];
    if (s->idt.limit < vector * 16 + 15 || debug_read_linear(d, cpu, s->idt.base + vector * 16, gate, 16) < 0)
        return false;
    if (!((gate[0] >> 47) & 1))
        return false;   /* not present: the guest would fault anyway */
    *addr = (gate[0] & 0xffff) | ((gate[0] >> 32) & 0xffff0000) | (gate[1] << 32);
    return true;
}

/* Exceptions the host gives straight to the guest, by CPU mode (DESIGN: catch them
 * at the handler entry with a ring-0 hardware breakpoint). */
static bool need_bp_catcher(struct debug *d, const struct kvm_sregs *s)
{
    enum vcpu_cpu_mode mode = vcpu_mode_of(s);
    if (d->nswbp == 0)
        return false;
    if (mode == VMODE_REAL)
        return !hostprobe_yes(&d->m->probe, PROBE_INT3_REAL);
    return mode == VMODE_LONG && !hostprobe_yes(&d->m->probe, PROBE_INT3_RING3);
}

static bool need_db_catcher(struct debug *d, const struct dbg_cpu *c, const struct kvm_sregs *s)
{
    return c->stepping && vcpu_mode_of(s) == VMODE_LONG &&
           !hostprobe_yes(&d->m->probe, PROBE_STEP_RING3);
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
    if (vcpu_get_state(v, &r, &s) < 0)
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
    c->hw_off_step = false;
    c->stepping = c->run == DRUN_STEP ||
                  (c->run == DRUN_CONTINUE && d->emulate_watch && watch_active(d));

    static const struct { enum dr_owner owner; int vector; } catchers[] = {
        { DR_CATCH_BP, 3 }, { DR_CATCH_DB, 1 },
    };
    for (size_t k = 0; k < sizeof(catchers) / sizeof(catchers[0]); k++) {
        bool need = catchers[k].owner == DR_CATCH_BP ? need_bp_catcher(d, &s) : need_db_catcher(d, c, &s);
        uint64_t at;
        if (!need || !handler_addr(d, v->id, &s, catchers[k].vector, &at))
            continue;
        if (ndr == DBG_HW_SLOTS) {
            fprintf(stderr, "vmm: vcpu %d: no debug register left to catch vector %d: "
                    "breakpoints or steps there reach the guest\n", v->id, catchers[k].vector);
            continue;
        }
        g.arch.debugreg[ndr] = at;
        g.arch.debugreg[7] |= 1u << (2 * ndr);
        c->dr_owner[ndr++] = catchers[k].owner;
    }

    /* Past a catcher the guest's own exception hit: one step with the debug
     * registers off, as RF is not honoured everywhere. */
    if (c->skip_hw) {
        c->skip_hw = false;
        for (int i = 0; i < ndr; i++)
            if (g.arch.debugreg[i] == rip && ((g.arch.debugreg[7] >> (16 + 4 * i)) & 3) == 0)
                c->hw_off_step = true;
    }
    if (c->hw_off_step) {
        g.arch.debugreg[7] = 0;
        memset(c->dr_owner, 0, sizeof(c->dr_owner));
        c->stepping = true;
    }
    /* Stepping onto the guest's own int3: run without the step and have the int3
     * exit; the #BP goes to the guest and that exit ends the step. Stepping onto
     * hlt with no irqchip: run it unstepped too, so its HLT exit ends the vCPU as it
     * would without gdb (a step there would just move past it). */
    uint8_t byte = 0;
    bool at = c->stepping && debug_read_linear(d, v->id, rip, &byte, 1) == 0;
    c->int3_step = at && byte == INT3 && !debug_swbp_at(d, rip);
    if (c->int3_step || (at && byte == HLT && !d->m->vm.irqchip))
        c->stepping = false;
    if (g.arch.debugreg[7]) {
        g.control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP;
        g.arch.debugreg[7] |= DR7_LE_GE;
    }
    if (c->stepping && (s.cs.selector & 3) == 3 && !hostprobe_yes(&d->m->probe, PROBE_STEP_RING3)) {
        /* The host runs ring 3 natively and ignores KVM's single-step there, but
         * honours the guest's own TF: the trap reaches the guest's #DB gate, where
         * the #DB catcher takes it and frame_pop() clears TF again. */
        r.rflags |= 1u << 8;
        if (vcpu_set_regs(v, &r) < 0)
            return -EIO;
    } else if (c->stepping) {
        g.control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP;
        /* gdb's steps never land in an IRQ handler; the steps of an emulated
         * watchpoint must let interrupts in, or a timer-driven write never comes */
        if (c->run != DRUN_CONTINUE || c->hw_off_step)
            g.control |= d->dbg2_caps & KVM_GUESTDBG_BLOCKIRQ;
    }
    if ((d->nswbp || c->int3_step) && hostprobe_yes(&d->m->probe, PROBE_INT3_EXIT))
        g.control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP;

    if (c->applied_valid && memcmp(&g, &c->applied, sizeof(g)) == 0)
        return 0;
    if (ioctl(v->fd, KVM_SET_GUEST_DEBUG, &g) < 0)
        return -errno;
    c->applied = g;
    c->applied_valid = true;
    return 0;
}

/* What an exception pushed, read at its handler's first instruction: ip, cs, flags
 * in real mode; rip, cs, rflags, rsp, ss in long mode (pushed at every CPL). */
struct xframe {
    bool real;
    uint64_t rip, cs, rflags, rsp, ss;
    uint64_t linear_rip;
};

static int frame_read(struct debug *d, struct vcpu *v, struct xframe *f)
{
    struct kvm_regs r;
    struct kvm_sregs s;
    if (vcpu_get_state(v, &r, &s) < 0)
        return -EIO;
    f->real = vcpu_mode_of(&s) == VMODE_REAL;
    if (f->real) {
        uint16_t w[3];
        if (debug_read_linear(d, v->id, s.ss.base + (r.rsp & 0xffff), w, sizeof(w)) < 0)
            return -EFAULT;
        *f = (struct xframe){ .real = true, .rip = w[0], .cs = w[1], .rflags = w[2],
                              .rsp = (r.rsp & 0xffff) + 6, .ss = s.ss.selector };
        f->linear_rip = (f->cs << 4) + f->rip;
        return 0;
    }
    uint64_t q[5];
    if (debug_read_linear(d, v->id, r.rsp, q, sizeof(q)) < 0)
        return -EFAULT;
    *f = (struct xframe){ .rip = q[0], .cs = q[1] & 0xffff, .rflags = q[2], .rsp = q[3], .ss = q[4] & 0xffff };
    f->linear_rip = f->rip;
    return 0;
}

/* Puts the vCPU back where it was before the exception, at RIP: the guest never
 * sees it. TF and RF come off: they were the debugger's. */
static int frame_pop(struct debug *d, struct vcpu *v, const struct xframe *f, uint64_t rip)
{
    struct kvm_regs r;
    struct kvm_sregs s;
    if (vcpu_get_state(v, &r, &s) < 0)
        return -EIO;
    r.rip = rip;
    r.rflags = (f->rflags & ~((1ull << 8) | (1ull << 16))) | 2;
    if (f->real) {
        r.rsp = (r.rsp & ~0xffffull) | (f->rsp & 0xffff);
        s.cs.selector = (uint16_t)f->cs;
        s.cs.base = f->cs << 4;
    } else {
        r.rsp = f->rsp;
        if (debug_seg_load(d, v->id, &s, &s.cs, (uint16_t)f->cs, true) < 0 ||
            debug_seg_load(d, v->id, &s, &s.ss, (uint16_t)f->ss, false) < 0)
            return -EINVAL;
    }
    int rc = vcpu_set_regs(v, &r);
    return rc < 0 ? rc : vcpu_set_sregs(v, &s);
}

/* int3 caught at the #BP handler: one of ours, or the guest's own. */
static bool catch_bp(struct debug *d, struct vcpu *v, struct stop_info *ev)
{
    struct xframe f;
    if (frame_read(d, v, &f) < 0 || !debug_swbp_at(d, f.linear_rip - 1))
        return false;
    if (frame_pop(d, v, &f, f.rip - 1) < 0)
        return false;
    ev->reason = STOP_SWBREAK;
    return true;
}

/* A single step the host delivered to the guest as #DB, caught at the handler. */
static bool catch_db(struct debug *d, struct vcpu *v)
{
    struct xframe f;
    return d->cpu[v->id].stepping && frame_read(d, v, &f) == 0 && frame_pop(d, v, &f, f.rip) == 0;
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
            if (catch_bp(d, v, ev))
                return true;
            c->skip_hw = true;        /* the guest's own int3: let its handler run */
            *resume = true;
            return false;
        }
        if (c->dr_owner[i] == DR_CATCH_DB) {
            if (catch_db(d, v))
                break;                /* our step, now unwound: handled below */
            c->skip_hw = true;
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
    if (!c->stepping) {
        *resume = true;     /* a #DB we did not ask for: ignore it */
        return false;
    }
    if (c->run == DRUN_STEP) {
        ev->reason = STOP_SIGNAL;
        ev->signal = 5;
        return true;
    }
    if (d->emulate_watch && watch_changed(d, ev))
        return true;
    *resume = true;          /* an internal step (past a breakpoint, or watching) */
    return false;
}

/* The guest's own int3 went back to it as #BP: if it was the instruction this run
 * was to step, the step is over; otherwise the guest runs on. */
static bool int3_step_done(struct debug *d, struct vcpu *v, struct stop_info *ev, bool *resume)
{
    struct dbg_cpu *c = &d->cpu[v->id];
    if (c->int3_step && c->run == DRUN_STEP) {
        ev->reason = STOP_SIGNAL;
        ev->signal = 5;
        return true;
    }
    if (c->int3_step)
        c->skip_hw = false;        /* stepping past a hardware breakpoint: done too */
    *resume = true;
    return false;
}

static bool guest_int3(struct debug *d, struct vcpu *v, struct stop_info *ev, bool *resume, bool advance)
{
    if (int3_reflect(v, advance) < 0)
        return false;
    return int3_step_done(d, v, ev, resume);
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
            return guest_int3(d, v, ev, resume, false);
        }
        return classify_db(d, v, ev, resume);
    case KVM_EXIT_INTERNAL_ERROR:
        if (int3_emufail_at_rip(v) && vcpu_get_state(v, &r, &s) == 0) {
            if (debug_swbp_at(d, linear_rip(&r, &s))) {
                ev->reason = STOP_SWBREAK;
                return true;
            }
            if (int3_reflect(v, true) == 0)
                return int3_step_done(d, v, ev, resume);
        }
        dead_stop(d, v, ev, "emulation failure", 4, VMM_STATUS_VCPU_ERROR);
        return true;
    case KVM_EXIT_SHUTDOWN:
        dead_stop(d, v, ev, "triple fault", 11, VMM_STATUS_TRIPLE_FAULT);
        return true;
    default:
        if (exits_known(run->exit_reason))
            return false;
        /* an exit the VMM does not know: a stop gdb can inspect, not the end */
        char what[64];
        snprintf(what, sizeof(what), "unhandled exit %s (%u)", exit_reason_name(run->exit_reason),
                 run->exit_reason);
        dead_stop(d, v, ev, what, 4, VMM_STATUS_VCPU_ERROR);
        return true;
    }
}
