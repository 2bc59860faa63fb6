/* The last N instructions of a vCPU: a ring of the states it was in before each
 * instruction, filled by single-stepping inside the VMM (vcpu.c headless, the debug
 * layer under gdb), so no gdb round trip is paid per step. At a triple fault it
 * shows how the guest got there, and on hosts that reset the vCPU at the shutdown
 * (AMD) its newest entry is the state forensics can still explain. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vmm/forensics/forensics.h"
#include "vmm/guestmem.h"
#include "vmm/machine.h"
#include "vmm/util.h"
#include "vmm/vcpu.h"
#include "vmm/x86/bits.h"

int history_start(struct history *h, unsigned cap)
{
    if (cap == 0 || cap > HISTORY_MAX)
        return -EINVAL;
    if (h->e && h->cap != cap)
        history_free(h);
    if (!h->e) {
        h->e = calloc(cap, sizeof(*h->e));
        if (!h->e)
            return -ENOMEM;
        h->cap = cap;
        h->head = h->count = 0;
    }
    h->on = true;
    return 0;
}

void history_stop(struct history *h)
{
    h->on = false;
}

void history_free(struct history *h)
{
    free(h->e);
    *h = (struct history){ 0 };
}

void history_record(struct history *h, const struct vm *vm, const struct kvm_regs *r,
                    const struct kvm_sregs *s)
{
    if (!h->on || !h->e)
        return;
    struct history_entry *e = &h->e[h->head];
    e->seq = h->seq++;
    e->r = *r;
    e->s = *s;
    uint64_t lin = vcpu_linear_ip(r, s);
    e->nbytes = 0;
    while (e->nbytes < HISTORY_BYTES &&
           guestmem_access(vm, s, lin + e->nbytes, &e->bytes[e->nbytes], 1, false, NULL) == 0)
        e->nbytes++;
    h->head = (h->head + 1) % h->cap;
    if (h->count < h->cap)
        h->count++;
}

const struct history_entry *history_last(const struct history *h)
{
    return h->e && h->count ? &h->e[(h->head + h->cap - 1) % h->cap] : NULL;
}

/* The general registers that differ between two entries, as " rax=0x..". */
static void print_changed(const struct kvm_regs *a, const struct kvm_regs *b, struct strbuf *out)
{
    const struct {
        const char *n;
        size_t off;
    } gpr[] = {
        { "rax", offsetof(struct kvm_regs, rax) },       { "rbx", offsetof(struct kvm_regs, rbx) },
        { "rcx", offsetof(struct kvm_regs, rcx) },       { "rdx", offsetof(struct kvm_regs, rdx) },
        { "rsi", offsetof(struct kvm_regs, rsi) },       { "rdi", offsetof(struct kvm_regs, rdi) },
        { "rbp", offsetof(struct kvm_regs, rbp) },       { "rsp", offsetof(struct kvm_regs, rsp) },
        { "r8", offsetof(struct kvm_regs, r8) },         { "r9", offsetof(struct kvm_regs, r9) },
        { "r10", offsetof(struct kvm_regs, r10) },       { "r11", offsetof(struct kvm_regs, r11) },
        { "r12", offsetof(struct kvm_regs, r12) },       { "r13", offsetof(struct kvm_regs, r13) },
        { "r14", offsetof(struct kvm_regs, r14) },       { "r15", offsetof(struct kvm_regs, r15) },
        { "rflags", offsetof(struct kvm_regs, rflags) },
    };
    for (size_t i = 0; i < ARRAY_SIZE(gpr); i++) {
        uint64_t x, y;
        memcpy(&x, (const uint8_t *)a + gpr[i].off, 8);
        memcpy(&y, (const uint8_t *)b + gpr[i].off, 8);
        if (x != y)
            strbuf_printf(out, " %s=0x%llx", gpr[i].n, (unsigned long long)y);
    }
}

void history_print(const struct history *h, unsigned n, struct strbuf *out)
{
    if (!h->e || !h->count) {
        strbuf_puts(out, "history: empty (--history N, or monitor history on [N])\n");
        return;
    }
    unsigned k = n && n < h->count ? n : h->count;
    strbuf_printf(out,
                  "history: the last %u instructions, oldest first (seq, mode, address, "
                  "bytes, registers changed since the one before):\n",
                  k);
    const struct history_entry *prev = NULL;
    for (unsigned i = h->count - k; i < h->count; i++) {
        unsigned idx = (h->head + h->cap - h->count + i) % h->cap;
        const struct history_entry *e = &h->e[idx];
        enum vcpu_cpu_mode mode = vcpu_mode_of(&e->s);
        strbuf_printf(out, "  %6llu %-10s ", (unsigned long long)e->seq, vcpu_mode_name(mode));
        if (mode == VMODE_REAL)
            strbuf_printf(out, "%04x:%04llx", e->s.cs.selector,
                          (unsigned long long)(e->r.rip & 0xffff));
        else
            strbuf_printf(out, "0x%llx", (unsigned long long)e->r.rip);
        strbuf_puts(out, " ");
        for (unsigned b = 0; b < e->nbytes && b < 8; b++)
            strbuf_printf(out, "%02x", e->bytes[b]);
        if (!e->nbytes)
            strbuf_puts(out, "(unmapped)");
        if (prev)
            print_changed(&prev->r, &e->r, out);
        strbuf_puts(out, "\n");
        prev = e;
    }
}

void history_record_now(struct vcpu *v)
{
    struct kvm_regs r;
    struct kvm_sregs s;
    if (vcpu_get_state(v, &r, &s) == 0)
        history_record(&v->hist, &v->m->vm, &r, &s);
}

void history_begin(struct vcpu *v)
{
    if (v->hist.on && !v->hist.count)
        history_record_now(v);
}

int history_arm(struct vcpu *v)
{
    if (!v->hist.on)
        return 0;
    /* set anew every run: KVM keeps its stepping TF only while rip is where the
     * last KVM_SET_GUEST_DEBUG saw it (vmm/debug/guest_debug.c, step 7) */
    struct kvm_guest_debug g = { .control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP };
    return ioctl(v->fd, KVM_SET_GUEST_DEBUG, &g) < 0 ? -errno : 0;
}

bool history_step_exit(struct vcpu *v)
{
    if (!v->hist.on || v->run->exit_reason != KVM_EXIT_DEBUG || !(v->run->debug.arch.dr6 & DR6_BS))
        return false;
    history_record_now(v);
    return true;
}

int forensics_report(struct vcpu *v, struct strbuf *out)
{
    struct why_state st = { .source = "the vCPU at the shutdown" };
    if (vcpu_get_state(v, &st.r, &st.s) < 0)
        return -EIO;
    st.have_events = ioctl(v->fd, KVM_GET_VCPU_EVENTS, &st.ev) == 0;
    if (why_is_reset_state(&st.r, &st.s)) {
        const struct history_entry *last = history_last(&v->hist);
        strbuf_puts(out, "why: the host reset this vCPU at the shutdown (AMD's KVM does: its "
                         "registers now hold the reset state, not the fault's)\n");
        if (!last) {
            strbuf_puts(out, "why: run again with --history N (headless) or monitor history "
                             "on (gdb) to keep the state before the fault\n");
            return out->overflow ? -ENOMEM : 0;
        }
        st = (struct why_state){ .r = last->r,
                                 .s = last->s,
                                 .source = "the history's last instruction, the one that "
                                           "faulted" };
    }
    return why_explain(&v->m->vm, &st, out);
}
