/* The register table and the target.xml generated from it (see x86_regs.h). */
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
    unsigned size; /* bytes, equal to the register's */
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

#define FLAGS(feat, id, size, bits) \
    { \
        feat, id, size, bits, ARRAY_SIZE(bits) \
    }
static const struct xml_flags flag_types[] = {
    FLAGS(X86_FEAT_CORE, "i386_eflags", 4, eflags_bits),
    FLAGS(X86_FEAT_SSE, "i386_mxcsr", 4, mxcsr_bits),
    FLAGS(X86_FEAT_SYS, "x86_cr0", 8, cr0_bits),
    FLAGS(X86_FEAT_SYS, "x86_cr4", 8, cr4_bits),
    FLAGS(X86_FEAT_SYS, "x86_efer", 8, efer_bits),
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

static int xml_types(struct strbuf *out, enum x86_feature feat)
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

        if (f->feature != feat)
            continue;
        rc = strbuf_printf(out, "<flags id=\"%s\" size=\"%u\">\n", f->id, f->size);
        for (size_t b = 0; b < f->nbits && !rc; b++)
            rc = strbuf_printf(out, " <field name=\"%s\" start=\"%u\" end=\"%u\"/>\n",
                               f->bits[b].name, f->bits[b].start, f->bits[b].end);
        rc = rc ? rc : strbuf_puts(out, "</flags>\n");
    }
    return rc;
}

int x86_target_xml(struct strbuf *out, const char *arch)
{
    int rc;
    int feat = -1;

    rc = strbuf_printf(out,
                       "<?xml version=\"1.0\"?>\n"
                       "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
                       "<target version=\"1.0\">\n"
                       "<architecture>%s</architecture>\n",
                       arch ? arch : "i386:x86-64");
    for (int r = 0; r < GDB_NUM_REGS && !rc; r++) {
        const struct x86_reg_desc *d = &x86_regs[r];

        if ((int)d->feature != feat) {
            if (feat >= 0)
                rc = strbuf_puts(out, "</feature>\n");
            feat = (int)d->feature;
            rc = rc ? rc : strbuf_printf(out, "<feature name=\"%s\">\n", feature_names[feat]);
            rc = rc ? rc : xml_types(out, d->feature);
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
