/* The gdb target on KVM: what each debug-related exit means. The strategy follows
 * the host probe (docs/host-probe.md):
 *  - int3 that exits (textbook KVM) or faults in the emulator (INT3_EMUFAIL) is
 *    recognised at a breakpoint address; any other int3 goes back to the guest;
 *  - where int3 or a single step is delivered to the guest (real mode, ring 3), the
 *    catcher breakpoint at the guest's handler (guest_debug.c) takes it, and the
 *    exception frame is unwound so the guest never sees it;
 *  - where data breakpoints never fire, write watchpoints are emulated by
 *    single-stepping and comparing the watched bytes;
 *  - a triple fault, an emulation failure or an unknown exit is a stop gdb can
 *    inspect (SIGSEGV, SIGILL), not the end of the run. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vmm/debug/debug_priv.h"
#include "vmm/int3.h"
#include "vmm/linux/linux.h"
#include "vmm/x86/bits.h"

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
        *f = (struct xframe){ .real = true,
                              .rip = w[0],
                              .cs = w[1],
                              .rflags = w[2],
                              .rsp = (r.rsp & 0xffff) + 6,
                              .ss = s.ss.selector };
        f->linear_rip = (f->cs << 4) + f->rip;
        return 0;
    }
    uint64_t q[5];
    if (debug_read_linear(d, v->id, r.rsp, q, sizeof(q)) < 0)
        return -EFAULT;
    *f = (struct xframe){
        .rip = q[0], .cs = q[1] & 0xffff, .rflags = q[2], .rsp = q[3], .ss = q[4] & 0xffff
    };
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
    r.rflags = (f->rflags & ~(RFLAGS_TF | RFLAGS_RF)) | RFLAGS_FIXED;
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

/* Whether gdb asked this vCPU to step: a step, or a range step (vCont;r). */
static bool gdb_stepping(const struct dbg_cpu *c)
{
    return c->run == DRUN_STEP || c->run == DRUN_RANGE;
}

static bool hwbp_at(const struct debug *d, uint64_t pc)
{
    for (int i = 0; i < DBG_MAX_HW; i++)
        if (d->hw[i].used && d->hw[i].kind == BP_HW && d->hw[i].addr == pc)
            return true;
    return false;
}

/* One of gdb's steps is over. A plain step stops. A range step goes on, with no
 * round trip to gdb, while the pc stays in the range and in the mode it began in
 * (gdb must see a mode switch); a breakpoint it reaches is reported as hit before
 * it runs, as a continue would report it. */
static bool gdb_step_done(struct debug *d, struct vcpu *v, struct stop_info *ev, bool *resume)
{
    struct dbg_cpu *c = &d->cpu[v->id];
    struct kvm_regs r;
    struct kvm_sregs s;
    ev->reason = STOP_SIGNAL;
    ev->signal = 5;
    if (c->run != DRUN_RANGE || vcpu_get_state(v, &r, &s) < 0)
        return true;
    c->range_steps++;
    uint64_t pc = vcpu_linear_ip(&r, &s);
    if (debug_swbp_at(d, pc) || hwbp_at(d, pc)) {
        ev->reason = debug_swbp_at(d, pc) ? STOP_SWBREAK : STOP_HWBREAK;
        return true;
    }
    if (pc < c->range_start || pc >= c->range_end || (int)vcpu_mode_of(&s) != c->range_mode)
        return true;
    *resume = true;
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
            c->skip_hw = true; /* the guest's own int3: let its handler run */
            *resume = true;
            return false;
        }
        if (c->dr_owner[i] == DR_SYSCALL) {
            /* a half SYSCALL finished: gdb's step over it ends at the entry */
            if (linux_syscall_hit(v) && gdb_stepping(c)) {
                ev->reason = STOP_SIGNAL;
                ev->signal = 5;
                return true;
            }
            *resume = true;
            return false;
        }
        if (c->dr_owner[i] == DR_SWBP) {
            ev->reason = STOP_SWBREAK; /* the software breakpoint it stands for */
            return true;
        }
        if (c->dr_owner[i] == DR_CATCH_DB) {
            if (catch_db(d, v))
                break; /* our step, now unwound: handled below */
            c->skip_hw = true;
            *resume = true;
            return false;
        }
        struct hwbp *b = &d->hw[c->dr_slot[i]];
        if (b->kind == BP_HW) {
            ev->reason = STOP_HWBREAK;
            return true;
        }
        if (b->kind == BP_READ && !debug_watch_was_read(d, b)) {
            *resume = true;
            return false;
        }
        ev->reason = watch_reason(b->kind);
        ev->watch_addr = b->addr;
        return true;
    }
    if (!c->stepping) {
        *resume = true; /* a #DB we did not ask for: ignore it */
        return false;
    }
    if (c->vmm_step)
        linux_syscall_stepped(v);
    if (v->hist.on)
        history_record_now(v);
    /* a write inside a range step is a watch stop; a plain step just ends */
    if (c->run == DRUN_RANGE && debug_watch_changed(d, WATCH_STEP, ev))
        return true;
    if (gdb_stepping(c))
        return gdb_step_done(d, v, ev, resume);
    if (debug_watch_changed(d, WATCH_STEP, ev))
        return true;
    *resume = true; /* an internal step (past a breakpoint, or watching) */
    return false;
}

/* The guest's own int3 went back to it as #BP: if it was the instruction this run
 * was to step, the step is over; otherwise the guest runs on. */
static bool int3_step_done(struct debug *d, struct vcpu *v, struct stop_info *ev, bool *resume)
{
    struct dbg_cpu *c = &d->cpu[v->id];
    if (c->int3_step && gdb_stepping(c)) {
        ev->reason = STOP_SIGNAL;
        ev->signal = 5;
        return true;
    }
    if (c->int3_step)
        c->skip_hw = false; /* stepping past a hardware breakpoint: done too */
    *resume = true;
    return false;
}

static bool guest_int3(struct debug *d, struct vcpu *v, struct stop_info *ev, bool *resume,
                       bool advance)
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
    fprintf(stderr, "vmm: vcpu %d (%s): %s at rip 0x%llx; stopped for gdb\n", v->id, v->name, what,
            rip);
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
        if (run->debug.arch.exception == VEC_BP) {
            if (debug_swbp_at(d, run->debug.arch.pc)) {
                ev->reason = STOP_SWBREAK;
                return true;
            }
            return guest_int3(d, v, ev, resume, false);
        }
        return classify_db(d, v, ev, resume);
    case KVM_EXIT_INTERNAL_ERROR:
        if (int3_emufail_at_rip(v) && vcpu_get_state(v, &r, &s) == 0) {
            if (debug_swbp_at(d, vcpu_linear_ip(&r, &s))) {
                ev->reason = STOP_SWBREAK;
                return true;
            }
            if (int3_reflect(v, true) == 0)
                return int3_step_done(d, v, ev, resume);
        }
        if (debug_watch_fallback(d, v)) {
            *resume = true;
            return false;
        }
        dead_stop(d, v, ev, "emulation failure", 4, VMM_STATUS_VCPU_ERROR);
        return true;
    case KVM_EXIT_MMIO: return debug_watch_mmio(d, v, ev, resume);
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
