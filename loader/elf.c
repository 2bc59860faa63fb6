/* ELF32/ELF64 executables: PT_LOAD segments placed at their physical addresses.
 * Every field read from the file is checked before it is used; the image may be
 * hostile (this is fuzzed), so nothing here trusts an offset or a size. */
#include "loader/loader_priv.h"

#include "vmm/util.h"
#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the ELF loader reads little-endian headers in place"
#endif

/* The fields we use, widened to 64 bits, so the checks below are written once. */
struct elf_hdr {
    uint16_t type, machine, phentsize, phnum;
    uint64_t entry, phoff;
};

struct elf_phdr {
    uint32_t type;
    uint64_t offset, paddr, filesz, memsz;
};

static void read_ehdr32(const uint8_t *p, struct elf_hdr *h)
{
    Elf32_Ehdr e;
    memcpy(&e, p, sizeof e);
    *h = (struct elf_hdr){ e.e_type, e.e_machine, e.e_phentsize, e.e_phnum, e.e_entry, e.e_phoff };
}

static void read_ehdr64(const uint8_t *p, struct elf_hdr *h)
{
    Elf64_Ehdr e;
    memcpy(&e, p, sizeof e);
    *h = (struct elf_hdr){ e.e_type, e.e_machine, e.e_phentsize, e.e_phnum, e.e_entry, e.e_phoff };
}

static void read_phdr32(const uint8_t *p, struct elf_phdr *ph)
{
    Elf32_Phdr e;
    memcpy(&e, p, sizeof e);
    *ph = (struct elf_phdr){ e.p_type, e.p_offset, e.p_paddr, e.p_filesz, e.p_memsz };
}

static void read_phdr64(const uint8_t *p, struct elf_phdr *ph)
{
    Elf64_Phdr e;
    memcpy(&e, p, sizeof e);
    *ph = (struct elf_phdr){ e.p_type, e.p_offset, e.p_paddr, e.p_filesz, e.p_memsz };
}

struct elf_class {
    const char *name;
    uint16_t machine;
    enum image_kind kind;
    enum cpu_mode mode;
    size_t ehsize, phentsize;
    size_t off_phoff, off_phentsize, off_phnum; /* for messages */
    uint64_t addr_end;                          /* segments must end at or below this */
    void (*read_ehdr)(const uint8_t *p, struct elf_hdr *h);
    void (*read_phdr)(const uint8_t *p, struct elf_phdr *ph);
};

static const struct elf_class elf_classes[] = {
    [ELFCLASS32] = { "ELF32", EM_386, IMAGE_ELF32, CPU_MODE_PROTECTED, sizeof(Elf32_Ehdr),
                     sizeof(Elf32_Phdr), offsetof(Elf32_Ehdr, e_phoff),
                     offsetof(Elf32_Ehdr, e_phentsize), offsetof(Elf32_Ehdr, e_phnum), 1ull << 32,
                     read_ehdr32, read_phdr32 },
    [ELFCLASS64] = { "ELF64", EM_X86_64, IMAGE_ELF64, CPU_MODE_LONG, sizeof(Elf64_Ehdr),
                     sizeof(Elf64_Phdr), offsetof(Elf64_Ehdr, e_phoff),
                     offsetof(Elf64_Ehdr, e_phentsize), offsetof(Elf64_Ehdr, e_phnum), UINT64_MAX,
                     read_ehdr64, read_phdr64 },
};

static const struct {
    uint16_t id;
    const char *name;
} elf_machines[] = {
    { EM_386, "i386" },        { EM_X86_64, "x86-64" },   { EM_ARM, "ARM" },
    { EM_AARCH64, "AArch64" }, { EM_RISCV, "RISC-V" },    { EM_MIPS, "MIPS" },
    { EM_PPC, "PowerPC" },     { EM_PPC64, "PowerPC64" }, { EM_SPARCV9, "SPARC V9" },
};

static const char *elf_machine_name(uint16_t id)
{
    for (size_t i = 0; i < ARRAY_SIZE(elf_machines); i++)
        if (elf_machines[i].id == id)
            return elf_machines[i].name;
    return "unknown";
}

