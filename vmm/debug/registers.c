/* The gdb target on KVM, part 2: the 'g' block (gdbstub/x86_regs.h layout) to and
 * from KVM's register structures, with the checks a register write needs. */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vmm/debug/debug_priv.h"
#include "vmm/util.h"
#include "vmm/x86/bits.h"
#include "vmm/x86/desc.h"

struct cpu_state {
    struct kvm_regs r;
    struct kvm_sregs s;
    struct kvm_fpu f;
    uint64_t kgs;
};

/* General registers: gdb number -> offset in struct kvm_regs. */
static const struct {
    int regno;
    size_t off;
} gpr_map[] = {
    { GDB_REG_RAX, offsetof(struct kvm_regs, rax) },
    { GDB_REG_RBX, offsetof(struct kvm_regs, rbx) },
    { GDB_REG_RCX, offsetof(struct kvm_regs, rcx) },
    { GDB_REG_RDX, offsetof(struct kvm_regs, rdx) },
    { GDB_REG_RSI, offsetof(struct kvm_regs, rsi) },
    { GDB_REG_RDI, offsetof(struct kvm_regs, rdi) },
    { GDB_REG_RBP, offsetof(struct kvm_regs, rbp) },
    { GDB_REG_RSP, offsetof(struct kvm_regs, rsp) },
    { GDB_REG_R8, offsetof(struct kvm_regs, r8) },
    { GDB_REG_R9, offsetof(struct kvm_regs, r9) },
    { GDB_REG_R10, offsetof(struct kvm_regs, r10) },
    { GDB_REG_R11, offsetof(struct kvm_regs, r11) },
    { GDB_REG_R12, offsetof(struct kvm_regs, r12) },
    { GDB_REG_R13, offsetof(struct kvm_regs, r13) },
    { GDB_REG_R14, offsetof(struct kvm_regs, r14) },
    { GDB_REG_R15, offsetof(struct kvm_regs, r15) },
    { GDB_REG_RIP, offsetof(struct kvm_regs, rip) },
    { GDB_REG_EFLAGS, offsetof(struct kvm_regs, rflags) },
};

static const struct {
    int regno;
    size_t off;
} seg_map[] = {
    { GDB_REG_CS, offsetof(struct kvm_sregs, cs) }, { GDB_REG_SS, offsetof(struct kvm_sregs, ss) },
    { GDB_REG_DS, offsetof(struct kvm_sregs, ds) }, { GDB_REG_ES, offsetof(struct kvm_sregs, es) },
    { GDB_REG_FS, offsetof(struct kvm_sregs, fs) }, { GDB_REG_GS, offsetof(struct kvm_sregs, gs) },
};

static const struct {
    int regno;
    size_t off;
} ctl_map[] = {
    { GDB_REG_CR0, offsetof(struct kvm_sregs, cr0) },
    { GDB_REG_CR2, offsetof(struct kvm_sregs, cr2) },
    { GDB_REG_CR3, offsetof(struct kvm_sregs, cr3) },
    { GDB_REG_CR4, offsetof(struct kvm_sregs, cr4) },
    { GDB_REG_CR8, offsetof(struct kvm_sregs, cr8) },
    { GDB_REG_EFER, offsetof(struct kvm_sregs, efer) },
};

#define U64_AT(base, off) (*(uint64_t *)((uint8_t *)(base) + (off)))
#define SEG_AT(base, off) ((struct kvm_segment *)((uint8_t *)(base) + (off)))

static int state_read(struct vcpu *v, struct cpu_state *st)
{
    int rc = vcpu_get_regs(v, &st->r);
    if (rc == 0)
        rc = vcpu_get_sregs(v, &st->s);
    if (rc == 0 && ioctl(v->fd, KVM_GET_FPU, &st->f) < 0)
        rc = -errno;
    st->kgs = 0;
    if (rc == 0)
        vcpu_get_msr(v, MSR_KERNEL_GS_BASE, &st->kgs); /* absent: shown as 0 */
    return rc;
}

/* The abridged tag byte (1 = valid) widened to the full tag word (11 = empty);
 * valid registers are shown as "valid" since their class is not kept. */
static uint16_t ftag_full(uint8_t abridged)
{
    uint16_t t = 0;
    for (int i = 0; i < 8; i++)
        if (!(abridged & (1u << i)))
            t |= (uint16_t)(3u << (2 * i));
    return t;
}

static uint8_t ftag_abridged(uint16_t full)
{
    uint8_t t = 0;
    for (int i = 0; i < 8; i++)
        if (((full >> (2 * i)) & 3) != 3)
            t |= (uint8_t)(1u << i);
    return t;
}

