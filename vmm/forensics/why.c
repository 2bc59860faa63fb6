/* Why it triple-faulted: a triple fault is an exception the CPU could not deliver,
 * then a #DF it could not deliver either. So the state is checked against what
 * delivery needs, in the order the CPU needs it: the IDT (limit, base mapped), the
 * gates of the likely vectors (present, a code segment behind the selector, the
 * handler mapped), the stack the frame goes to, and the segments in use (CS, SS,
 * TR against the GDT they came from). Each finding that would stop delivery is a
 * cause, ranked by how surely it stops it; the rest is shown as evidence. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vmm/forensics/forensics.h"
#include "vmm/guestmem.h"
#include "vmm/util.h"
#include "vmm/vcpu.h"
#include "vmm/vm.h"
#include "vmm/x86/bits.h"
#include "vmm/x86/desc.h"

#define WHY_MAX_CAUSES 8

/* The vectors a fault chain ends in, in the order the report shows them. */
static const struct {
    unsigned vec;
    const char *name;
} why_vectors[] = {
    { VEC_DF, "#DF" }, { VEC_GP, "#GP" }, { VEC_PF, "#PF" }, { VEC_UD, "#UD" },
    { VEC_TS, "#TS" }, { VEC_NP, "#NP" }, { VEC_SS, "#SS" },
};

struct causes {
    int n;
    struct {
        int rank; /* lower: surer */
        char text[320];
    } c[WHY_MAX_CAUSES];
};

static void cause_add(struct causes *cs, int rank, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void cause_add(struct causes *cs, int rank, const char *fmt, ...)
{
    if (cs->n == WHY_MAX_CAUSES)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cs->c[cs->n].text, sizeof(cs->c[cs->n].text), fmt, ap);
    va_end(ap);
    cs->c[cs->n++].rank = rank;
}

bool why_is_reset_state(const struct kvm_regs *r, const struct kvm_sregs *s)
{
    return r->rip == 0xfff0 && s->cs.selector == 0xf000 && s->cs.base == 0xffff0000ull &&
           !(s->cr0 & CR0_PE);
}

/* Where linear ADDR goes: "phys 0x..", or why it goes nowhere. true when mapped. */
static bool where(const struct vm *vm, const struct kvm_sregs *s, uint64_t addr, char *buf,
                  size_t len)
{
    uint64_t phys;
    int rc = guestmem_translate(vm, s, addr, &phys);
    if (rc == -EINVAL) {
        snprintf(buf, len, "non-canonical");
        return false;
    }
    if (rc < 0) {
        snprintf(buf, len, "not mapped");
        return false;
    }
    if (!vm_gpa_to_hva(vm, phys, 1)) {
        snprintf(buf, len, "phys 0x%llx, outside guest RAM", (unsigned long long)phys);
        return false;
    }
    snprintf(buf, len, "phys 0x%llx", (unsigned long long)phys);
    return true;
}

static void show_instruction(const struct vm *vm, const struct why_state *st, struct strbuf *out)
{
    uint64_t lin = vcpu_linear_ip(&st->r, &st->s);
    uint8_t b[16];
    size_t n = 0;
    while (n < sizeof(b) && guestmem_access(vm, &st->s, lin + n, b + n, 1, false, NULL) == 0)
        n++;
    strbuf_printf(out, "  instruction at 0x%llx (%s):", (unsigned long long)lin,
                  vcpu_mode_name(vcpu_mode_of(&st->s)));
    for (size_t i = 0; i < n; i++)
        strbuf_printf(out, " %02x", b[i]);
    strbuf_puts(out, n ? "\n" : " not readable\n");
}

/* The descriptor a selector names in the GDT; -ENOENT past the limit, -EFAULT unmapped. */
static int gdt_desc(const struct vm *vm, const struct kvm_sregs *s, uint16_t sel,
                    struct x86_desc *d)
{
    uint64_t raw;
    if (sel & 4)
        return -ENOENT; /* the LDT: not followed here */
    if ((uint64_t)(sel & ~7u) + 7 > s->gdt.limit)
        return -ENOENT;
    if (guestmem_access(vm, s, s->gdt.base + (sel & ~7u), &raw, 8, false, NULL) < 0)
        return -EFAULT;
    x86_desc_decode(raw, d);
    return 0;
}

/* A gate's code segment: present, code, 64-bit in long mode. NULL when fine. */
static const char *code_seg_problem(const struct vm *vm, const struct kvm_sregs *s, uint16_t sel)
{
    struct x86_desc d;
    int rc = gdt_desc(vm, s, sel, &d);
    if ((sel & ~3u) == 0)
        return "is the null selector";
    if (rc == -ENOENT)
        return "lies past the GDT limit";
    if (rc < 0)
        return "is in a GDT that is not mapped";
    if (!d.present)
        return "names a descriptor that is not present";
    if (!d.s || !(d.type & 8))
        return "names a descriptor that is not a code segment";
    if ((s->efer & EFER_LMA) && !d.l)
        return "names a code segment without the L bit (long mode needs a 64-bit one)";
    return NULL;
}

