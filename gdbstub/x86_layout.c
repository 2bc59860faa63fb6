/* The layouts gdb sees of the canonical block, and their target.xml (see
 * x86_layout.h). */
#include "gdbstub/x86_layout.h"

#include <errno.h>
#include <string.h>

#include "vmm/util.h"

/* The i386 register set in gdb's i386 numbering: X(canonical id, name, bitsize, gdb
 * type, group or NULL, feature). i8086 shows the same registers. */
#define X86_I386_REGS(X) \
    X(RAX, "eax", 32, "int32", NULL, CORE) \
    X(RCX, "ecx", 32, "int32", NULL, CORE) \
    X(RDX, "edx", 32, "int32", NULL, CORE) \
    X(RBX, "ebx", 32, "int32", NULL, CORE) \
    X(RSP, "esp", 32, "data_ptr", NULL, CORE) \
    X(RBP, "ebp", 32, "data_ptr", NULL, CORE) \
    X(RSI, "esi", 32, "int32", NULL, CORE) \
    X(RDI, "edi", 32, "int32", NULL, CORE) \
    X(RIP, "eip", 32, "code_ptr", NULL, CORE) \
    X(EFLAGS, "eflags", 32, "i386_eflags", NULL, CORE) \
    X(CS, "cs", 32, "int32", NULL, CORE) \
    X(SS, "ss", 32, "int32", NULL, CORE) \
    X(DS, "ds", 32, "int32", NULL, CORE) \
    X(ES, "es", 32, "int32", NULL, CORE) \
    X(FS, "fs", 32, "int32", NULL, CORE) \
    X(GS, "gs", 32, "int32", NULL, CORE) \
    X(ST0, "st0", 80, "i387_ext", NULL, CORE) \
    X(ST1, "st1", 80, "i387_ext", NULL, CORE) \
    X(ST2, "st2", 80, "i387_ext", NULL, CORE) \
    X(ST3, "st3", 80, "i387_ext", NULL, CORE) \
    X(ST4, "st4", 80, "i387_ext", NULL, CORE) \
    X(ST5, "st5", 80, "i387_ext", NULL, CORE) \
    X(ST6, "st6", 80, "i387_ext", NULL, CORE) \
    X(ST7, "st7", 80, "i387_ext", NULL, CORE) \
    X(FCTRL, "fctrl", 32, "int", "float", CORE) \
    X(FSTAT, "fstat", 32, "int", "float", CORE) \
    X(FTAG, "ftag", 32, "int", "float", CORE) \
    X(FISEG, "fiseg", 32, "int", "float", CORE) \
    X(FIOFF, "fioff", 32, "int", "float", CORE) \
    X(FOSEG, "foseg", 32, "int", "float", CORE) \
    X(FOOFF, "fooff", 32, "int", "float", CORE) \
    X(FOP, "fop", 32, "int", "float", CORE) \
    X(XMM0, "xmm0", 128, "vec128", NULL, SSE) \
    X(XMM1, "xmm1", 128, "vec128", NULL, SSE) \
    X(XMM2, "xmm2", 128, "vec128", NULL, SSE) \
    X(XMM3, "xmm3", 128, "vec128", NULL, SSE) \
    X(XMM4, "xmm4", 128, "vec128", NULL, SSE) \
    X(XMM5, "xmm5", 128, "vec128", NULL, SSE) \
    X(XMM6, "xmm6", 128, "vec128", NULL, SSE) \
    X(XMM7, "xmm7", 128, "vec128", NULL, SSE) \
    X(MXCSR, "mxcsr", 32, "i386_mxcsr", "vector", SSE) \
    X(FS_BASE, "fs_base", 32, "int", NULL, SEGMENTS) \
    X(GS_BASE, "gs_base", 32, "int", NULL, SEGMENTS) \
    X(CR0, "cr0", 32, "x86_cr0", NULL, SYS) \
    X(CR2, "cr2", 32, "uint32", NULL, SYS) \
    X(CR3, "cr3", 32, "uint32", NULL, SYS) \
    X(CR4, "cr4", 32, "x86_cr4", NULL, SYS) \
    X(EFER, "efer", 32, "x86_efer", NULL, SYS)

