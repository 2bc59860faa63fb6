/* The gdb target on KVM: the KVM_SET_GUEST_DEBUG state of one vCPU for its next run,
 * built in steps before every KVM_RUN (debug_vcpu_gate). This is the one allocator
 * of the four debug registers: the VMM's own needs first (SYSCALL completion, only
 * where the host needs it; breakpoints.c refuses what gdb asks beyond the rest),
 * then gdb's, then the catchers and stand-ins with what is left:
 *   0. the VMM's SYSCALL watch (vmm/linux/syscall.c);
 *   1. gdb's hardware breakpoints and watchpoints into debug-register slots;
 *   2. whether this run single-steps (gdb's step, or an emulated watchpoint);
 *   3. catchers: a ring-0 hardware breakpoint on the guest's #BP / #DB handler where
 *      the host hands int3 or single-steps to the guest (docs/host-probe.md); spare
 *      slots on software breakpoints that address spaces to come may need;
 *   4. one step with the debug registers off past a catcher the guest's own
 *      exception hit (RF is not honoured everywhere);
 *   5. instructions that must run unstepped (the guest's own int3, hlt);
 *   6. how to step: KVM's single-step, or the guest's TF where the host ignores
 *      KVM's in ring 3;
 *   7. KVM_SET_GUEST_DEBUG, skipped when nothing changed. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vmm/debug/debug_priv.h"
#include "vmm/guestmem.h"
#include "vmm/linux/linux.h"
#include "vmm/util.h"
#include "vmm/x86/bits.h"

/* DR7 RW field per kind: execute, write, read/write (x86 has no read-only). */
static const uint8_t dr7_rw[] = {
    [BP_HW] = DR7_RW_EXEC,
    [BP_WRITE] = DR7_RW_WRITE,
    [BP_READ] = DR7_RW_ACCESS,
    [BP_ACCESS] = DR7_RW_ACCESS,
};

/* The exceptions a catcher takes, and who owns the slot while it does. */
static const struct {
    enum dr_owner owner;
    int vector;
} catchers[] = {
    { DR_CATCH_BP, VEC_BP },
    { DR_CATCH_DB, VEC_DB },
};

static uint64_t dr7_slot(int n, unsigned rw, unsigned len)
{
    return DR7_L(n) | ((uint64_t)rw << DR7_RW_SHIFT(n)) | ((uint64_t)len << DR7_LEN_SHIFT(n));
}

/* Takes the next free slot for a breakpoint of the given kind at ADDR; the slot
 * number, or -ENOSPC. */
static int slot_take(struct dbg_cpu *c, struct kvm_guest_debug *g, enum dr_owner owner,
                     uint64_t addr, unsigned rw, unsigned len)
{
    for (int n = 0; n < DBG_HW_SLOTS; n++) {
        if (c->dr_owner[n] != DR_FREE)
            continue;
        c->dr_owner[n] = owner;
        g->arch.debugreg[n] = addr;
        g->arch.debugreg[7] |= dr7_slot(n, rw, len);
        return n;
    }
    return -ENOSPC;
}

/* Step 0 */
static void plan_vmm_slots(struct debug *d, struct vcpu *v, const struct kvm_sregs *s,
                           struct kvm_guest_debug *g)
{
    struct dbg_cpu *c = &d->cpu[v->id];
    uint64_t at;
    linux_syscall_watch(v, s, &at, &c->vmm_step);
    if (at)
        slot_take(c, g, DR_SYSCALL, at, DR7_RW_EXEC, DR7_LEN_1);
}

/* Step 1. Watchpoints watched through pages or by stepping take no slot. */
static void plan_user_slots(struct debug *d, struct dbg_cpu *c, struct kvm_guest_debug *g)
{
    for (int i = 0; i < DBG_MAX_HW; i++) {
        const struct hwbp *b = &d->hw[i];
        if (!b->used || b->how != WATCH_DR)
            continue;
        unsigned len = b->kind == BP_HW ? DR7_LEN_1 : (unsigned)debug_dr7_len(b->len);
        int n = slot_take(c, g, DR_USER, b->addr, dr7_rw[b->kind], len);
        if (n < 0)
            break;
        c->dr_slot[n] = i;
    }
}

/* Step 2: gdb's step or range step (classify.c decides when a range ends), or
 * internal steps: a step-and-compare watchpoint compares after each
 * instruction; a pending software breakpoint needs ring 0 stepped (swbp.c); the
 * instruction history (monitor history on) records each step. */
