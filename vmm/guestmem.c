#include "vmm/guestmem.h"

#include <errno.h>
#include <string.h>

#include "vmm/vm.h"
#include "vmm/x86/bits.h"

struct pw_cpu guestmem_pw_cpu(const struct kvm_sregs *s)
{
    return (struct pw_cpu){ .cr0 = s->cr0, .cr3 = s->cr3, .cr4 = s->cr4, .efer = s->efer };
}

int guestmem_read_phys(void *arg, uint64_t pa, void *buf, size_t len)
{
    const void *src = vm_gpa_to_hva(arg, pa, len);
    if (!src)
        return -EFAULT;
    memcpy(buf, src, len);
    return 0;
}

int guestmem_translate(const struct vm *vm, const struct kvm_sregs *s, uint64_t linear,
                       uint64_t *phys)
{
    struct pw_cpu pc = guestmem_pw_cpu(s);
    struct pw_result r;
    if (pagewalk(&pc, linear, guestmem_read_phys, (void *)vm, &r) < 0)
        return -EFAULT;
    *phys = r.phys;
    return 0;
}

int guestmem_access(const struct vm *vm, const struct kvm_sregs *s, uint64_t linear, void *buf,
                    size_t len, bool write, uint64_t *fail)
{
    uint8_t *p = buf;
    while (len) {
        /* one page at a time: contiguous linear pages need not be contiguous physically */
        size_t chunk = 0x1000 - (size_t)(linear & 0xfff);
        if (chunk > len)
            chunk = len;
        uint64_t phys;
        uint8_t *h =
            guestmem_translate(vm, s, linear, &phys) == 0 ? vm_gpa_to_hva(vm, phys, chunk) : NULL;
        if (!h) {
            if (fail)
                *fail = linear;
            return -EFAULT;
        }
        if (write)
            memcpy(h, p, chunk);
        else
            memcpy(p, h, chunk);
        p += chunk;
        linear += chunk;
        len -= chunk;
    }
    return 0;
}

int guestmem_idt_gate(const struct vm *vm, const struct kvm_sregs *s, unsigned vector,
                      struct x86_gate *g)
{
    enum x86_idt_format f = x86_idt_format_of(s->cr0, s->efer);
    unsigned size = x86_idt_entry_size(f);
    uint64_t e[2] = { 0, 0 };
    if ((uint64_t)s->idt.limit < (uint64_t)vector * size + size - 1)
        return -ERANGE;
    if (guestmem_access(vm, s, s->idt.base + (uint64_t)vector * size, e, size, false, NULL) < 0)
        return -EFAULT;
    if (f == IDT_IVT) {
        uint16_t off = (uint16_t)e[0], seg = (uint16_t)(e[0] >> 16);
        *g = (struct x86_gate){ .offset = ((uint64_t)seg << 4) + off, .sel = seg, .present = true };
        return 0;
    }
    x86_gate_decode(e[0], e[1], f == IDT_LONG, g);
    return g->present ? 0 : -ENOENT;
}