/* One cause for the gates that share a bad selector, naming them all. */
struct bad_sel {
    uint16_t sel;
    const char *problem;
    char names[48];
};

static void check_gates(const struct vm *vm, const struct why_state *st, struct causes *cs,
                        struct strbuf *out)
{
    const struct kvm_sregs *s = &st->s;
    bool real = !(s->cr0 & CR0_PE);
    struct bad_sel bad = { 0 };
    for (size_t i = 0; i < ARRAY_SIZE(why_vectors); i++) {
        struct x86_gate g;
        char at[64];
        unsigned v = why_vectors[i].vec;
        const char *n = why_vectors[i].name;
        int rc = guestmem_idt_gate(vm, s, v, &g);
        if (rc == -EFAULT) {
            strbuf_printf(out, "  %-3s gate: the IDT entry is not mapped\n", n);
            continue;
        }
        if (rc == -ERANGE) {
            strbuf_printf(out, "  %-3s gate: past the IDT limit\n", n);
            continue;
        }
        if (rc == -ENOENT) {
            strbuf_printf(out, "  %-3s gate: not present\n", n);
            cause_add(cs, v == VEC_DF ? 1 : 2,
                      "the IDT gate for %s (vector %u) is not present: that exception and "
                      "then #DF cannot be delivered",
                      n, v);
            continue;
        }
        bool mapped = where(vm, s, g.offset, at, sizeof(at));
        if (real) {
            strbuf_printf(out, "  %-3s vector: %04x:%04llx -> linear 0x%llx, %s\n", n, g.sel,
                          (unsigned long long)(g.offset - ((uint64_t)g.sel << 4)),
                          (unsigned long long)g.offset, at);
            continue;
        }
        const char *segp = code_seg_problem(vm, s, g.sel);
        strbuf_printf(out, "  %-3s gate: sel 0x%04x offset 0x%llx dpl%u%s%s, handler %s\n", n,
                      g.sel, (unsigned long long)g.offset, g.dpl, segp ? ", selector " : "",
                      segp ? segp : "", at);
        if (segp && (!bad.problem || (bad.sel == g.sel && bad.problem == segp))) {
            size_t l = strlen(bad.names);
            snprintf(bad.names + l, sizeof(bad.names) - l, "%s%s", l ? " " : "", n);
            bad.sel = g.sel;
            bad.problem = segp;
        } else if (segp) {
            cause_add(cs, 2, "the %s gate's code selector 0x%04x %s", n, g.sel, segp);
        }
        if (!mapped)
            cause_add(cs, 3, "the %s handler at 0x%llx is %s", n, (unsigned long long)g.offset, at);
    }
    if (bad.problem)
        cause_add(cs, 2, "the code selector 0x%04x of the gates for %s %s", bad.sel, bad.names,
                  bad.problem);
}

static void check_idt(const struct vm *vm, const struct why_state *st, struct causes *cs,
                      struct strbuf *out)
{
    const struct kvm_sregs *s = &st->s;
    char at[64];
    bool mapped = where(vm, s, s->idt.base, at, sizeof(at));
    strbuf_printf(out, "  IDT base 0x%llx limit 0x%04x (%s), base %s\n",
                  (unsigned long long)s->idt.base, s->idt.limit,
                  s->cr0 & CR0_PE ? "IDT" : "real mode: the IVT", at);
    if (s->idt.limit == 0)
        cause_add(cs, 0, "IDT limit is 0: no exception can be delivered");
    else if (!mapped)
        cause_add(cs, 0, "the IDT at 0x%llx is %s: no exception can be delivered",
                  (unsigned long long)s->idt.base, at);
}