static int elf_check_ehdr(const uint8_t *img, size_t len, int flags, const struct elf_class **out,
                          struct elf_hdr *h, struct loader_err *err)
{
    if (len < EI_NIDENT)
        return loader_fail(err, -EINVAL,
                           "truncated ELF header: file is 0x%zx bytes, "
                           "the ELF identification alone needs 0x%x",
                           len, EI_NIDENT);
    unsigned cls = img[EI_CLASS], data = img[EI_DATA];
    if (cls != ELFCLASS32 && cls != ELFCLASS64)
        return loader_fail(err, -EINVAL,
                           "e_ident[EI_CLASS] at offset 0x%x is %u: "
                           "bad ELF class, expected 1 (ELF32) or 2 (ELF64)",
                           EI_CLASS, cls);
    if (data != ELFDATA2LSB)
        return loader_fail(err, -EINVAL,
                           "e_ident[EI_DATA] at offset 0x%x is %u: "
                           "only little-endian ELF (1) is supported",
                           EI_DATA, data);
    const struct elf_class *c = &elf_classes[cls];
    if (len < c->ehsize)
        return loader_fail(err, -EINVAL,
                           "truncated ELF header: file is 0x%zx bytes, "
                           "an %s header needs 0x%zx",
                           len, c->name, c->ehsize);
    c->read_ehdr(img, h);

    if (h->machine != c->machine)
        return loader_fail(err, -EINVAL,
                           "e_machine at offset 0x%zx is %u (%s): wrong machine, "
                           "an %s image must be %u (%s)",
                           offsetof(Elf32_Ehdr, e_machine), h->machine,
                           elf_machine_name(h->machine), c->name, c->machine,
                           elf_machine_name(c->machine));
    if (h->type == ET_DYN && !(flags & ELF_ANY_LINK))
        return loader_fail(err, -EINVAL,
                           "e_type at offset 0x%zx is ET_DYN (3): "
                           "position-independent executables (PIE) are not supported, "
                           "link with -no-pie at a fixed address",
                           offsetof(Elf32_Ehdr, e_type));
    if (h->type != ET_EXEC && h->type != ET_DYN)
        return loader_fail(err, -EINVAL,
                           "e_type at offset 0x%zx is %u: not an executable "
                           "(ET_EXEC = 2)",
                           offsetof(Elf32_Ehdr, e_type), h->type);
    if (h->phnum == 0)
        return loader_fail(err, -EINVAL,
                           "e_phnum at offset 0x%zx is 0: no program headers, "
                           "no PT_LOAD segment to load",
                           c->off_phnum);
    if (h->phnum == PN_XNUM)
        return loader_fail(err, -EINVAL,
                           "e_phnum at offset 0x%zx is 0xffff (PN_XNUM): "
                           "extended program header numbering is not supported",
                           c->off_phnum);
    if (h->phentsize != c->phentsize)
        return loader_fail(err, -EINVAL,
                           "e_phentsize at offset 0x%zx is 0x%x, expected 0x%zx "
                           "for %s",
                           c->off_phentsize, h->phentsize, c->phentsize, c->name);
    /* phnum * phentsize < 2^16 * 2^16: cannot overflow; only phoff can be wild. */
    uint64_t tbl = (uint64_t)h->phnum * h->phentsize;
    if (h->phoff > len || tbl > len - h->phoff)
        return loader_fail(err, -EINVAL,
                           "program header table at e_phoff 0x%llx (offset 0x%zx), "
                           "e_phnum %u x 0x%x bytes, runs past end of file (0x%zx bytes)",
                           (unsigned long long)h->phoff, c->off_phoff, h->phnum, h->phentsize, len);
    *out = c;
    return 0;
}

/* Checks one PT_LOAD entry and sets *end to one past its last byte. A segment with
 * no memory is loaded nowhere, so only its file range is checked. */
