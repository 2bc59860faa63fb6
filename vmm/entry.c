#include "vmm/entry.h"

#include <errno.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vmm/util.h"
#include "vmm/vm.h"
#include "vmm/x86/bits.h"
#include "vmm/x86/desc.h"

/* Access byte and flags nibble of each GDT entry; one row per selector. */
struct gdt_row {
    uint16_t sel;
    uint8_t access;
    uint8_t flags; /* G, D/B, L in the high nibble of byte 6 */
};

static const struct gdt_row gdt_rows[] = {
    { SEL_KCODE32, 0x9b, 0xc }, /* present, DPL0, code r/x accessed; G, D */
    { SEL_KCODE64, 0x9b, 0xa }, /* G, L */
    { SEL_KDATA, 0x93, 0xc },   { SEL_UCODE32, 0xfb, 0xc }, /* DPL3 */
    { SEL_UDATA, 0xf3, 0xc },   { SEL_UCODE64, 0xfb, 0xa },
};

/* Segment limit of a protected-mode window, in 4 KiB units minus one: the guest
 * cannot reach outside its window through its flat segments. */
static uint32_t window_limit_pages(const struct window *win)
{
    uint64_t pages = win->size >> 12;
    if (win->base == 0 || pages == 0 || pages > 0x100000)
        return 0xfffff;
    return (uint32_t)(pages - 1);
}

int entry_build_tables(struct vm *vm, const struct window *win, enum cpu_mode mode)
{
    if (mode == CPU_MODE_REAL)
        return 0;
    if (win->size < SYSAREA_SIZE)
        return -ENOSPC;
    uint64_t sys = win->base + win->size - SYSAREA_SIZE;
    uint8_t *area = vm_gpa_to_hva(vm, sys, SYSAREA_SIZE);
    if (!area)
        return -EFAULT;
    memset(area, 0, SYSAREA_SIZE);

    uint64_t *gdt = (uint64_t *)(area + SYSAREA_GDT);
    uint32_t limit = window_limit_pages(win);
    for (size_t i = 0; i < ARRAY_SIZE(gdt_rows); i++) {
        const struct gdt_row *r = &gdt_rows[i];
        gdt[r->sel / 8] = x86_desc_encode((uint32_t)win->base, limit, r->access, r->flags);
    }
    if (mode != CPU_MODE_LONG)
        return 0;

    /* Guest-virtual [0, size) -> guest-physical [base, base+size), 2 MiB pages, user
     * accessible so that test guests may drop to ring 3 without building tables.
     * A guest alone (window at 0) gets the whole first 4 GiB, device addresses
     * (LAPIC, MMIO) included; a window elsewhere sees only itself. */
    uint64_t *pml4 = (uint64_t *)(area + SYSAREA_PML4);
    uint64_t *pdpt = (uint64_t *)(area + SYSAREA_PDPT);
    uint64_t span = win->base == 0 ? (uint64_t)SYSAREA_PD_COUNT << 30 : win->size;
    if (span > (uint64_t)SYSAREA_PD_COUNT << 30)
        span = (uint64_t)SYSAREA_PD_COUNT << 30;
    pml4[0] = (sys + SYSAREA_PDPT) | PTE_P | PTE_RW | PTE_US;
    for (int i = 0; i < SYSAREA_PD_COUNT; i++)
        pdpt[i] = (sys + SYSAREA_PD + 0x1000ull * i) | PTE_P | PTE_RW | PTE_US;
    uint64_t *pd = (uint64_t *)(area + SYSAREA_PD);
    for (uint64_t va = 0; va < span; va += 2ull << 20)
        pd[va >> 21] = (win->base + va) | PTE_P | PTE_RW | PTE_US | PTE_PS;
    return 0;
}

static void seg_set(struct kvm_segment *s, uint16_t sel, uint64_t base, uint32_t limit,
                    uint8_t type, int db, int l, int dpl)
{
    memset(s, 0, sizeof(*s));
    s->selector = sel;
    s->base = base;
    s->limit = limit;
    s->type = type;
    s->present = 1;
    s->s = 1;
    s->dpl = (uint8_t)dpl;
    s->db = (uint8_t)db;
    s->l = (uint8_t)l;
    s->g = limit > 0xfffff;
}

/* Real-mode entry points above 64 KiB (--load 0x20000) get a segment that reaches them. */
static uint64_t real_seg_base(const struct boot_plan *plan, const struct window *win)
{
    return win->base + (plan->entry & ~0xffffull);
}

