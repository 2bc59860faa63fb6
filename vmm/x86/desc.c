#include "vmm/x86/desc.h"

#include "vmm/x86/bits.h"

void x86_desc_decode(uint64_t d, struct x86_desc *out)
{
    uint32_t limit = (uint32_t)((d & 0xffff) | ((d >> 32) & 0xf0000));
    bool g = (d >> 55) & 1;
    *out = (struct x86_desc){
        .base = ((d >> 16) & 0xffffff) | (((d >> 56) & 0xff) << 24),
        .limit = g ? (limit << 12) | 0xfff : limit,
        .type = (uint8_t)((d >> 40) & 0xf),
        .s = (d >> 44) & 1,
        .dpl = (uint8_t)((d >> 45) & 3),
        .present = (d >> 47) & 1,
        .l = (d >> 53) & 1,
        .db = (d >> 54) & 1,
        .g = g,
    };
}

uint64_t x86_desc_encode(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
    return (uint64_t)(limit & 0xffff) | ((uint64_t)(base & 0xffffff) << 16) |
           ((uint64_t)access << 40) | ((uint64_t)((limit >> 16) & 0xf) << 48) |
           ((uint64_t)(flags & 0xf) << 52) | ((uint64_t)(base >> 24) << 56);
}

bool x86_desc_is_gate(unsigned type, bool long_mode)
{
    if (long_mode)
        return type == 0xc || type == 0xe || type == 0xf;
    return (type >= 4 && type <= 7) || type == 0xc || type == 0xe || type == 0xf;
}

bool x86_desc_is_wide(unsigned type, bool s, bool long_mode)
{
    return long_mode && !s && (type == 2 || type == 9 || type == 0xb || type == 0xc);
}

void x86_gate_decode(uint64_t lo, uint64_t hi, bool long_mode, struct x86_gate *out)
{
    *out = (struct x86_gate){
        .offset = (lo & 0xffff) | ((lo >> 48) << 16),
        .sel = (uint16_t)(lo >> 16),
        .type = (uint8_t)((lo >> 40) & 0xf),
        .dpl = (uint8_t)((lo >> 45) & 3),
        .present = (lo >> 47) & 1,
    };
    if (long_mode) {
        out->offset |= (hi & 0xffffffffull) << 32;
        out->ist = (uint8_t)((lo >> 32) & 7);
    }
}

unsigned x86_idt_entry_size(enum x86_idt_format f)
{
    static const unsigned size[] = { [IDT_IVT] = 4, [IDT_PROT] = 8, [IDT_LONG] = 16 };
    return size[f];
}

enum x86_idt_format x86_idt_format_of(uint64_t cr0, uint64_t efer)
{
    if (!(cr0 & CR0_PE))
        return IDT_IVT;
    return efer & EFER_LMA ? IDT_LONG : IDT_PROT;
}
