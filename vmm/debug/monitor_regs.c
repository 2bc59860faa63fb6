/* `monitor regs`: segment registers, descriptor-table registers, control registers,
 * EFER and RFLAGS decoded through name tables, plus the MSRs, FPU control words and
 * debug registers that gdb's register view does not show. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vmm/debug/monitor_priv.h"
#include "vmm/util.h"
#include "vmm/x86/bits.h"

static const struct mon_flag cr0_flags[] = {
    { 0, "PE" },  { 1, "MP" },  { 2, "EM" },  { 3, "TS" },  { 4, "ET" },  { 5, "NE" },
    { 16, "WP" }, { 18, "AM" }, { 29, "NW" }, { 30, "CD" }, { 31, "PG" },
};

static const struct mon_flag cr4_flags[] = {
    { 0, "VME" },         { 1, "PVI" },    { 2, "TSD" },      { 3, "DE" },    { 4, "PSE" },
    { 5, "PAE" },         { 6, "MCE" },    { 7, "PGE" },      { 8, "PCE" },   { 9, "OSFXSR" },
    { 10, "OSXMMEXCPT" }, { 11, "UMIP" },  { 12, "LA57" },    { 13, "VMXE" }, { 14, "SMXE" },
    { 16, "FSGSBASE" },   { 17, "PCIDE" }, { 18, "OSXSAVE" }, { 20, "SMEP" }, { 21, "SMAP" },
    { 22, "PKE" },        { 23, "CET" },   { 24, "PKS" },
};

static const struct mon_flag efer_flags[] = {
    { 0, "SCE" },   { 8, "LME" },    { 10, "LMA" },   { 11, "NXE" },
    { 12, "SVME" }, { 13, "LMSLE" }, { 14, "FFXSR" }, { 15, "TCE" },
};

/* IOPL (bits 13:12) is a number, printed between OF and NT by hand. */
static const struct mon_flag rflags_low[] = {
    { 0, "CF" }, { 2, "PF" }, { 4, "AF" },  { 6, "ZF" },  { 7, "SF" },
    { 8, "TF" }, { 9, "IF" }, { 10, "DF" }, { 11, "OF" },
};
static const struct mon_flag rflags_high[] = {
    { 14, "NT" },  { 16, "RF" },  { 17, "VM" }, { 18, "AC" },
    { 19, "VIF" }, { 20, "VIP" }, { 21, "ID" },
};

/* System descriptor types; NULL is reserved. Long mode redefines the table. */
static const char *const sys_legacy[16] = {
    [1] = "16-bit TSS avail",
    [2] = "LDT",
    [3] = "16-bit TSS busy",
    [4] = "16-bit call gate",
    [5] = "task gate",
    [6] = "16-bit interrupt gate",
    [7] = "16-bit trap gate",
    [9] = "32-bit TSS avail",
    [0xb] = "32-bit TSS busy",
    [0xc] = "32-bit call gate",
    [0xe] = "32-bit interrupt gate",
    [0xf] = "32-bit trap gate",
};
static const char *const sys_long[16] = {
    [2] = "LDT",
    [9] = "64-bit TSS avail",
    [0xb] = "64-bit TSS busy",
    [0xc] = "64-bit call gate",
    [0xe] = "64-bit interrupt gate",
    [0xf] = "64-bit trap gate",
};

/* MSRs worth seeing when debugging system calls and per-CPU data. */
static const struct {
    uint32_t index;
    const char *name;
} msr_list[] = {
    { MSR_STAR, "star" },
    { MSR_LSTAR, "lstar" },
    { MSR_CSTAR, "cstar" },
    { MSR_SFMASK, "sfmask" },
    { MSR_FS_BASE, "fs_base" },
    { MSR_GS_BASE, "gs_base" },
    { MSR_KERNEL_GS_BASE, "kernel_gs_base" },
    { MSR_SYSENTER_CS, "sysenter_cs" },
    { MSR_SYSENTER_ESP, "sysenter_esp" },
    { MSR_SYSENTER_EIP, "sysenter_eip" },
    { MSR_PAT, "pat" },
};

