/* The register and segment dump printed on fatal exits (triple fault, emulation
 * failure): what a person needs to find the faulting instruction without gdb. */
#include <stdio.h>

#include "vmm/util.h"
#include "vmm/vcpu.h"

static void dump_seg(FILE *f, const char *name, const struct kvm_segment *s)
{
    fprintf(f, "  %-3s sel %04x base %016llx limit %08x type %x s%u dpl%u p%u db%u l%u g%u%s\n",
            name, s->selector, (unsigned long long)s->base, s->limit, s->type, s->s, s->dpl,
            s->present, s->db, s->l, s->g, s->unusable ? " unusable" : "");
}

void vcpu_dump_state(struct vcpu *v, FILE *f)
{
    struct kvm_regs r;
    struct kvm_sregs s;
    if (vcpu_get_state(v, &r, &s) < 0)
        return;
    const struct {
        const char *n;
        unsigned long long val;
    } gpr[] = {
        { "rax", r.rax }, { "rbx", r.rbx },       { "rcx", r.rcx }, { "rdx", r.rdx },
        { "rsi", r.rsi }, { "rdi", r.rdi },       { "rbp", r.rbp }, { "rsp", r.rsp },
        { "r8", r.r8 },   { "r9", r.r9 },         { "r10", r.r10 }, { "r11", r.r11 },
        { "r12", r.r12 }, { "r13", r.r13 },       { "r14", r.r14 }, { "r15", r.r15 },
        { "rip", r.rip }, { "rflags", r.rflags },
    };
    size_t ngpr = ARRAY_SIZE(gpr);
    for (size_t i = 0; i < ngpr; i++)
        fprintf(f, "  %-6s %016llx%s", gpr[i].n, gpr[i].val,
                i % 4 == 3 || i + 1 == ngpr ? "\n" : "");
    const struct {
        const char *n;
        const struct kvm_segment *seg;
    } segs[] = {
        { "cs", &s.cs }, { "ds", &s.ds }, { "es", &s.es }, { "fs", &s.fs },
        { "gs", &s.gs }, { "ss", &s.ss }, { "tr", &s.tr }, { "ldt", &s.ldt },
    };
    for (size_t i = 0; i < ARRAY_SIZE(segs); i++)
        dump_seg(f, segs[i].n, segs[i].seg);
    fprintf(f, "  gdt base %016llx limit %04x  idt base %016llx limit %04x\n",
            (unsigned long long)s.gdt.base, s.gdt.limit, (unsigned long long)s.idt.base,
            s.idt.limit);
    fprintf(f, "  cr0 %016llx cr2 %016llx cr3 %016llx cr4 %016llx cr8 %llx efer %llx\n",
            (unsigned long long)s.cr0, (unsigned long long)s.cr2, (unsigned long long)s.cr3,
            (unsigned long long)s.cr4, (unsigned long long)s.cr8, (unsigned long long)s.efer);
}