static void check_segments(const struct vm *vm, const struct why_state *st, struct causes *cs,
                           struct strbuf *out)
{
    const struct kvm_sregs *s = &st->s;
    char at[64];
    where(vm, s, s->gdt.base, at, sizeof(at));
    strbuf_printf(out, "  GDT base 0x%llx limit 0x%04x, base %s\n", (unsigned long long)s->gdt.base,
                  s->gdt.limit, at);
    if (!(s->cr0 & CR0_PE))
        return;
    const struct {
        const char *name;
        const struct kvm_segment *seg;
    } segs[] = { { "cs", &s->cs }, { "ss", &s->ss }, { "tr", &s->tr } };
    for (size_t i = 0; i < ARRAY_SIZE(segs); i++) {
        const struct kvm_segment *k = segs[i].seg;
        struct x86_desc d;
        int rc = gdt_desc(vm, s, k->selector, &d);
        if (rc == -ENOENT && (k->selector & ~7u)) {
            strbuf_printf(out, "  %s 0x%04x: past the GDT limit (in use: base 0x%llx)\n",
                          segs[i].name, k->selector, (unsigned long long)k->base);
            cause_add(cs, i == 0 ? 1 : 3,
                      "%s selector 0x%04x lies past the GDT limit 0x%04x: the next load of %s "
                      "(an interrupt, iret, far jump) faults; after an lgdt, the new GDT must "
                      "hold the selectors in use",
                      segs[i].name, k->selector, s->gdt.limit, segs[i].name);
            continue;
        }
        if (rc < 0) {
            strbuf_printf(out, "  %s 0x%04x: %s\n", segs[i].name, k->selector,
                          rc == -EFAULT ? "GDT not mapped" : "null or LDT selector");
            continue;
        }
        strbuf_printf(out, "  %s 0x%04x: GDT says base 0x%llx type %x p%u l%u db%u\n", segs[i].name,
                      k->selector, (unsigned long long)d.base, d.type, d.present, d.l, d.db);
        if (i == 0 &&
            (!d.present || !d.s || !(d.type & 8) || ((s->efer & EFER_LMA) && k->l && !d.l)))
            cause_add(cs, 1,
                      "cs 0x%04x names a descriptor in the GDT that is %s: an exception's "
                      "handler, or the next far jump, cannot load a code segment like it; "
                      "after an lgdt, the new GDT must keep the selectors in use valid",
                      k->selector,
                      !d.present                ? "not present"
                      : (!d.s || !(d.type & 8)) ? "not a code segment"
                                                : "not 64-bit (no L bit)");
    }
}

static void check_stack(const struct vm *vm, const struct why_state *st, struct causes *cs,
                        struct strbuf *out)
{
    const struct kvm_sregs *s = &st->s;
    uint64_t sp = s->cr0 & CR0_PE ? st->r.rsp : s->ss.base + (st->r.rsp & 0xffff);
    uint64_t top = sp >= 8 ? sp - 8 : 0; /* where the frame's first push goes */
    char at[64], ripat[64];
    bool ok = where(vm, s, top, at, sizeof(at));
    bool rip_ok = where(vm, s, vcpu_linear_ip(&st->r, &st->s), ripat, sizeof(ripat));
    strbuf_printf(out, "  rsp 0x%llx: below it %s; rip %s; cr2 0x%llx\n",
                  (unsigned long long)st->r.rsp, at, ripat, (unsigned long long)s->cr2);
    if (!ok)
        cause_add(cs, 1,
                  "the stack below rsp 0x%llx is %s: an exception frame cannot be pushed, so "
                  "every fault (a #PF included) becomes #DF, then a triple fault",
                  (unsigned long long)st->r.rsp, at);
    if (!rip_ok)
        cause_add(cs, 2, "rip 0x%llx is %s: the instruction fetch itself faults",
                  (unsigned long long)vcpu_linear_ip(&st->r, &st->s), ripat);
}

static void show_events(const struct why_state *st, struct strbuf *out)
{
    if (!st->have_events)
        return;
    const struct kvm_vcpu_events *e = &st->ev;
    if (e->exception.injected || e->exception.pending)
        strbuf_printf(out, "  KVM: exception %u %s (error code 0x%x)\n", e->exception.nr,
                      e->exception.injected ? "being injected" : "pending",
                      e->exception.has_error_code ? e->exception.error_code : 0);
    else
        strbuf_puts(out, "  KVM: no exception pending at the shutdown\n");
}

int why_explain(const struct vm *vm, const struct why_state *st, struct strbuf *out)
{
    struct causes cs = { 0 };
    strbuf_printf(out, "why: the state of %s\n", st->source);
    show_instruction(vm, st, out);
    show_events(st, out);
    check_idt(vm, st, &cs, out);
    check_gates(vm, st, &cs, out);
    check_segments(vm, st, &cs, out);
    check_stack(vm, st, &cs, out);
    strbuf_puts(out, "likely causes:\n");
    int k = 0;
    for (int rank = 0; rank < 4; rank++)
        for (int i = 0; i < cs.n; i++)
            if (cs.c[i].rank == rank)
                strbuf_printf(out, "  %d. %s\n", ++k, cs.c[i].text);
    if (!k)
        strbuf_puts(out, "  none found in the tables: look at the last instructions "
                         "(--history N, monitor history) for the fault that started it\n");
    return out->overflow ? -ENOMEM : 0;
}
