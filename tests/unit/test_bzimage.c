/* bzImage and vmlinux loading (--linux): a hand-made boot-protocol header, each
 * malformed case with its message, the 32/64-bit entry choice, and a mutation loop
 * over the header that must never crash or accept an inconsistent image. */
#include "loader/boot_plan.h"
#include "loader/bootparam.h"
#include "tests/unit/check.h"

#include "vmm/util.h"
#include <elf.h>
#include <errno.h>
#include <stdlib.h>

#define SETUP_SECTS 4u
#define PM_SIZE 0x1000u
#define PREF 0x1000000u
#define INIT_SIZE 0x200000u

static void wr16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static void wr32(uint8_t *p, uint32_t v)
{
    wr16(p, (uint16_t)v);
    wr16(p + 2, (uint16_t)(v >> 16));
}
static void wr64(uint8_t *p, uint64_t v)
{
    wr32(p, (uint32_t)v);
    wr32(p + 4, (uint32_t)(v >> 32));
}

/* A 64-bit-capable protocol 2.15 image: boot sector + 4 setup sectors + PM_SIZE. */
static uint8_t *mk_bz(size_t *len)
{
    *len = (SETUP_SECTS + 1) * 512 + PM_SIZE;
    uint8_t *b = calloc(1, *len);
    if (!b)
        abort();
    b[BP_HDR(setup_sects)] = SETUP_SECTS;
    wr32(b + BP_HDR(syssize), PM_SIZE / 16);
    wr16(b + BP_HDR(boot_flag), BP_BOOT_FLAG);
    b[BP_HDR(jump)] = 0xeb;
    b[BP_HDR(jump) + 1] = (uint8_t)(BP_HDR(kernel_info_offset) + 4 - (BP_HDR(jump) + 2));
    wr32(b + BP_HDR(header), BP_HDRS_MAGIC);
    wr16(b + BP_HDR(version), 0x020f);
    wr32(b + BP_HDR(code32_start), 0x100000);
    wr32(b + BP_HDR(initrd_addr_max), 0x7fffffff);
    wr32(b + BP_HDR(kernel_alignment), 0x200000);
    b[BP_HDR(relocatable_kernel)] = 1;
    wr16(b + BP_HDR(xloadflags), BP_XLF_KERNEL_64 | BP_XLF_CAN_BE_LOADED_ABOVE_4G);
    wr32(b + BP_HDR(cmdline_size), 2047);
    wr64(b + BP_HDR(pref_address), PREF);
    wr32(b + BP_HDR(init_size), INIT_SIZE);
    for (size_t i = 0; i < PM_SIZE; i++)
        b[(SETUP_SECTS + 1) * 512 + i] = (uint8_t)i;
    return b;
}

static int load(uint8_t *b, size_t len, int entry, uint64_t mem, struct boot_plan *p,
                struct loader_err *e)
{
    struct loader_opts o;
    loader_opts_init(&o);
    o.linux_kernel = 1;
    o.linux_entry = entry;
    o.mem_limit = mem;
    e->msg[0] = '\0';
    return loader_load_buffer(b, len, &o, p, e);
}

static void test_good(void)
{
    size_t len;
    uint8_t *b = mk_bz(&len);
    struct boot_plan p;
    struct loader_err e;
    int rc = load(b, len, 0, 256u << 20, &p, &e);
    CHECK_INT("good_rc", rc, 0);
    CHECK_STR("good_no_msg", e.msg, "");
    CHECK_INT("good_kind", p.kind, IMAGE_BZIMAGE);
    CHECK_STR("good_kind_name", image_kind_name(p.kind), "bzImage");
    CHECK_INT("good_mode_long", p.mode, CPU_MODE_LONG);
    CHECK_INT("good_entry64", p.entry, PREF + 0x200);
    CHECK_INT("good_present", p.kernel.present, 1);
    CHECK_INT("good_version", p.kernel.version, 0x020f);
    CHECK_INT("good_pm_offset", p.kernel.pm_offset, (SETUP_SECTS + 1) * 512);
    CHECK_INT("good_pm_size", p.kernel.pm_size, PM_SIZE);
    CHECK_INT("good_load", p.kernel.load_addr, PREF);
    CHECK_INT("good_init_size", p.kernel.init_size, INIT_SIZE);
    CHECK_INT("good_alignment", p.kernel.kernel_alignment, 0x200000);
    CHECK_INT("good_relocatable", p.kernel.relocatable, 1);
    CHECK_INT("good_initrd_max", p.kernel.initrd_addr_max, 0x7fffffff);
    CHECK_INT("good_cmdline_size", p.kernel.cmdline_size, 2047);
    CHECK_INT("good_xloadflags", p.kernel.xloadflags, 3);
    CHECK_INT("good_hdr_len", p.kernel.hdr_len, 0x26c - 0x1f1);
    CHECK_INT("good_hdr_copy_magic", p.kernel.hdr[0x202 - 0x1f1], 'H');
    CHECK_INT("good_nseg", p.nseg, 1);
    CHECK_INT("good_seg_gpa", p.seg[0].gpa, PREF);
    CHECK_INT("good_seg_filesz", p.seg[0].filesz, PM_SIZE);
    CHECK_INT("good_seg_memsz", p.seg[0].memsz, INIT_SIZE);
    CHECK_INT("good_highest", p.highest, PREF + INIT_SIZE);
    CHECK_INT("good_seg_bytes", p.image[p.seg[0].file_off + 5], 5);
    boot_plan_free(&p);

    b = mk_bz(&len);
    rc = load(b, len, 32, 0, &p, &e);
    CHECK_INT("entry32_rc", rc, 0);
    CHECK_INT("entry32_mode", p.mode, CPU_MODE_PROTECTED);
    CHECK_INT("entry32_rip", p.entry, PREF);
    boot_plan_free(&p);

    b = mk_bz(&len);
    b[BP_HDR(setup_sects)] = 0; /* means 4 */
    rc = load(b, len, 0, 0, &p, &e);
    CHECK_INT("setup_sects0_rc", rc, 0);
    CHECK_INT("setup_sects0_pm_offset", p.kernel.pm_offset, 5 * 512);
    boot_plan_free(&p);
}

