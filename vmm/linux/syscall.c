/* SYSCALL on hosts where it does not reach ring 0 (the probe's row "SYSCALL from
 * ring 3 arrives at CPL 0": no on kvm_pvm). There the instruction sets RIP = LSTAR,
 * RCX, R11 and masks RFLAGS but leaves CS/SS at ring 3, so the kernel's entry code
 * is fetched at CPL 3 from a supervisor page: a #PF with CR2 = LSTAR, delivered to
 * the kernel's IDT. The VMM watches that #PF gate with a ring-0 hardware execution
 * breakpoint (which does exit here) and, when the frame is such a half SYSCALL,
 * finishes what the CPU should have done: drops the frame, CPL 0 with STAR's
 * selectors, RIP = LSTAR on the user stack. Every other page fault goes on to the
 * kernel (one single-step with the breakpoint off, as ring-0 hardware breakpoints
 * here need). Without gdb the VMM programs that one debug register itself; under
 * gdb the debug layer's allocator gives it a slot before gdb's hbreaks and
 * watchpoints, and asks here what to do at its hits (linux_syscall_*). Where
 * SYSCALL works no slot is taken. */
#include <errno.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vmm/guestmem.h"
#include "vmm/linux/linux_priv.h"
#include "vmm/machine.h"
#include "vmm/x86/bits.h"

static int lx_read_linear(struct machine *m, const struct kvm_sregs *s, uint64_t addr, void *buf,
                          size_t len)
{
    return guestmem_access(&m->vm, s, addr, buf, len, false, NULL);
}

/* The kernel's current #PF handler, from its IDT; 0 when there is none yet. */
static uint64_t lx_pf_handler(struct machine *m, const struct kvm_sregs *s)
{
    struct x86_gate g;
    if (!(s->efer & EFER_LMA) || guestmem_idt_gate(&m->vm, s, VEC_PF, &g) < 0)
        return 0;
    return g.offset;
}

static int lx_guest_debug(struct vcpu *v, uint64_t bp, bool step)
{
    struct kvm_guest_debug d;
    memset(&d, 0, sizeof(d));
    if (bp || step)
        d.control = KVM_GUESTDBG_ENABLE;
    if (bp) {
        d.control |= KVM_GUESTDBG_USE_HW_BP;
        d.arch.debugreg[0] = bp;
        d.arch.debugreg[7] = DR7_L(0);
    }
    if (step)
        d.control |= KVM_GUESTDBG_SINGLESTEP;
    return ioctl(v->fd, KVM_SET_GUEST_DEBUG, &d) < 0 ? -errno : 0;
}

/* Keeps the breakpoint on the #PF gate's current target (the kernel moves it
 * from its early handler to the final one). Called on exits, vCPU thread. */
static void lx_syscall_arm(struct machine *m, struct linux_machine *lx, struct vcpu *v,
                           const struct kvm_sregs *s)
{
    uint64_t h = lx_pf_handler(m, s);
    if (h == lx->pf_bp[v->id] || lx->stepping[v->id])
        return;
    if (lx_guest_debug(v, h, false) == 0)
        lx->pf_bp[v->id] = h;
}

/* At the #PF handler's first instruction: is the frame a SYSCALL stuck at CPL 3? */
static bool lx_finish_syscall(struct machine *m, struct vcpu *v, struct kvm_regs *r,
                              struct kvm_sregs *s)
{
    uint64_t f[6], lstar, star, sfmask; /* error code, rip, cs, rflags, rsp, ss */
    if (lx_read_linear(m, s, r->rsp, f, sizeof(f)) < 0 || (f[2] & 3) != 3 ||
        (f[0] & (PF_EC_U | PF_EC_I)) != (PF_EC_U | PF_EC_I) ||
        vcpu_get_msr(v, MSR_LSTAR, &lstar) < 0 || f[1] != lstar || s->cr2 != lstar ||
        vcpu_get_msr(v, MSR_STAR, &star) < 0 || vcpu_get_msr(v, MSR_SFMASK, &sfmask) < 0)
        return false;
    uint16_t cs = (uint16_t)((star >> 32) & 0xfffc);
    s->cs = (struct kvm_segment){
        .selector = cs, .limit = 0xffffffff, .type = 0xb, .present = 1, .s = 1, .l = 1, .g = 1
    };
    s->ss = (struct kvm_segment){ .selector = (uint16_t)(cs + 8),
                                  .limit = 0xffffffff,
                                  .type = 0x3,
                                  .present = 1,
                                  .s = 1,
                                  .db = 1,
                                  .g = 1 };
    r->rip = lstar;
    r->rsp = f[4];
    /* SFMASK as SYSCALL applies it, whatever the host left: with IF still set, an
     * interrupt before the entry's swapgs would run on the user's GS. R11 already
     * holds the user's flags. RF came from the #PF frame and is no SYSCALL's. */
    r->rflags = (f[3] & ~sfmask & ~(uint64_t)RFLAGS_RF) | RFLAGS_FIXED;
    if (vcpu_set_sregs(v, s) < 0 || vcpu_set_regs(v, r) < 0)
        return false;
    atomic_fetch_add(&m->lx->syscalls_fixed, 1);
    return true;
}

/* At the watched handler: finishes a half SYSCALL (true) or leaves a real page
 * fault to the handler, whose first instruction must then run unwatched. */
static bool lx_at_handler(struct vcpu *v)
{
    struct kvm_regs r;
    struct kvm_sregs s;
    struct linux_machine *lx = v->m->lx;
    if (vcpu_get_state(v, &r, &s) == 0 && r.rip == lx->pf_bp[v->id] &&
        lx_finish_syscall(v->m, v, &r, &s))
        return true;
    lx->stepping[v->id] = true;
    return false;
}

bool linux_syscall_exit(struct vcpu *v)
{
    struct machine *m = v->m;
    struct linux_machine *lx = m->lx;
    struct kvm_sregs s;
    if (!lx->syscall_fix || m->dbg || vcpu_get_sregs(v, &s) < 0)
        return false;
    if (v->run->exit_reason != KVM_EXIT_DEBUG) {
        lx_syscall_arm(m, lx, v, &s);
        return false;
    }
    uint32_t dr6 = (uint32_t)v->run->debug.arch.dr6;
    if (lx->stepping[v->id] && (dr6 & DR6_BS)) {
        lx->stepping[v->id] = false; /* past the handler's first instruction: re-arm */
        lx->pf_bp[v->id] = 0;
        lx_syscall_arm(m, lx, v, &s);
        return true;
    }
    if (!(dr6 & DR6_B(0)) || v->run->debug.arch.pc != lx->pf_bp[v->id])
        return false;
    if (!lx_at_handler(v) && lx_guest_debug(v, 0, true) < 0)
        lx->stepping[v->id] = false;
    return true;
}

int linux_syscall_reserved(const struct machine *m)
{
    return m->lx && m->lx->syscall_fix ? 1 : 0;
}

void linux_syscall_watch(struct vcpu *v, const struct kvm_sregs *s, uint64_t *addr, bool *step_past)
{
    struct linux_machine *lx = v->m->lx;
    *addr = 0;
    *step_past = false;
    if (!lx || !lx->syscall_fix)
        return;
    *step_past = lx->stepping[v->id];
    if (!*step_past)
        *addr = lx->pf_bp[v->id] = lx_pf_handler(v->m, s);
}

bool linux_syscall_hit(struct vcpu *v)
{
    return lx_at_handler(v);
}

void linux_syscall_stepped(struct vcpu *v)
{
    v->m->lx->stepping[v->id] = false;
}
