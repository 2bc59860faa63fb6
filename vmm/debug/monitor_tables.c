/* `monitor gdt` and `idt`: descriptor tables the guest keeps in its own memory, read
 * through its page tables (GDTR and IDTR hold linear addresses). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vmm/debug/monitor_priv.h"
#include "vmm/x86/bits.h"
#include "vmm/x86/desc.h"

#define GDT_SHOW_MAX 64u
#define IDT_VECTORS 256u

/* ---- descriptors ---- */

static void put_gate(struct strbuf *out, const struct x86_gate *g, bool lm)
{
    char type[40], ist[8] = "";
    monitor_desc_type(type, sizeof(type), g->type, false, lm);
    if (lm)
        snprintf(ist, sizeof(ist), " ist%u", g->ist);
    if (g->type == 5) /* a task gate has a TSS selector and no offset */
        strbuf_printf(out, "sel 0x%04x %s dpl%u p%u\n", g->sel, type, g->dpl, g->present);
    else
        strbuf_printf(out, "sel 0x%04x offset 0x%llx %s dpl%u p%u%s\n", g->sel,
                      (unsigned long long)g->offset, type, g->dpl, g->present, ist);
}

static void put_descriptor(struct strbuf *out, uint64_t d, uint64_t hi, bool lm)
{
    struct x86_desc x;
    x86_desc_decode(d, &x);
    char name[40];
    monitor_desc_type(name, sizeof(name), x.type, x.s, lm);
    if (!x.s && x86_desc_is_gate(x.type, lm)) {
        struct x86_gate gt;
        x86_gate_decode(d, hi, lm, &gt);
        put_gate(out, &gt, lm);
        return;
    }
    if (x86_desc_is_wide(x.type, x.s, lm))
        x.base |= (hi & 0xffffffffull) << 32;
    if (!x.s)
        strbuf_printf(out, "base 0x%llx limit 0x%x %s dpl%u p%u\n", (unsigned long long)x.base,
                      x.limit, name, x.dpl, x.present);
    else
        strbuf_printf(out, "base 0x%llx limit 0x%x %s dpl%u p%u l%u db%u g%u\n",
                      (unsigned long long)x.base, x.limit, name, x.dpl, x.present, x.l, x.db, x.g);
}

/* Reads up to N entries of ESIZE bytes at linear BASE; returns how many could be
 * read (fewer when a page is unmapped or outside RAM: *bad says where). */
static unsigned read_entries(struct mon_ctx *c, const struct kvm_sregs *s, uint64_t base,
                             unsigned esize, unsigned n, uint8_t *buf, uint64_t *bad)
{
    for (unsigned i = 0; i < n; i++)
        if (monitor_read_linear(c, s, base + (uint64_t)i * esize, buf + (size_t)i * esize, esize,
                                bad) < 0)
            return i;
    return n;
}

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

/* The last entry of the run of all-zero entries that starts at I. */
static unsigned zero_run_end(const uint8_t *buf, unsigned esize, unsigned i, unsigned n)
{
    while (i + 1 < n && all_zero(buf + (size_t)(i + 1) * esize, esize))
        i++;
    return i;
}

int monitor_cmd_gdt(struct mon_ctx *c, int argc, char **argv)
{
    struct kvm_sregs s;
    int rc = vcpu_get_sregs(c->v, &s);
    if (rc < 0)
        return rc;
    struct strbuf *out = c->out;
    bool lm = s.efer & EFER_LMA;
    unsigned n = ((unsigned)s.gdt.limit + 1) / 8;
    if (n == 0) {
        strbuf_printf(out, "GDT is empty (base 0x%llx, limit 0x%x)\n",
                      (unsigned long long)s.gdt.base, s.gdt.limit);
        return 0;
    }
    unsigned shown = n < GDT_SHOW_MAX ? n : GDT_SHOW_MAX;
    strbuf_printf(out, "GDT base 0x%llx limit 0x%x: %u entries", (unsigned long long)s.gdt.base,
                  s.gdt.limit, n);
    if (shown < n)
        strbuf_printf(out, " (showing the first %u)", shown);
    strbuf_puts(out, s.cr0 & CR0_PE ? "\n" : " (not used in real mode)\n");

    uint64_t d[GDT_SHOW_MAX], bad = 0;
    unsigned got = read_entries(c, &s, s.gdt.base, 8, shown, (uint8_t *)d, &bad);
    for (unsigned i = 0; i < got; i++) {
        if (i == 0 && d[0] == 0) {
            strbuf_printf(out, "%3u 0x%04x %016llx null\n", 0u, 0u, 0ull);
            continue;
        }
        if (d[i] == 0) {
            unsigned end = zero_run_end((const uint8_t *)d, 8, i, got);
            if (end == i)
                strbuf_printf(out, "%3u 0x%04x %016llx empty\n", i, i * 8, 0ull);
            else
                strbuf_printf(out, "%3u-%u 0x%04x-0x%04x empty (all zero)\n", i, end, i * 8,
                              end * 8);
            i = end;
            continue;
        }
        strbuf_printf(out, "%3u 0x%04x %016llx ", i, i * 8, (unsigned long long)d[i]);
        struct x86_desc x;
        x86_desc_decode(d[i], &x);
        bool wide = x86_desc_is_wide(x.type, x.s, lm) && i + 1 < got;
        put_descriptor(out, d[i], wide ? d[i + 1] : 0, lm);
        if (wide) {
            i++;
            strbuf_printf(out, "%3u 0x%04x %016llx (upper half of the entry above)\n", i, i * 8,
                          (unsigned long long)d[i]);
        }
    }
    if (got < shown)
        strbuf_printf(out, "gdt: entry %u at linear 0x%llx is not mapped or outside guest RAM\n",
                      got, (unsigned long long)bad);
    return 0;
}

