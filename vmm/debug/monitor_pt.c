/* `monitor pt` and the linear-address reader the table commands share: guest
 * memory seen through the vCPU's own page tables. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vmm/debug/monitor_priv.h"
#include "vmm/guestmem.h"
#include "vmm/util.h"

/* Remembers where guest-physical reads failed, so `pt` can name the bad table. */
struct phys_reader {
    const struct vm *vm;
    bool failed;
    uint64_t fail_pa;
};

static int read_phys(void *arg, uint64_t pa, void *buf, size_t len)
{
    struct phys_reader *pr = arg;
    const void *p = vm_gpa_to_hva(pr->vm, pa, len);
    if (!p) {
        pr->failed = true;
        pr->fail_pa = pa;
        return -EFAULT;
    }
    memcpy(buf, p, len);
    return 0;
}

int monitor_read_linear(struct mon_ctx *c, const struct kvm_sregs *s, uint64_t linear, void *buf,
                        size_t len, uint64_t *fail_linear)
{
    return guestmem_access(&c->m->vm, s, linear, buf, len, false, fail_linear);
}

static const struct mon_flag pte_flags[] = {
    { 0, "P" }, { 1, "RW" }, { 2, "US" }, { 3, "PWT" }, { 4, "PCD" },
    { 5, "A" }, { 6, "D" },  { 7, "PS" }, { 8, "G" },   { 63, "XD" },
};
/* In a 4 KiB PTE bit 7 selects the PAT entry instead. */
static const struct mon_flag pte1_flags[] = {
    { 0, "P" }, { 1, "RW" }, { 2, "US" },  { 3, "PWT" }, { 4, "PCD" },
    { 5, "A" }, { 6, "D" },  { 7, "PAT" }, { 8, "G" },   { 63, "XD" },
};
static const char *const level_names[] = { "?", "PT", "PD", "PDPT", "PML4", "PML5" };

static const struct {
    int top;
    unsigned idx_bits;
    const char *canonical;
} kind_info[] = {
    [PW_NONE] = { 0, 0, "" },
    [PW_32BIT] = { 2, 10, "above 4 GiB: not a 32-bit linear address" },
    [PW_PAE] = { 3, 9, "above 4 GiB: not a 32-bit linear address" },
    [PW_4LEVEL] = { 4, 9, "non-canonical address (bits 63:47 differ)" },
    [PW_5LEVEL] = { 5, 9, "non-canonical address (bits 63:56 differ)" },
};

static unsigned level_index(enum pw_kind k, int level, uint64_t linear)
{
    unsigned bits = kind_info[k].idx_bits;
    uint64_t idx = linear >> (12 + bits * (unsigned)(level - 1));
    uint64_t mask = k == PW_PAE && level == 3 ? 3 : (1ull << bits) - 1;
    return (unsigned)(idx & mask);
}

static const char *page_size_name(uint64_t size)
{
    switch (size) {
    case 1ull << 12: return "4K";
    case 1ull << 21: return "2M";
    case 1ull << 22: return "4M";
    case 1ull << 30: return "1G";
    default: return "?";
    }
}

int monitor_cmd_pt(struct mon_ctx *c, int argc, char **argv)
{
    uint64_t la;
    if (monitor_parse_u64(argv[1], &la) < 0) {
        strbuf_printf(c->out, "pt: bad address '%.40s' (0x... hex or decimal)\n", argv[1]);
        return -EINVAL;
    }
    struct kvm_sregs s;
    int rc = vcpu_get_sregs(c->v, &s);
    if (rc < 0)
        return rc;
    struct strbuf *out = c->out;
    struct pw_cpu pc = guestmem_pw_cpu(&s);
    struct phys_reader pr = { .vm = &c->m->vm };
    struct pw_result res;
    rc = pagewalk(&pc, la, read_phys, &pr, &res);
    enum pw_kind k = res.kind;
    if (k == PW_NONE)
        strbuf_printf(out, "pt 0x%llx: paging off, linear = physical\n", (unsigned long long)la);
    else
        strbuf_printf(out, "pt 0x%llx: %s paging, cr3 0x%llx\n", (unsigned long long)la,
                      pw_kind_name(k), (unsigned long long)s.cr3);
    for (int i = 0; i < res.nlevels; i++) {
        const struct pw_level *l = &res.lv[i];
        size_t start = out->len;
        strbuf_printf(out, "%s[0x%03x] @0x%llx = 0x%llx", level_names[l->level],
                      level_index(k, l->level, la), (unsigned long long)l->entry_pa,
                      (unsigned long long)l->entry);
        if (l->level == 1)
            monitor_put_flags(out, &start, l->entry, pte1_flags, ARRAY_SIZE(pte1_flags));
        else
            monitor_put_flags(out, &start, l->entry, pte_flags, ARRAY_SIZE(pte_flags));
        strbuf_putc(out, '\n');
    }
    if (rc == -EINVAL) {
        strbuf_printf(out, "-> %s\n", kind_info[k].canonical);
    } else if (rc < 0 && pr.failed) {
        int level = res.nlevels ? res.lv[res.nlevels - 1].level - 1 : kind_info[k].top;
        strbuf_printf(out, "-> %s entry at 0x%llx is outside guest RAM (0x%llx bytes)\n",
                      level_names[level], (unsigned long long)pr.fail_pa,
                      (unsigned long long)c->m->vm.mem_size);
    } else if (rc < 0) {
        int level = res.nlevels ? res.lv[res.nlevels - 1].level : 0;
        strbuf_printf(out, "-> not present at level %d (%s entry)\n", level, level_names[level]);
    } else if (k == PW_NONE) {
        strbuf_printf(out, "-> phys 0x%llx\n", (unsigned long long)res.phys);
    } else {
        strbuf_printf(out, "-> phys 0x%llx (%s page, %s, %s%s)\n", (unsigned long long)res.phys,
                      page_size_name(res.page_size), res.writable ? "writable" : "read-only",
                      res.user ? "user" : "supervisor", res.nx ? ", nx" : "");
    }
    if (rc == 0 && !vm_gpa_to_hva(&c->m->vm, res.phys, 1))
        strbuf_printf(out, "   (outside guest RAM: 0x%llx bytes)\n",
                      (unsigned long long)c->m->vm.mem_size);
    return 0;
}