unsigned monitor_cpl(const struct kvm_sregs *s)
{
    return s->cr0 & 1 ? s->cs.selector & 3u : 0;
}

enum pw_kind monitor_paging_kind(const struct kvm_sregs *s)
{
    if (!(s->cr0 & CR0_PG))
        return PW_NONE;
    if (s->efer & EFER_LMA)
        return s->cr4 & CR4_LA57 ? PW_5LEVEL : PW_4LEVEL;
    return s->cr4 & CR4_PAE ? PW_PAE : PW_32BIT;
}

void monitor_put_word(struct strbuf *out, size_t *line_start, const char *word)
{
    size_t n = strlen(word);
    if (out->len > *line_start && out->len - *line_start + 1 + n > MON_WRAP_COL) {
        strbuf_puts(out, "\n    ");
        *line_start = out->len - 4;
    }
    strbuf_putc(out, ' ');
    strbuf_puts(out, word);
}

void monitor_put_flags(struct strbuf *out, size_t *line_start, uint64_t val,
                       const struct mon_flag *tab, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((val >> tab[i].bit) & 1)
            monitor_put_word(out, line_start, tab[i].name);
}

void monitor_desc_type(char *buf, size_t len, unsigned type, bool s, bool long_mode)
{
    type &= 0xf;
    if (!s) {
        const char *name = (long_mode ? sys_long : sys_legacy)[type];
        snprintf(buf, len, "%s", name ? name : "reserved system type");
        return;
    }
    bool code = type & 8;
    snprintf(buf, len, "%s %s%s%s", code ? "code" : "data",
             code ? (type & 2 ? "r/x" : "x") : (type & 2 ? "r/w" : "r/o"),
             type & 4 ? (code ? " conf" : " down") : "", type & 1 ? " acc" : "");
}

static void put_seg(struct strbuf *out, const char *name, const struct kvm_segment *sg, bool lm)
{
    char type[40];
    if (sg->unusable)
        snprintf(type, sizeof(type), "unusable");
    else
        monitor_desc_type(type, sizeof(type), sg->type, sg->s, lm);
    strbuf_printf(out, "%-4s 0x%04x base 0x%llx limit 0x%x type 0x%x (%s) dpl%u p%u l%u db%u g%u\n",
                  name, sg->selector, (unsigned long long)sg->base, sg->limit, sg->type, type,
                  sg->dpl, sg->present, sg->l, sg->db, sg->g);
}

static void put_reg_flags(struct strbuf *out, const char *name, uint64_t val,
                          const struct mon_flag *tab, size_t n)
{
    size_t start = out->len;
    strbuf_printf(out, "%-4s 0x%llx", name, (unsigned long long)val);
    monitor_put_flags(out, &start, val, tab, n);
    strbuf_putc(out, '\n');
}

static void put_rflags(struct strbuf *out, uint64_t rf)
{
    size_t start = out->len;
    char iopl[16];
    strbuf_printf(out, "rflags 0x%llx", (unsigned long long)rf);
    monitor_put_flags(out, &start, rf, rflags_low, ARRAY_SIZE(rflags_low));
    snprintf(iopl, sizeof(iopl), "IOPL=%u", (unsigned)(rf >> RFLAGS_IOPL_SHIFT) & 3u);
    monitor_put_word(out, &start, iopl);
    monitor_put_flags(out, &start, rf, rflags_high, ARRAY_SIZE(rflags_high));
    strbuf_putc(out, '\n');
}

/* The MSRs KVM_GET_MSRS could read, as "name 0x..." words; it stops at the first
 * MSR the host refuses, so the rest are simply not shown. */