static void plan_stepping(struct debug *d, struct dbg_cpu *c, const struct kvm_sregs *s,
                          bool history)
{
    c->hw_off_step = false;
    c->stepping = c->run == DRUN_STEP || c->run == DRUN_RANGE || c->vmm_step ||
                  (c->run == DRUN_CONTINUE && history) ||
                  (c->run == DRUN_CONTINUE &&
                   (debug_watch_any(d, WATCH_STEP) || debug_swbp_step_ring0(d, s)));
}

/* The first instruction of the guest's handler for VECTOR (linear), in real mode and
 * long mode, where the catchers are needed. */
static bool handler_addr(struct debug *d, const struct kvm_sregs *s, int vector, uint64_t *addr)
{
    enum vcpu_cpu_mode mode = vcpu_mode_of(s);
    struct x86_gate g;
    if ((mode != VMODE_REAL && mode != VMODE_LONG) ||
        guestmem_idt_gate(&d->m->vm, s, vector, &g) < 0)
        return false; /* not present: the guest would fault anyway */
    *addr = g.offset;
    return true;
}

/* Exceptions the host gives straight to the guest, by CPU mode. */
static bool need_catcher(struct debug *d, const struct dbg_cpu *c, const struct kvm_sregs *s,
                         enum dr_owner owner)
{
    enum vcpu_cpu_mode mode = vcpu_mode_of(s);
    const struct hostprobe *p = &d->m->probe;
    if (owner == DR_CATCH_DB)
        return c->stepping && mode == VMODE_LONG && !hostprobe_yes(p, PROBE_STEP_RING3);
    if (d->nswbp == 0)
        return false;
    if (mode == VMODE_REAL)
        return !hostprobe_yes(p, PROBE_INT3_REAL);
    return mode == VMODE_LONG && !hostprobe_yes(p, PROBE_INT3_RING3);
}

/* Step 3 */
static void plan_catchers(struct debug *d, struct vcpu *v, const struct kvm_sregs *s,
                          struct kvm_guest_debug *g)
{
    struct dbg_cpu *c = &d->cpu[v->id];
    for (size_t k = 0; k < ARRAY_SIZE(catchers); k++) {
        uint64_t at;
        if (!need_catcher(d, c, s, catchers[k].owner) ||
            !handler_addr(d, s, catchers[k].vector, &at))
            continue;
        if (slot_take(c, g, catchers[k].owner, at, DR7_RW_EXEC, DR7_LEN_1) < 0)
            fprintf(stderr,
                    "vmm: vcpu %d: no debug register left to catch vector %d: "
                    "breakpoints or steps there reach the guest\n",
                    v->id, catchers[k].vector);
    }
}

/* Where an int3 at the vCPU's privilege level goes to the guest instead of the VMM,
 * and no catcher at the guest's #BP handler can take it (real mode: a boot sector
 * has no IVT handler; protected mode: no catchers; long mode ring 0 on a host that
 * neither exits nor fails on int3). */
static bool int3_lost(struct debug *d, const struct kvm_sregs *s)
{
    const struct hostprobe *p = &d->m->probe;
    enum vcpu_cpu_mode mode = vcpu_mode_of(s);
    if (mode == VMODE_REAL)
        return !hostprobe_yes(p, PROBE_INT3_REAL);
    if ((s->cs.selector & 3) == 3)
        return false; /* ring 3: the #BP catcher (or the host) takes it */
    return !hostprobe_yes(p, PROBE_INT3_EXIT) && !hostprobe_yes(p, PROBE_INT3_EMUFAIL);
}

/* Step 3b: spare debug registers stand in for software breakpoints (a hit is
 * reported as the breakpoint): where an int3 would be lost to the guest, and,
 * where debug registers fire in ring 3, on addresses that new address spaces may
 * need (swbp.c). Beyond four, the int3s and the catchers remain. */
static void plan_swbp_slots(struct debug *d, struct dbg_cpu *c, const struct kvm_sregs *s,
                            struct kvm_guest_debug *g)
{
    bool all = int3_lost(d, s);
    bool spaces = d->track_spaces && hostprobe_yes(&d->m->probe, PROBE_HWBP_RING3);
    if (!all && !spaces)
        return;
    for (int i = 0; i < d->nswbp; i++)
        if ((all || d->swbp[i].pending) &&
            slot_take(c, g, DR_SWBP, d->swbp[i].addr, DR7_RW_EXEC, DR7_LEN_1) < 0)
            return;
}

/* Step 4: the guest's own exception hit a catcher last run, so its handler runs
 * now with the debug registers off for one step. */