struct bad_case {
    const char *name;
    size_t off; /* field to change; 0: none */
    int width;  /* 1, 2, 4 */
    uint32_t val;
    size_t trunc; /* file length; 0: keep */
    int entry;
    uint64_t mem;
    const char *msg;
};

static const struct bad_case bad_cases[] = {
    { "bad_magic", BP_HDR(header), 4, 0x21425a4d, 0, 0, 0,
      "bzImage header at 0x202: magic 'MZB!' (0x21425a4d) is not 'HdrS': not a Linux bzImage" },
    { "bad_magic_unprintable", BP_HDR(header), 4, 0x00ff0a01, 0, 0, 0, "magic '....'" },
    { "old_protocol", BP_HDR(version), 2, 0x0205, 0, 0, 0,
      "bzImage header at 0x206: boot protocol version 2.05 is older than 2.06" },
    { "bad_boot_flag", BP_HDR(boot_flag), 2, 0x1234, 0, 0, 0,
      "bzImage header at 0x1fe: boot_flag 0x1234 is not 0xaa55" },
    { "truncated_setup", 0, 0, 0, 0x900, 0, 0,
      "bzImage header at 0x1f1: setup_sects 4 puts the protected-mode kernel at 0xa00, but "
      "the file is 0x900 bytes: truncated setup" },
    { "huge_setup_sects", BP_HDR(setup_sects), 1, 0xff, 0, 0, 0,
      "bzImage header at 0x1f1: setup_sects 255 is too big: the boot sector and setup "
      "(0x20000 bytes) must fit in 0x8000" },
    { "truncated_kernel", BP_HDR(syssize), 4, PM_SIZE / 16 + 1, 0, 0, 0,
      "bzImage header at 0x1f4: syssize says 0x1010 bytes of protected-mode kernel, the file "
      "has 0x1000 after the setup: truncated kernel" },
    { "no_64bit_entry", BP_HDR(xloadflags), 2, 0, 0, 0, 0,
      "bzImage header at 0x236: xloadflags 0x0 lacks bit 0 (XLF_KERNEL_64, protocol 2.15): "
      "no 64-bit entry, try --linux-entry 32" },
    { "too_short", 0, 0, 0, 0x100, 0, 0,
      "bzImage header at 0x1f1: file is 0x100 bytes, too short for a setup header" },
    { "mem_too_small", 0, 0, 0, 0, 0, 16u << 20,
      "the kernel at 0x1000000 needs 0x200000 bytes (init_size) up to 0x1200000, past guest "
      "memory (0x1000000 bytes)" },
    { "misaligned_pref", BP_HDR(pref_address), 4, PREF + 0x1000, 0, 0, 0,
      "bzImage header at 0x258: pref_address 0x1001000 is not aligned to kernel_alignment "
      "0x200000" },
    { "init_size_past_4g", BP_HDR(init_size), 4, 0xffff0000u, 0, 0, 0, "does not fit below 4 GiB" },
    { "bad_entry_choice", 0, 0, 0, 0, 16, 0, "linux entry 16 is not 32 or 64" },
};

static void test_bad(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(bad_cases); i++) {
        const struct bad_case *c = &bad_cases[i];
        size_t len;
        uint8_t *b = mk_bz(&len);
        if (c->width == 1)
            b[c->off] = (uint8_t)c->val;
        else if (c->width == 2)
            wr16(b + c->off, (uint16_t)c->val);
        else if (c->width == 4)
            wr32(b + c->off, c->val);
        if (c->trunc)
            len = c->trunc;
        struct boot_plan p;
        struct loader_err e;
        int rc = load(b, len, c->entry, c->mem, &p, &e);
        char name[64];
        snprintf(name, sizeof name, "%s_rc", c->name);
        CHECK_INT(name, rc, -EINVAL);
        snprintf(name, sizeof name, "%s_msg", c->name);
        CHECK_CONTAINS(name, e.msg, c->msg);
    }
}