static void put_msrs(struct strbuf *out, struct vcpu *v)
{
    uint32_t index[ARRAY_SIZE(msr_list)];
    uint64_t val[ARRAY_SIZE(msr_list)];
    for (size_t i = 0; i < ARRAY_SIZE(msr_list); i++)
        index[i] = msr_list[i].index;
    int got = vcpu_get_msrs(v, index, val, (int)ARRAY_SIZE(msr_list));
    if (got <= 0) {
        strbuf_printf(out, "msr  (KVM_GET_MSRS failed: %s)\n",
                      got < 0 ? strerror(-got) : "none read");
        return;
    }
    size_t start = out->len;
    strbuf_puts(out, "msr");
    for (int i = 0; i < got; i++) {
        char word[64];
        snprintf(word, sizeof(word), "%s 0x%llx", msr_list[i].name, (unsigned long long)val[i]);
        monitor_put_word(out, &start, word);
    }
    strbuf_putc(out, '\n');
}

static void put_fpu_debug(struct strbuf *out, int fd)
{
    struct kvm_fpu fpu;
    if (ioctl(fd, KVM_GET_FPU, &fpu) == 0)
        strbuf_printf(out, "fpu  fcw 0x%x fsw 0x%x ftwx 0x%x mxcsr 0x%x\n", fpu.fcw, fpu.fsw,
                      fpu.ftwx, fpu.mxcsr);
    else
        strbuf_printf(out, "fpu  (KVM_GET_FPU failed: %s)\n", strerror(errno));
    struct kvm_debugregs dr;
    if (ioctl(fd, KVM_GET_DEBUGREGS, &dr) == 0)
        strbuf_printf(out, "dr0 0x%llx dr1 0x%llx dr2 0x%llx dr3 0x%llx dr6 0x%llx dr7 0x%llx\n",
                      (unsigned long long)dr.db[0], (unsigned long long)dr.db[1],
                      (unsigned long long)dr.db[2], (unsigned long long)dr.db[3],
                      (unsigned long long)dr.dr6, (unsigned long long)dr.dr7);
}

int monitor_cmd_regs(struct mon_ctx *c, int argc, char **argv)
{
    struct kvm_regs r;
    struct kvm_sregs s;
    int rc = vcpu_get_state(c->v, &r, &s);
    if (rc < 0)
        return rc;
    struct strbuf *out = c->out;
    bool lm = s.efer & EFER_LMA;
    const struct {
        const char *name;
        const struct kvm_segment *sg;
    } segs[] = {
        { "cs", &s.cs }, { "ds", &s.ds }, { "es", &s.es }, { "fs", &s.fs },
        { "gs", &s.gs }, { "ss", &s.ss }, { "tr", &s.tr }, { "ldtr", &s.ldt },
    };
    for (size_t i = 0; i < ARRAY_SIZE(segs); i++)
        put_seg(out, segs[i].name, segs[i].sg, lm);
    strbuf_printf(out, "gdtr base 0x%llx limit 0x%x\nidtr base 0x%llx limit 0x%x\n",
                  (unsigned long long)s.gdt.base, s.gdt.limit, (unsigned long long)s.idt.base,
                  s.idt.limit);
    put_reg_flags(out, "cr0", s.cr0, cr0_flags, ARRAY_SIZE(cr0_flags));
    strbuf_printf(out, "cr2  0x%llx\ncr3  0x%llx\n", (unsigned long long)s.cr2,
                  (unsigned long long)s.cr3);
    put_reg_flags(out, "cr4", s.cr4, cr4_flags, ARRAY_SIZE(cr4_flags));
    strbuf_printf(out, "cr8  0x%llx\n", (unsigned long long)s.cr8);
    put_reg_flags(out, "efer", s.efer, efer_flags, ARRAY_SIZE(efer_flags));
    put_rflags(out, r.rflags);
    strbuf_printf(out, "apic_base 0x%llx\n", (unsigned long long)s.apic_base);
    put_msrs(out, c->v);
    put_fpu_debug(out, c->v->fd);
    strbuf_printf(out, "mode: %s (CPL %u)\n", vcpu_mode_name(vcpu_mode_of(&s)), monitor_cpl(&s));
    return 0;
}