static void plan_hw_off_step(struct dbg_cpu *c, uint64_t rip, struct kvm_guest_debug *g)
{
    if (c->skip_hw) {
        c->skip_hw = false;
        for (int n = 0; n < DBG_HW_SLOTS; n++)
            if (c->dr_owner[n] != DR_FREE && g->arch.debugreg[n] == rip &&
                ((g->arch.debugreg[7] >> DR7_RW_SHIFT(n)) & 3) == DR7_RW_EXEC)
                c->hw_off_step = true;
    }
    if (c->hw_off_step) {
        g->arch.debugreg[7] = 0;
        memset(c->dr_owner, 0, sizeof(c->dr_owner));
        c->stepping = true;
    }
}

/* Step 5: stepping onto the guest's own int3 runs it without the step and has the
 * int3 exit; the #BP goes to the guest and that exit ends the step. Stepping onto
 * hlt with no irqchip runs it unstepped too, so its HLT exit ends the vCPU as it
 * would without gdb (a step there would just move past it). */
static void plan_unstepped(struct debug *d, struct vcpu *v, uint64_t rip)
{
    struct dbg_cpu *c = &d->cpu[v->id];
    uint8_t byte = 0;
    bool at = c->stepping && debug_read_linear(d, v->id, rip, &byte, 1) == 0;
    c->int3_step = at && byte == OP_INT3 && !debug_swbp_at(d, rip);
    if (c->int3_step || (at && byte == OP_HLT && !d->m->vm.irqchip))
        c->stepping = false;
}

/* Step 6 */
static int plan_step_method(struct debug *d, struct vcpu *v, struct kvm_regs *r,
                            const struct kvm_sregs *s, struct kvm_guest_debug *g)
{
    struct dbg_cpu *c = &d->cpu[v->id];
    if (!c->stepping)
        return 0;
    if ((s->cs.selector & 3) == 3 && !hostprobe_yes(&d->m->probe, PROBE_STEP_RING3)) {
        /* The host runs ring 3 natively and ignores KVM's single-step there, but
         * honours the guest's own TF: the trap reaches the guest's #DB gate, where
         * the #DB catcher takes it and the frame is unwound, TF cleared again. */
        r->rflags |= RFLAGS_TF;
        return vcpu_set_regs(v, r) < 0 ? -EIO : 0;
    }
    g->control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP;
    /* gdb's steps never land in an IRQ handler; the steps of a step-and-compare watchpoint
     * must let interrupts in, or a timer-driven write never comes */
    if (c->run != DRUN_CONTINUE || c->hw_off_step)
        g->control |= d->dbg2_caps & KVM_GUESTDBG_BLOCKIRQ;
    return 0;
}

/* Step 7. A step is set anew every run: KVM keeps the TF it sets for single-stepping
 * only while rip is where the last KVM_SET_GUEST_DEBUG saw it, and an instruction
 * KVM emulated (a CR write) rewrites RFLAGS, so a skipped ioctl turned a stepi into
 * a run to the next exit. */
static int guest_debug_set(struct vcpu *v, struct dbg_cpu *c, const struct kvm_guest_debug *g)
{
    if (c->applied_valid && !(g->control & KVM_GUESTDBG_SINGLESTEP) &&
        memcmp(g, &c->applied, sizeof(*g)) == 0)
        return 0;
    if (ioctl(v->fd, KVM_SET_GUEST_DEBUG, g) < 0)
        return -errno;
    c->applied = *g;
    c->applied_valid = true;
    return 0;
}

int debug_apply_guest_debug(struct debug *d, struct vcpu *v)
{
    struct dbg_cpu *c = &d->cpu[v->id];
    struct kvm_guest_debug g;
    struct kvm_regs r;
    struct kvm_sregs s;
    if (vcpu_get_state(v, &r, &s) < 0)
        return -EIO;
    uint64_t rip = vcpu_linear_ip(&r, &s);
    memset(&g, 0, sizeof(g));
    memset(c->dr_owner, 0, sizeof(c->dr_owner));

    plan_vmm_slots(d, v, &s, &g);
    plan_user_slots(d, c, &g);
    plan_stepping(d, c, &s, v->hist.on);
    plan_catchers(d, v, &s, &g);
    plan_swbp_slots(d, c, &s, &g);
    plan_hw_off_step(c, rip, &g);
    plan_unstepped(d, v, rip);
    if (g.arch.debugreg[7]) {
        g.control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP;
        g.arch.debugreg[7] |= DR7_LE_GE;
    }
    int rc = plan_step_method(d, v, &r, &s, &g);
    if (rc < 0)
        return rc;
    if ((d->nswbp || c->int3_step) && hostprobe_yes(&d->m->probe, PROBE_INT3_EXIT))
        g.control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP;
    return guest_debug_set(v, c, &g);
}