/* Without --linux a bzImage is a flat binary: nothing is guessed from content. */
static void test_not_detected_without_linux(void)
{
    size_t len;
    uint8_t *b = mk_bz(&len);
    struct loader_opts o;
    loader_opts_init(&o);
    o.mode = CPU_MODE_LONG;
    struct boot_plan p;
    struct loader_err e = { { 0 } };
    int rc = loader_load_buffer(b, len, &o, &p, &e);
    CHECK_INT("flat_unless_linux_rc", rc, 0);
    CHECK_INT("flat_unless_linux_kind", p.kind, IMAGE_FLAT);
    CHECK_INT("flat_unless_linux_not_kernel", p.kernel.present, 0);
    boot_plan_free(&p);
}

/* A vmlinux: ELF64 with one PT_LOAD and a PVH note. */
static void test_vmlinux(int with_note)
{
    size_t len = 0x2000;
    uint8_t *b = calloc(1, len);
    if (!b)
        abort();
    Elf64_Ehdr *eh = (Elf64_Ehdr *)b;
    memcpy(eh->e_ident, ELFMAG, SELFMAG);
    eh->e_ident[EI_CLASS] = ELFCLASS64;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_type = ET_EXEC;
    eh->e_machine = EM_X86_64;
    eh->e_entry = PREF;
    eh->e_phoff = sizeof *eh;
    eh->e_phentsize = sizeof(Elf64_Phdr);
    eh->e_phnum = 2;
    Elf64_Phdr *ph = (Elf64_Phdr *)(b + sizeof *eh);
    ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD,
                          .p_offset = 0x1000,
                          .p_vaddr = 0xffffffff81000000ull,
                          .p_paddr = PREF,
                          .p_filesz = 0x1000,
                          .p_memsz = 0x3000 };
    ph[1] = (Elf64_Phdr){ .p_type = PT_NOTE, .p_offset = 0x800, .p_filesz = 0x20 };
    uint8_t *n = b + 0x800;
    wr32(n, 4);     /* namesz */
    wr32(n + 4, 4); /* descsz */
    wr32(n + 8, with_note ? 18 : 17);
    memcpy(n + 12, "Xen", 4);
    wr32(n + 16, PREF + 0x40);
    struct boot_plan p;
    struct loader_err e;
    int rc = load(b, len, 0, 64u << 20, &p, &e);
    const char *pre = with_note ? "vmlinux_pvh" : "vmlinux";
    char name[64];
    snprintf(name, sizeof name, "%s_rc", pre);
    CHECK_INT(name, rc, 0);
    snprintf(name, sizeof name, "%s_kind", pre);
    CHECK_INT(name, p.kind, IMAGE_ELF64);
    snprintf(name, sizeof name, "%s_present", pre);
    CHECK_INT(name, p.kernel.present, 1);
    snprintf(name, sizeof name, "%s_entry64", pre);
    CHECK_INT(name, p.kernel.entry64, PREF);
    snprintf(name, sizeof name, "%s_pvh", pre);
    CHECK_INT(name, p.kernel.pvh_entry, with_note ? PREF + 0x40 : 0);
    snprintf(name, sizeof name, "%s_init_size", pre);
    CHECK_INT(name, p.kernel.init_size, 0x3000);
    boot_plan_free(&p);
}

/* Every byte of the header region set to a few values: must not crash, and any
 * plan accepted must keep its kernel inside the file and below 4 GiB. */
static void test_mutations(void)
{
    static const uint8_t vals[] = { 0x00, 0x01, 0x7f, 0x80, 0xff };
    int bad = 0;
    for (size_t off = 0x1f0; off < 0x270; off++) {
        for (size_t v = 0; v < sizeof vals; v++) {
            size_t len;
            uint8_t *b = mk_bz(&len);
            b[off] = vals[v];
            struct boot_plan p;
            struct loader_err e;
            if (load(b, len, 0, 0, &p, &e) == 0) {
                if (p.kernel.pm_offset + p.kernel.pm_size != len || p.highest > (1ull << 32) ||
                    p.seg[0].filesz > p.seg[0].memsz)
                    bad++;
                boot_plan_free(&p);
            } else if (e.msg[0] == '\0') {
                bad++;
            }
        }
    }
    CHECK_INT("mutations_consistent", bad, 0);
}

int main(void)
{
    test_good();
    test_bad();
    test_not_detected_without_linux();
    test_vmlinux(0);
    test_vmlinux(1);
    test_mutations();
    return CHECK_DONE();
}