/* ---- idt ---- */

static const struct {
    const char *what;
    const char *zero; /* how a run of all-zero entries reads */
} idt_fmts[] = {
    [IDT_IVT] = { "real-mode IVT, seg:off entries", "0000:0000 (all zero)" },
    [IDT_PROT] = { "8-byte protected-mode gates", "not present (all zero)" },
    [IDT_LONG] = { "16-byte long-mode gates", "not present (all zero)" },
};

static void put_idt_entry(struct strbuf *out, enum x86_idt_format f, unsigned vec, const uint8_t *e)
{
    strbuf_printf(out, "0x%02x  ", vec);
    if (f == IDT_IVT) {
        unsigned off = e[0] | (unsigned)e[1] << 8, seg = e[2] | (unsigned)e[3] << 8;
        strbuf_printf(out, "%04x:%04x (phys 0x%x)\n", seg, off, seg * 16 + off);
        return;
    }
    uint64_t lo, hi = 0;
    memcpy(&lo, e, 8);
    if (f == IDT_LONG)
        memcpy(&hi, e + 8, 8);
    struct x86_gate g;
    x86_gate_decode(lo, hi, f == IDT_LONG, &g);
    put_gate(out, &g, f == IDT_LONG);
}

int monitor_cmd_idt(struct mon_ctx *c, int argc, char **argv)
{
    uint64_t want = 0;
    if (argc > 1 && (monitor_parse_u64(argv[1], &want) < 0 || want >= IDT_VECTORS)) {
        strbuf_printf(c->out, "idt: bad vector '%.40s' (0-255, 0x... hex or decimal)\n", argv[1]);
        return -EINVAL;
    }
    struct kvm_sregs s;
    int rc = vcpu_get_sregs(c->v, &s);
    if (rc < 0)
        return rc;
    struct strbuf *out = c->out;
    enum x86_idt_format f = x86_idt_format_of(s.cr0, s.efer);
    unsigned esize = x86_idt_entry_size(f);
    unsigned n = ((unsigned)s.idt.limit + 1) / esize;
    if (n > IDT_VECTORS)
        n = IDT_VECTORS;
    if (n == 0) {
        strbuf_printf(out, "IDT is empty (base 0x%llx, limit 0x%x)\n",
                      (unsigned long long)s.idt.base, s.idt.limit);
        return 0;
    }
    unsigned first = 0, count = n;
    if (argc > 1) {
        if (want >= n) {
            strbuf_printf(out,
                          "idt: vector 0x%02llx is beyond the IDT limit "
                          "(base 0x%llx, limit 0x%x)\n",
                          (unsigned long long)want, (unsigned long long)s.idt.base, s.idt.limit);
            return 0;
        }
        first = (unsigned)want;
        count = 1;
    } else {
        strbuf_printf(out, "IDT base 0x%llx limit 0x%x: %u vectors, %s\n",
                      (unsigned long long)s.idt.base, s.idt.limit, n, idt_fmts[f].what);
    }
    uint8_t tab[IDT_VECTORS * 16];
    uint64_t bad = 0;
    unsigned got =
        read_entries(c, &s, s.idt.base + (uint64_t)first * esize, esize, count, tab, &bad);
    for (unsigned i = 0; i < got; i++) {
        const uint8_t *e = tab + (size_t)i * esize;
        if (all_zero(e, esize)) {
            unsigned end = zero_run_end(tab, esize, i, got);
            if (end == i)
                strbuf_printf(out, "0x%02x  %s\n", first + i, idt_fmts[f].zero);
            else
                strbuf_printf(out, "0x%02x-0x%02x  %s\n", first + i, first + end, idt_fmts[f].zero);
            i = end;
            continue;
        }
        put_idt_entry(out, f, first + i, e);
    }
    if (got < count)
        strbuf_printf(out,
                      "idt: vector 0x%02x at linear 0x%llx is not mapped or outside guest RAM\n",
                      first + got, (unsigned long long)bad);
    return 0;
}