/* gdb's pc is linear: CS.base + IP outside long mode (real mode above all, where
 * symbols are linear addresses and CS is often not 0). */
static uint64_t pc_read(const struct cpu_state *st)
{
    return vcpu_linear_ip(&st->r, &st->s);
}

/* A pc gdb wrote back: unchanged (other registers were written, or CS alone, which
 * then keeps IP), or moved, which becomes an offset within the new CS. -EINVAL
 * when the address is outside what CS reaches in this mode. */
static int pc_write(const struct cpu_state *st, struct cpu_state *nw, uint64_t old_pc, uint64_t pc)
{
    if (pc == old_pc) {
        nw->r.rip = st->r.rip;
        return 0;
    }
    enum vcpu_cpu_mode mode = vcpu_mode_of(&nw->s);
    if (mode == VMODE_LONG) {
        nw->r.rip = pc;
        return 0;
    }
    uint64_t ip = pc - nw->s.cs.base, max = vcpu_mode_width(mode) == 2 ? 0xffff : 0xffffffff;
    if (pc < nw->s.cs.base || ip > max)
        return -EINVAL;
    nw->r.rip = ip;
    return 0;
}

static void block_fill(uint8_t *b, const struct cpu_state *st)
{
    memset(b, 0, GDB_REGS_SIZE);
    for (size_t i = 0; i < ARRAY_SIZE(gpr_map); i++)
        x86_reg_set(b, gpr_map[i].regno, U64_AT(&st->r, gpr_map[i].off));
    x86_reg_set(b, GDB_REG_RIP, pc_read(st));
    for (size_t i = 0; i < ARRAY_SIZE(seg_map); i++)
        x86_reg_set(b, seg_map[i].regno, SEG_AT(&st->s, seg_map[i].off)->selector);
    for (size_t i = 0; i < ARRAY_SIZE(ctl_map); i++)
        x86_reg_set(b, ctl_map[i].regno, U64_AT(&st->s, ctl_map[i].off));
    x86_reg_set(b, GDB_REG_FS_BASE, st->s.fs.base);
    x86_reg_set(b, GDB_REG_GS_BASE, st->s.gs.base);
    x86_reg_set(b, GDB_REG_K_GS_BASE, st->kgs);
    for (int i = 0; i < 8; i++)
        memcpy(b + x86_regs[GDB_REG_ST0 + i].offset, st->f.fpr[i], 10);
    x86_reg_set(b, GDB_REG_FCTRL, st->f.fcw);
    x86_reg_set(b, GDB_REG_FSTAT, st->f.fsw);
    x86_reg_set(b, GDB_REG_FTAG, ftag_full(st->f.ftwx));
    x86_reg_set(b, GDB_REG_FIOFF, (uint32_t)st->f.last_ip);
    x86_reg_set(b, GDB_REG_FOOFF, (uint32_t)st->f.last_dp);
    x86_reg_set(b, GDB_REG_FOP, st->f.last_opcode);
    for (int i = 0; i < 16; i++)
        memcpy(b + x86_regs[GDB_REG_XMM0 + i].offset, st->f.xmm[i], 16);
    x86_reg_set(b, GDB_REG_MXCSR, st->f.mxcsr);
}

int debug_read_regs(void *t, int cpu, uint8_t *buf, size_t len)
{
    struct debug *d = t;
    struct cpu_state st;
    if (len < GDB_REGS_SIZE || cpu < 0 || cpu >= d->m->nvcpus)
        return -EINVAL;
    int rc = state_read(&d->m->vcpus[cpu], &st);
    if (rc < 0)
        return rc;
    block_fill(buf, &st);
    return 0;
}

/* A new selector gets its hidden part the way a load would: from the selector in
 * real mode, from the GDT descriptor otherwise (the LDT is not supported). */
