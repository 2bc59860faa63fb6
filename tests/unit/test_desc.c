/* Descriptors and gates (vmm/x86/desc.c): the encodings the VMM writes into its own
 * GDTs decode back to the same fields; gates in both IDT formats; which system types
 * are gates and which are 16 bytes wide in long mode. */
#include "tests/unit/check.h"
#include "vmm/x86/desc.h"

#include "vmm/util.h"
#include "vmm/x86/bits.h"

static void test_segments(void)
{
    struct x86_desc d;
    /* flat 4 GiB ring-0 code, 32-bit: what entry.c and linux/cpu.c write */
    uint64_t code32 = x86_desc_encode(0, 0xfffff, 0x9b, 0xc);
    CHECK_INT("desc_code32_bits", code32, 0x00cf9b000000ffffull);
    x86_desc_decode(code32, &d);
    CHECK_INT("desc_code32_base", d.base, 0);
    CHECK_INT("desc_code32_limit_scaled", d.limit, 0xffffffffu);
    CHECK_INT("desc_code32_type", d.type, 0xb);
    CHECK("desc_code32_flags", d.s && d.present && d.db && d.g && !d.l && d.dpl == 0);

    /* 64-bit user code, base and byte-granular limit in every field */
    uint64_t user64 = x86_desc_encode(0x12345678, 0xabcde, 0xfb, 0x2);
    x86_desc_decode(user64, &d);
    CHECK_INT("desc_user64_base", d.base, 0x12345678);
    CHECK_INT("desc_user64_limit", d.limit, 0xabcde);
    CHECK_INT("desc_user64_dpl", d.dpl, 3);
    CHECK("desc_user64_l_not_db_not_g", d.l && !d.db && !d.g);

    x86_desc_decode(0, &d);
    CHECK("desc_null_not_present", !d.present && !d.s);
}

static void test_gates(void)
{
    struct x86_gate g;
    /* long mode: offset 0xffffffff81234567, sel 0x10, interrupt gate, DPL 3, IST 2 */
    uint64_t lo = 0x4567 | (0x10ull << 16) | (2ull << 32) | (0xeeull << 40) | (0x8123ull << 48);
    uint64_t hi = 0xffffffffull;
    x86_gate_decode(lo, hi, true, &g);
    CHECK_INT("gate64_offset", g.offset, 0xffffffff81234567ull);
    CHECK_INT("gate64_sel", g.sel, 0x10);
    CHECK_INT("gate64_type", g.type, 0xe);
    CHECK_INT("gate64_dpl", g.dpl, 3);
    CHECK_INT("gate64_ist", g.ist, 2);
    CHECK("gate64_present", g.present);

    /* the same low quadword as a 32-bit gate: no high offset, no IST */
    x86_gate_decode(lo, hi, false, &g);
    CHECK_INT("gate32_offset", g.offset, 0x81234567);
    CHECK_INT("gate32_ist", g.ist, 0);
    x86_gate_decode(lo & ~(1ull << 47), 0, false, &g);
    CHECK("gate_not_present", !g.present);
}

static void test_tables(void)
{
    CHECK("gate_types_long", x86_desc_is_gate(0xe, true) && x86_desc_is_gate(0xf, true) &&
                                 x86_desc_is_gate(0xc, true) && !x86_desc_is_gate(0x6, true));
    CHECK("gate_types_legacy", x86_desc_is_gate(0x6, false) && x86_desc_is_gate(0x5, false) &&
                                   !x86_desc_is_gate(0x9, false));
    CHECK("wide_tss_long", x86_desc_is_wide(0x9, false, true) &&
                               !x86_desc_is_wide(0x9, false, false) &&
                               !x86_desc_is_wide(0xb, true, true));
    CHECK_INT("idt_fmt_real", x86_idt_format_of(0, 0), IDT_IVT);
    CHECK_INT("idt_fmt_prot", x86_idt_format_of(CR0_PE, 0), IDT_PROT);
    CHECK_INT("idt_fmt_long", x86_idt_format_of(CR0_PE | CR0_PG, EFER_LME | EFER_LMA), IDT_LONG);
    static const unsigned want[] = { [IDT_IVT] = 4, [IDT_PROT] = 8, [IDT_LONG] = 16 };
    for (size_t f = 0; f < ARRAY_SIZE(want); f++)
        CHECK_INT("idt_entry_size", x86_idt_entry_size((enum x86_idt_format)f), want[f]);
}

int main(void)
{
    test_segments();
    test_gates();
    test_tables();
    return CHECK_DONE();
}
