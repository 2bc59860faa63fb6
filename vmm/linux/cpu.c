/* The CPU side of a Linux boot: the boot protocol's entry state (Documentation/
 * x86/boot.rst, "32-bit boot protocol" and "64-bit boot protocol"). The kernel's
 * own int3s (its alternatives self-test) are reflected by exits.c (vmm/int3.h). */
#include <errno.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vmm/guestmem.h"
#include "vmm/linux/linux_priv.h"
#include "vmm/machine.h"
#include "vmm/util.h"
#include "vmm/x86/bits.h"
#include "vmm/x86/desc.h"

/* The protocol's selectors: __BOOT_CS and __BOOT_DS, flat 4 GiB. */
enum { BOOT_CS = 0x10, BOOT_DS = 0x18, BOOT_GDT_LIMIT = 0x1f };

static void seg_flat(struct kvm_segment *s, uint16_t sel, uint8_t type, int db, int l)
{
    *s = (struct kvm_segment){ .selector = sel,
                               .base = 0,
                               .limit = 0xffffffff,
                               .type = type,
                               .present = 1,
                               .s = 1,
                               .db = (uint8_t)db,
                               .l = (uint8_t)l,
                               .g = 1 };
}

/* GDT, and for the 64-bit entry identity page tables over the first 4 GiB. With
 * --linux-test-break and the 32-bit entry, the data descriptor is broken (limit 0)
 * the way a buggy loader might leave it: the kernel's first push faults. */
static int linux_build_tables(struct machine *m, const struct linux_machine *lx)
{
    uint64_t *gdt = vm_gpa_to_hva(&m->vm, LINUX_GDT, 0x100);
    uint8_t *pt = vm_gpa_to_hva(&m->vm, LINUX_PML4, 0x1000ull * (2 + LINUX_PD_COUNT));
    if (!gdt || !pt)
        return -EFAULT;
    memset(gdt, 0, 0x100);
    gdt[BOOT_CS / 8] = x86_desc_encode(0, 0xfffff, 0x9b, lx->entry == 64 ? 0xa : 0xc);
    gdt[BOOT_DS / 8] = lx->test_break && lx->entry == 32 ? x86_desc_encode(0, 0, 0x93, 0x4)
                                                         : x86_desc_encode(0, 0xfffff, 0x93, 0xc);
    if (lx->entry != 64)
        return 0;
    memset(pt, 0, 0x1000ull * (2 + LINUX_PD_COUNT));
    uint64_t *pml4 = (uint64_t *)pt, *pdpt = (uint64_t *)(pt + 0x1000);
    uint64_t *pd = (uint64_t *)(pt + 0x2000);
    pml4[0] = LINUX_PDPT | PTE_P | PTE_RW;
    for (unsigned i = 0; i < LINUX_PD_COUNT; i++)
        pdpt[i] = (LINUX_PD + 0x1000ull * i) | PTE_P | PTE_RW;
    for (uint64_t i = 0; i < 512ull * LINUX_PD_COUNT; i++)
        pd[i] = (i << 21) | PTE_P | PTE_RW | PTE_PS;
    return 0;
}

static void linux_sregs(struct kvm_sregs *sr, const struct linux_machine *lx)
{
    bool l64 = lx->entry == 64;
    seg_flat(&sr->cs, BOOT_CS, 0xb, !l64, l64);
    struct kvm_segment *data[] = { &sr->ds, &sr->es, &sr->fs, &sr->gs, &sr->ss };
    for (size_t i = 0; i < ARRAY_SIZE(data); i++) {
        seg_flat(data[i], BOOT_DS, 0x3, 1, 0);
        if (lx->test_break && !l64) {
            data[i]->limit = 0;
            data[i]->g = 0;
        }
    }
    sr->gdt.base = LINUX_GDT;
    sr->gdt.limit = BOOT_GDT_LIMIT;
    sr->idt.base = 0;
    sr->idt.limit = 0;
    memset(&sr->tr, 0, sizeof(sr->tr)); /* VM entry wants a usable busy TSS */
    sr->tr.base = LINUX_TSS;
    sr->tr.limit = 0x67;
    sr->tr.type = 0xb;
    sr->tr.present = 1;
    sr->cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE;
    sr->cr4 = 0;
    sr->efer = 0;
    sr->cr3 = 0;
    if (l64) {
        sr->cr0 |= CR0_PG;
        sr->cr4 = CR4_PAE;
        sr->cr3 = LINUX_PML4;
        sr->efer = EFER_LME | EFER_LMA;
    }
}

int linux_setup_vcpu(struct machine *m, struct vcpu *v)
{
    struct linux_machine *lx = m->lx;
    int rc = linux_build_tables(m, lx);
    if (rc < 0)
        return rc;
    struct kvm_sregs sr;
    if (ioctl(v->fd, KVM_GET_SREGS, &sr) < 0)
        return -errno;
    linux_sregs(&sr, lx);
    if (ioctl(v->fd, KVM_SET_SREGS, &sr) < 0)
        return -errno;
    /* rsi/esi: the zero page; interrupts off; the rest zero as the protocol asks. */
    struct kvm_regs r = {
        .rflags = 0x2, .rip = v->plan.entry, .rsi = LINUX_ZERO_PAGE, .rsp = LINUX_STACK_TOP
    };
    if (ioctl(v->fd, KVM_SET_REGS, &r) < 0)
        return -errno;
    struct kvm_fpu fpu;
    memset(&fpu, 0, sizeof(fpu));
    fpu.fcw = 0x37f;
    fpu.mxcsr = 0x1f80;
    return ioctl(v->fd, KVM_SET_FPU, &fpu) < 0 ? -errno : 0;
}

bool linux_on_exit(struct vcpu *v)
{
    return v->m->lx && linux_syscall_exit(v);
}

/* For the halt watcher: is the vCPU stopped at a hlt with interrupts off? Reads
 * the registers KVM left in the run page at its last exit. */
bool linux_cpu_halted_for_good(struct machine *m, struct vcpu *v, uint64_t *rip)
{
    if (!v->sync_regs)
        return false;
    const struct kvm_regs *r = &v->run->s.regs.regs;
    const struct kvm_sregs *s = &v->run->s.regs.sregs;
    *rip = r->rip;
    if (r->rflags & 0x200)
        return false;
    bool longmode = (s->efer & EFER_LMA) && s->cs.l;
    uint64_t linear = longmode ? r->rip : (s->cs.base + r->rip) & 0xffffffffu;
    uint8_t byte;
    return linear > 0 && guestmem_access(&m->vm, s, linear - 1, &byte, 1, false, NULL) == 0 &&
           byte == 0xf4;
}