static void sregs_for_mode(struct kvm_sregs *sr, const struct boot_plan *plan,
                           const struct window *win)
{
    enum cpu_mode mode = plan->mode;
    struct kvm_segment *data[] = { &sr->ds, &sr->es, &sr->fs, &sr->gs, &sr->ss };
    uint64_t sys = win->base + win->size - SYSAREA_SIZE;

    if (mode == CPU_MODE_REAL) {
        uint64_t base = real_seg_base(plan, win);
        uint16_t seg = (uint16_t)(base >> 4);
        seg_set(&sr->cs, seg, base, 0xffff, 0xb, 0, 0, 0);
        for (size_t i = 0; i < 5; i++)
            seg_set(data[i], seg, base, 0xffff, 0x3, 0, 0, 0);
        sr->cr0 = CR0_ET;
        sr->cr4 = 0;
        sr->efer = 0;
        return;
    }

    uint32_t limit = (window_limit_pages(win) << 12) | 0xfff;
    uint64_t seg_base = mode == CPU_MODE_LONG ? 0 : win->base;
    if (mode == CPU_MODE_LONG)
        seg_set(&sr->cs, SEL_KCODE64, 0, limit, 0xb, 0, 1, 0);
    else
        seg_set(&sr->cs, SEL_KCODE32, seg_base, limit, 0xb, 1, 0, 0);
    for (size_t i = 0; i < 5; i++)
        seg_set(data[i], SEL_KDATA, seg_base, limit, 0x3, 1, 0, 0);
    /* descriptor-table bases are linear: in long mode the window is mapped at 0 */
    uint64_t lin_sys = mode == CPU_MODE_LONG ? sys - win->base : sys;
    sr->gdt.base = lin_sys + SYSAREA_GDT;
    sr->gdt.limit = 0x37;
    sr->idt.base = 0;
    sr->idt.limit = 0;
    sr->cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE;
    sr->cr4 = CR4_OSFXSR | CR4_OSXMMEXCPT;
    sr->efer = 0;
    if (mode == CPU_MODE_LONG) {
        sr->cr3 = sys + SYSAREA_PML4;
        sr->cr4 |= CR4_PAE;
        sr->cr0 |= CR0_PG;
        sr->efer = EFER_LME | EFER_LMA | EFER_NXE | EFER_SCE;
    }
    /* VM entry requires a usable busy TSS even though these guests never switch tasks. */
    memset(&sr->tr, 0, sizeof(sr->tr));
    sr->tr.base = lin_sys + SYSAREA_TSS;
    sr->tr.limit = 0x67;
    sr->tr.type = 0xb;
    sr->tr.present = 1;
}

int entry_setup_vcpu(int vcpu_fd, const struct boot_plan *plan, const struct window *win)
{
    struct kvm_sregs sr;
    if (ioctl(vcpu_fd, KVM_GET_SREGS, &sr) < 0)
        return -errno;
    sregs_for_mode(&sr, plan, win);
    if (ioctl(vcpu_fd, KVM_SET_SREGS, &sr) < 0)
        return -errno;

    struct kvm_regs r;
    memset(&r, 0, sizeof(r));
    r.rflags = 0x2;
    r.rip = plan->entry;
    if (plan->mode == CPU_MODE_REAL) {
        /* the boot-sector convention: the stack grows down below 0x7c00 */
        r.rip = plan->entry & 0xffff;
        r.rsp = FLAT_DEFAULT_LOAD;
    } else {
        /* window-relative: the segments or page tables add the window's base */
        r.rsp = win->size - SYSAREA_SIZE;
    }
    if (ioctl(vcpu_fd, KVM_SET_REGS, &r) < 0)
        return -errno;

    struct kvm_fpu fpu;
    memset(&fpu, 0, sizeof(fpu));
    fpu.fcw = 0x37f;
    fpu.mxcsr = 0x1f80;
    if (ioctl(vcpu_fd, KVM_SET_FPU, &fpu) < 0)
        return -errno;
    return 0;
}

/* What firmware leaves behind on a PC: LINT0 in ExtINT mode so the 8259 PIC's
 * interrupts (PIT, UART) reach the CPU, LINT1 as NMI. Without it KVM's in-kernel
 * LAPIC masks LINT0 and a guest that only programs the PIC never sees an IRQ. */
int entry_setup_lapic(int vcpu_fd)
{
    struct kvm_lapic_state l;
    if (ioctl(vcpu_fd, KVM_GET_LAPIC, &l) < 0)
        return -errno;
    uint32_t lint0 = 0x700, lint1 = 0x400;
    memcpy(&l.regs[0x350], &lint0, 4);
    memcpy(&l.regs[0x360], &lint1, 4);
    return ioctl(vcpu_fd, KVM_SET_LAPIC, &l) < 0 ? -errno : 0;
}
