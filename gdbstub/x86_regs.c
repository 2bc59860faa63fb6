/* The canonical register table (see x86_regs.h); layouts and target.xml are in
 * x86_layout.c. */
#include "gdbstub/x86_regs.h"
#include "vmm/util.h"

const struct x86_reg_desc x86_regs[GDB_NUM_REGS] = {
#define X86_REG_DESC(id, nm, bits, ty, grp, feat) \
    [GDB_REG_##id] = { .name = nm, \
                       .bitsize = bits, \
                       .offset = GDB_OFF_##id, \
                       .type = ty, \
                       .group = grp, \
                       .feature = X86_FEAT_##feat },
    X86_GDB_REGS(X86_REG_DESC)
#undef X86_REG_DESC
};

size_t x86_reg_size(int regno)
{
    if (regno < 0 || regno >= GDB_NUM_REGS)
        return 0;
    return x86_regs[regno].bitsize / 8;
}

uint64_t x86_reg_get(const uint8_t *block, int regno)
{
    size_t n = x86_reg_size(regno);
    uint64_t v = 0;

    if (n > 8)
        n = 8;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)block[x86_regs[regno].offset + i] << (8 * i);
    return v;
}

void x86_reg_set(uint8_t *block, int regno, uint64_t value)
{
    size_t n = x86_reg_size(regno);

    if (n > 8)
        n = 8;
    for (size_t i = 0; i < n; i++)
        block[x86_regs[regno].offset + i] = (uint8_t)(value >> (8 * i));
}