/* Byte offsets in the i386 block, summed by the compiler as in x86_regs.h. */
enum x86_i386_regoff {
#define I386_OFF(id, name, bits, type, group, feat) \
    I386_OFF_##id, I386_OFF_##id##_LAST = I386_OFF_##id + (bits) / 8 - 1,
    X86_I386_REGS(I386_OFF)
#undef I386_OFF
        I386_REGS_SIZE
};

static const struct x86_layout_reg i386_regs[] = {
#define I386_REG(id, nm, bits, ty, grp, feat) \
    { .canon = GDB_REG_##id, \
      .name = nm, \
      .bitsize = bits, \
      .offset = I386_OFF_##id, \
      .type = ty, \
      .group = grp, \
      .feature = X86_FEAT_##feat },
    X86_I386_REGS(I386_REG)
#undef I386_REG
};

static const struct x86_layout_reg x86_64_regs[] = {
#define X86_64_REG(id, nm, bits, ty, grp, feat) \
    { .canon = GDB_REG_##id, \
      .name = nm, \
      .bitsize = bits, \
      .offset = GDB_OFF_##id, \
      .type = ty, \
      .group = grp, \
      .feature = X86_FEAT_##feat },
    X86_GDB_REGS(X86_64_REG)
#undef X86_64_REG
};

static const struct x86_layout layouts[GDB_ARCH_COUNT] = {
    [GDB_ARCH_I8086] = { GDB_ARCH_I8086, "i8086", "i8086", (int)ARRAY_SIZE(i386_regs), i386_regs,
                         I386_REGS_SIZE },
    [GDB_ARCH_I386] = { GDB_ARCH_I386, "i386", "i386", (int)ARRAY_SIZE(i386_regs), i386_regs,
                        I386_REGS_SIZE },
    [GDB_ARCH_X86_64] = { GDB_ARCH_X86_64, "x86-64", "i386:x86-64", (int)ARRAY_SIZE(x86_64_regs),
                          x86_64_regs, GDB_REGS_SIZE },
};

const struct x86_layout *x86_layout_get(enum gdb_arch arch)
{
    return arch >= 0 && arch < GDB_ARCH_COUNT ? &layouts[arch] : &layouts[GDB_ARCH_X86_64];
}

int x86_layout_regno(const struct x86_layout *l, int canon)
{
    for (int r = 0; r < l->nregs; r++)
        if (l->regs[r].canon == canon)
            return r;
    return -1;
}

void x86_layout_from_canon(const struct x86_layout *l, const uint8_t *canon, uint8_t *out)
{
    for (int r = 0; r < l->nregs; r++)
        memcpy(out + l->regs[r].offset, canon + x86_regs[l->regs[r].canon].offset,
               l->regs[r].bitsize / 8);
}

void x86_layout_to_canon(const struct x86_layout *l, const uint8_t *in, uint8_t *canon)
{
    for (int r = 0; r < l->nregs; r++)
        memcpy(canon + x86_regs[l->regs[r].canon].offset, in + l->regs[r].offset,
               l->regs[r].bitsize / 8);
}

int x86_layout_reg_to_canon(const struct x86_layout *l, int regno, const uint8_t *value,
                            uint8_t *canon)
{
    if (regno < 0 || regno >= l->nregs)
        return -EINVAL;
    memcpy(canon + x86_regs[l->regs[regno].canon].offset, value, l->regs[regno].bitsize / 8);
    return 0;
}

/* Feature names gdb looks for: core and sse are required for gdb's amd64 code to
 * treat the registers as the real thing; segments gives $fs_base/$gs_base.
 * The control registers have no gdb feature; gdb shows them as plain extras. */
static const char *const feature_names[X86_FEAT_COUNT] = {
    [X86_FEAT_CORE] = "org.gnu.gdb.i386.core",
    [X86_FEAT_SSE] = "org.gnu.gdb.i386.sse",
    [X86_FEAT_SEGMENTS] = "org.gnu.gdb.i386.segments",
    [X86_FEAT_SYS] = "org.mini-kvm.x86.sys",
};

/* Bit-field types, so `info registers` decodes eflags, mxcsr, cr0, cr4 and efer
 * into names (the bit positions are architectural). A type must be defined in
 * the feature whose registers use it: gdb looks types up per feature. */
struct xml_bit {
    const char *name;
    unsigned start, end;
};
struct xml_flags {
    enum x86_feature feature;
    const char *id;
    const struct xml_bit *bits;
    size_t nbits;
};

static const struct xml_bit eflags_bits[] = {
    { "CF", 0, 0 },    { "PF", 2, 2 },   { "AF", 4, 4 },   { "ZF", 6, 6 },   { "SF", 7, 7 },
    { "TF", 8, 8 },    { "IF", 9, 9 },   { "DF", 10, 10 }, { "OF", 11, 11 }, { "IOPL", 12, 13 },
    { "NT", 14, 14 },  { "RF", 16, 16 }, { "VM", 17, 17 }, { "AC", 18, 18 }, { "VIF", 19, 19 },
    { "VIP", 20, 20 }, { "ID", 21, 21 },
};
static const struct xml_bit mxcsr_bits[] = {
    { "IE", 0, 0 },   { "DE", 1, 1 },   { "ZE", 2, 2 },   { "OE", 3, 3 },   { "UE", 4, 4 },
    { "PE", 5, 5 },   { "DAZ", 6, 6 },  { "IM", 7, 7 },   { "DM", 8, 8 },   { "ZM", 9, 9 },
    { "OM", 10, 10 }, { "UM", 11, 11 }, { "PM", 12, 12 }, { "FZ", 15, 15 },
};
static const struct xml_bit cr0_bits[] = {
    { "PE", 0, 0 },   { "MP", 1, 1 },   { "EM", 2, 2 },   { "TS", 3, 3 },
    { "ET", 4, 4 },   { "NE", 5, 5 },   { "WP", 16, 16 }, { "AM", 18, 18 },
    { "NW", 29, 29 }, { "CD", 30, 30 }, { "PG", 31, 31 },
};
static const struct xml_bit cr4_bits[] = {
    { "VME", 0, 0 },     { "PVI", 1, 1 },       { "TSD", 2, 2 },          { "DE", 3, 3 },
    { "PSE", 4, 4 },     { "PAE", 5, 5 },       { "MCE", 6, 6 },          { "PGE", 7, 7 },
    { "PCE", 8, 8 },     { "OSFXSR", 9, 9 },    { "OSXMMEXCPT", 10, 10 }, { "UMIP", 11, 11 },
    { "LA57", 12, 12 },  { "VMXE", 13, 13 },    { "SMXE", 14, 14 },       { "FSGSBASE", 16, 16 },
    { "PCIDE", 17, 17 }, { "OSXSAVE", 18, 18 }, { "SMEP", 20, 20 },       { "SMAP", 21, 21 },
    { "PKE", 22, 22 },
};
static const struct xml_bit efer_bits[] = {
    { "SCE", 0, 0 },    { "LME", 8, 8 },     { "LMA", 10, 10 },   { "NXE", 11, 11 },
    { "SVME", 12, 12 }, { "LMSLE", 13, 13 }, { "FFXSR", 14, 14 }, { "TCE", 15, 15 },
};

#define FLAGS(feat, id, bits) \
    { \
        feat, id, bits, ARRAY_SIZE(bits) \
    }
/* The size of each type is the size of the register that uses it in the layout. */
static const struct xml_flags flag_types[] = {
    FLAGS(X86_FEAT_CORE, "i386_eflags", eflags_bits), FLAGS(X86_FEAT_SSE, "i386_mxcsr", mxcsr_bits),
    FLAGS(X86_FEAT_SYS, "x86_cr0", cr0_bits),         FLAGS(X86_FEAT_SYS, "x86_cr4", cr4_bits),
    FLAGS(X86_FEAT_SYS, "x86_efer", efer_bits),
};
#undef FLAGS

/* The views gdb offers of an xmm register: `p $xmm0` prints them all. */
struct xml_vector {
    const char *id, *elem;
    unsigned count;
    const char *field;
};
static const struct xml_vector vec128_views[] = {
    { "v4f", "ieee_single", 4, "v4_float" }, { "v2d", "ieee_double", 2, "v2_double" },
    { "v16i8", "int8", 16, "v16_int8" },     { "v8i16", "int16", 8, "v8_int16" },
    { "v4i32", "int32", 4, "v4_int32" },     { "v2i64", "int64", 2, "v2_int64" },
};

/* Bytes of the first register of L whose type is ID; 0 if none uses it. */
static unsigned type_size(const struct x86_layout *l, const char *id)
{
    for (int r = 0; r < l->nregs; r++)
        if (strcmp(l->regs[r].type, id) == 0)
            return l->regs[r].bitsize / 8;
    return 0;
}

static int xml_types(struct strbuf *out, const struct x86_layout *l, enum x86_feature feat)
{
    int rc = 0;

    if (feat == X86_FEAT_SSE) {
        for (size_t i = 0; i < ARRAY_SIZE(vec128_views) && !rc; i++)
            rc = strbuf_printf(out, "<vector id=\"%s\" type=\"%s\" count=\"%u\"/>\n",
                               vec128_views[i].id, vec128_views[i].elem, vec128_views[i].count);
        rc = rc ? rc : strbuf_puts(out, "<union id=\"vec128\">\n");
        for (size_t i = 0; i < ARRAY_SIZE(vec128_views) && !rc; i++)
            rc = strbuf_printf(out, " <field name=\"%s\" type=\"%s\"/>\n", vec128_views[i].field,
                               vec128_views[i].id);
        rc = rc ? rc : strbuf_puts(out, " <field name=\"uint128\" type=\"uint128\"/>\n</union>\n");
    }
    for (size_t t = 0; t < ARRAY_SIZE(flag_types) && !rc; t++) {
        const struct xml_flags *f = &flag_types[t];
        unsigned size = type_size(l, f->id);

        if (f->feature != feat || size == 0)
            continue;
        rc = strbuf_printf(out, "<flags id=\"%s\" size=\"%u\">\n", f->id, size);
        for (size_t b = 0; b < f->nbits && !rc; b++)
            rc = strbuf_printf(out, " <field name=\"%s\" start=\"%u\" end=\"%u\"/>\n",
                               f->bits[b].name, f->bits[b].start, f->bits[b].end);
        rc = rc ? rc : strbuf_puts(out, "</flags>\n");
    }
    return rc;
}

int x86_target_xml(struct strbuf *out, const struct x86_layout *l)
{
    int rc;
    int feat = -1;

    rc = strbuf_printf(out,
                       "<?xml version=\"1.0\"?>\n"
                       "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
                       "<target version=\"1.0\">\n"
                       "<architecture>%s</architecture>\n"
                       "<osabi>none</osabi>\n%s",
                       l->bfd_arch,
                       l->arch == GDB_ARCH_X86_64 ? "" : "<compatible>i386:x86-64</compatible>\n");
    for (int r = 0; r < l->nregs && !rc; r++) {
        const struct x86_layout_reg *d = &l->regs[r];

        if ((int)d->feature != feat) {
            if (feat >= 0)
                rc = strbuf_puts(out, "</feature>\n");
            feat = (int)d->feature;
            rc = rc ? rc : strbuf_printf(out, "<feature name=\"%s\">\n", feature_names[feat]);
            rc = rc ? rc : xml_types(out, l, d->feature);
        }
        rc = rc ? rc
                : strbuf_printf(out, "<reg name=\"%s\" bitsize=\"%u\" type=\"%s\"", d->name,
                                d->bitsize, d->type);
        if (!rc && d->group)
            rc = strbuf_printf(out, " group=\"%s\"", d->group);
        rc = rc ? rc : strbuf_puts(out, "/>\n");
    }
    if (!rc && feat >= 0)
        rc = strbuf_puts(out, "</feature>\n");
    return rc ? rc : strbuf_puts(out, "</target>\n");
}