int debug_seg_load(struct debug *d, int cpu, const struct kvm_sregs *s, struct kvm_segment *seg,
                   uint16_t sel, bool is_cs)
{
    if (!(s->cr0 & CR0_PE)) {
        seg->selector = sel;
        seg->base = (uint64_t)sel << 4;
        return 0;
    }
    if ((sel & ~3u) == 0) {
        if (is_cs)
            return -EINVAL;
        memset(seg, 0, sizeof(*seg));
        seg->selector = sel;
        seg->unusable = 1;
        return 0;
    }
    if ((sel & 4) || (uint32_t)(sel | 7) > s->gdt.limit)
        return -EINVAL;
    uint64_t desc;
    if (debug_read_linear(d, cpu, s->gdt.base + (sel & ~7u), &desc, 8) < 0)
        return -EFAULT;
    struct x86_desc x;
    x86_desc_decode(desc, &x);
    if (!x.present || !x.s || (is_cs && !(x.type & 8)))
        return -EINVAL; /* not present, a system descriptor, or data loaded into cs */
    *seg = (struct kvm_segment){
        .base = x.base,
        .limit = x.limit,
        .selector = sel,
        .type = x.type,
        .present = 1,
        .dpl = x.dpl,
        .db = x.db,
        .s = 1,
        .l = x.l,
        .g = x.g,
    };
    return 0;
}

int debug_write_regs(void *t, int cpu, const uint8_t *buf, size_t len)
{
    struct debug *d = t;
    if (len < GDB_REGS_SIZE || cpu < 0 || cpu >= d->m->nvcpus)
        return -EINVAL;
    struct vcpu *v = &d->m->vcpus[cpu];
    struct cpu_state st, nw;
    int rc = state_read(v, &st);
    if (rc < 0)
        return rc;
    uint8_t old[GDB_REGS_SIZE];
    block_fill(old, &st);
    nw = st;

    for (size_t i = 0; i < ARRAY_SIZE(gpr_map); i++)
        U64_AT(&nw.r, gpr_map[i].off) = x86_reg_get(buf, gpr_map[i].regno);
    for (size_t i = 0; i < ARRAY_SIZE(ctl_map); i++)
        U64_AT(&nw.s, ctl_map[i].off) = x86_reg_get(buf, ctl_map[i].regno);
    nw.s.fs.base = x86_reg_get(buf, GDB_REG_FS_BASE);
    nw.s.gs.base = x86_reg_get(buf, GDB_REG_GS_BASE);
    for (size_t i = 0; i < ARRAY_SIZE(seg_map); i++) {
        uint64_t sel = x86_reg_get(buf, seg_map[i].regno);
        if (sel == x86_reg_get(old, seg_map[i].regno))
            continue;
        if (sel > 0xffff)
            return -EINVAL;
        rc = debug_seg_load(d, cpu, &nw.s, SEG_AT(&nw.s, seg_map[i].off), (uint16_t)sel,
                            seg_map[i].regno == GDB_REG_CS);
        if (rc < 0)
            return rc;
    }
    rc = pc_write(&st, &nw, x86_reg_get(old, GDB_REG_RIP), x86_reg_get(buf, GDB_REG_RIP));
    if (rc < 0)
        return rc;
    for (int i = 0; i < 8; i++)
        memcpy(nw.f.fpr[i], buf + x86_regs[GDB_REG_ST0 + i].offset, 10);
    nw.f.fcw = (uint16_t)x86_reg_get(buf, GDB_REG_FCTRL);
    nw.f.fsw = (uint16_t)x86_reg_get(buf, GDB_REG_FSTAT);
    nw.f.ftwx = ftag_abridged((uint16_t)x86_reg_get(buf, GDB_REG_FTAG));
    nw.f.last_opcode = (uint16_t)x86_reg_get(buf, GDB_REG_FOP);
    for (int i = 0; i < 16; i++)
        memcpy(nw.f.xmm[i], buf + x86_regs[GDB_REG_XMM0 + i].offset, 16);
    nw.f.mxcsr = (uint32_t)x86_reg_get(buf, GDB_REG_MXCSR);
    nw.kgs = x86_reg_get(buf, GDB_REG_K_GS_BASE);

    /* System state first: KVM refuses inconsistent control registers, and then
     * nothing else may change either. */
    if (memcmp(&nw.s, &st.s, sizeof(nw.s)) != 0) {
        rc = vcpu_set_sregs_checked(v, &nw.s);
        if (rc < 0)
            return -EINVAL;
    }
    if (memcmp(&nw.f, &st.f, sizeof(nw.f)) != 0 && ioctl(v->fd, KVM_SET_FPU, &nw.f) < 0)
        return -errno;
    if (nw.kgs != st.kgs && (rc = vcpu_set_msr(v, MSR_KERNEL_GS_BASE, nw.kgs)) < 0)
        return rc;
    nw.r.rflags = (nw.r.rflags & 0xffffffffull) | RFLAGS_FIXED;
    if (memcmp(&nw.r, &st.r, sizeof(nw.r)) != 0)
        return vcpu_set_regs(v, &nw.r);
    return 0;
}