static int elf_check_load(const struct elf_phdr *ph, size_t len, const struct elf_class *c,
                          const struct loader_opts *o, const char *where, uint64_t *end,
                          struct loader_err *err)
{
    uint64_t fend;
    if (__builtin_add_overflow(ph->offset, ph->filesz, &fend) || fend > len)
        return loader_fail(err, -EINVAL,
                           "%s: p_offset 0x%llx + p_filesz 0x%llx runs past end "
                           "of file (0x%zx bytes)",
                           where, (unsigned long long)ph->offset, (unsigned long long)ph->filesz,
                           len);
    if (ph->filesz > ph->memsz)
        return loader_fail(err, -EINVAL, "%s: p_filesz 0x%llx is larger than p_memsz 0x%llx", where,
                           (unsigned long long)ph->filesz, (unsigned long long)ph->memsz);
    if (ph->memsz == 0)
        return 0;
    if (__builtin_add_overflow(ph->paddr, ph->memsz, end) || *end > c->addr_end)
        return loader_fail(err, -EINVAL,
                           "%s: p_paddr 0x%llx + p_memsz 0x%llx: address "
                           "overflow, the segment does not fit the %s address space",
                           where, (unsigned long long)ph->paddr, (unsigned long long)ph->memsz,
                           c->name);
    if (o->mem_limit && *end > o->mem_limit)
        return loader_fail(err, -EINVAL,
                           "%s: p_paddr 0x%llx + p_memsz 0x%llx ends at 0x%llx, "
                           "past guest memory (0x%llx bytes): segment outside memory",
                           where, (unsigned long long)ph->paddr, (unsigned long long)ph->memsz,
                           (unsigned long long)*end, (unsigned long long)o->mem_limit);
    return 0;
}

int elf_load(const uint8_t *img, size_t len, const struct loader_opts *o, int flags,
             struct boot_plan *plan, struct loader_err *err)
{
    const struct elf_class *c = NULL;
    struct elf_hdr h;
    int rc = elf_check_ehdr(img, len, flags, &c, &h, err);
    if (rc)
        return rc;

    uint64_t lowest = UINT64_MAX, highest = 0;
    size_t nseg = 0;
    for (unsigned i = 0; i < h.phnum; i++) {
        uint64_t off = h.phoff + (uint64_t)i * c->phentsize; /* inside the file: checked */
        struct elf_phdr ph;
        char where[64];
        c->read_phdr(img + off, &ph);
        snprintf(where, sizeof where, "program header %u at offset 0x%llx", i,
                 (unsigned long long)off);

        if ((ph.type == PT_INTERP || ph.type == PT_DYNAMIC) && !(flags & ELF_ANY_LINK))
            return loader_fail(err, -EINVAL,
                               "%s: %s: dynamically linked executables are not "
                               "supported, link with -static",
                               where, ph.type == PT_INTERP ? "PT_INTERP" : "PT_DYNAMIC");
        if (ph.type != PT_LOAD)
            continue;
        uint64_t end = 0;
        rc = elf_check_load(&ph, len, c, o, where, &end, err);
        if (rc)
            return rc;
        if (ph.memsz == 0)
            continue;
        if (nseg == BOOT_PLAN_MAX_SEGMENTS)
            return loader_fail(err, -EINVAL,
                               "%s: too many PT_LOAD segments, at most %d "
                               "are supported",
                               where, BOOT_PLAN_MAX_SEGMENTS);
        plan->seg[nseg++] = (struct boot_segment){
            .gpa = ph.paddr, .file_off = ph.offset, .filesz = ph.filesz, .memsz = ph.memsz
        };
        if (ph.paddr < lowest)
            lowest = ph.paddr;
        if (end > highest)
            highest = end;
    }
    if (nseg == 0)
        return loader_fail(err, -EINVAL,
                           "no PT_LOAD segment with memory (e_phnum %u): "
                           "nothing to load",
                           h.phnum);

    plan->kind = c->kind;
    plan->mode = c->mode;
    plan->entry = h.entry;
    plan->nseg = nseg;
    plan->lowest = lowest;
    plan->highest = highest;
    return 0;
}
