/* Loader: plans built from hand-made ELF32/ELF64/flat images, every malformed-header
 * case with its message, file errors, and a mutation loop that must never crash. */
#include "loader/boot_plan.h"
#include "tests/unit/check.h"

#include "vmm/util.h"
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define SEG_DATA 0x10u /* file bytes per segment */
#define SEG_MEM 0x20u  /* memory per segment: half is bss */
#define SEG_PADDR 0x100000u
#define IMG_ENTRY 0x100008u

struct img {
    uint8_t *buf;
    size_t len;
    int cls;
};

/* Fields of either class, so one edit table serves both. */
enum field {
    F_NONE,
    F_CLASS,
    F_DATA,
    F_TYPE,
    F_MACHINE,
    F_PHOFF,
    F_PHENTSIZE,
    F_PHNUM,
    P_TYPE,
    P_OFFSET,
    P_PADDR,
    P_FILESZ,
    P_MEMSZ
};

static size_t ph_off(const struct img *m, unsigned i)
{
    return m->cls == 64 ? sizeof(Elf64_Ehdr) + i * sizeof(Elf64_Phdr)
                        : sizeof(Elf32_Ehdr) + i * sizeof(Elf32_Phdr);
}

static void img_set(struct img *m, enum field f, unsigned i, uint64_t v)
{
    Elf32_Ehdr *e32 = (Elf32_Ehdr *)m->buf;
    Elf64_Ehdr *e64 = (Elf64_Ehdr *)m->buf;
    int w = m->cls == 64;
    if (f >= P_TYPE && ph_off(m, i + 1) > m->len)
        abort(); /* a bug in the test, not in the loader */
    Elf32_Phdr *p32 = f >= P_TYPE ? (Elf32_Phdr *)(m->buf + ph_off(m, i)) : NULL;
    Elf64_Phdr *p64 = f >= P_TYPE ? (Elf64_Phdr *)(m->buf + ph_off(m, i)) : NULL;
    switch (f) {
    case F_NONE: break;
    case F_CLASS: m->buf[EI_CLASS] = (uint8_t)v; break;
    case F_DATA: m->buf[EI_DATA] = (uint8_t)v; break;
    case F_TYPE:
        if (w)
            e64->e_type = (uint16_t)v;
        else
            e32->e_type = (uint16_t)v;
        break;
    case F_MACHINE:
        if (w)
            e64->e_machine = (uint16_t)v;
        else
            e32->e_machine = (uint16_t)v;
        break;
    case F_PHOFF:
        if (w)
            e64->e_phoff = v;
        else
            e32->e_phoff = (uint32_t)v;
        break;
    case F_PHENTSIZE:
        if (w)
            e64->e_phentsize = (uint16_t)v;
        else
            e32->e_phentsize = (uint16_t)v;
        break;
    case F_PHNUM:
        if (w)
            e64->e_phnum = (uint16_t)v;
        else
            e32->e_phnum = (uint16_t)v;
        break;
    case P_TYPE:
        if (w)
            p64->p_type = (uint32_t)v;
        else
            p32->p_type = (uint32_t)v;
        break;
    case P_OFFSET:
        if (w)
            p64->p_offset = v;
        else
            p32->p_offset = (uint32_t)v;
        break;
    case P_PADDR:
        if (w)
            p64->p_paddr = v;
        else
            p32->p_paddr = (uint32_t)v;
        break;
    case P_FILESZ:
        if (w)
            p64->p_filesz = v;
        else
            p32->p_filesz = (uint32_t)v;
        break;
    case P_MEMSZ:
        if (w)
            p64->p_memsz = v;
        else
            p32->p_memsz = (uint32_t)v;
        break;
    }
}

/* An executable with nph PT_LOAD headers; segment i has SEG_DATA bytes of 0xA0+i at
 * paddr SEG_PADDR + i*0x1000 and a different (higher-half) vaddr, to prove that the
 * loader places by physical address. */
static struct img mk_elf(int cls, unsigned nph)
{
    struct img m = { .cls = cls };
    size_t data = (ph_off(&m, nph) + 15) & ~(size_t)15;
    m.len = data + nph * SEG_DATA;
    m.buf = calloc(1, m.len);
    if (!m.buf)
        abort();
    if (cls == 64) {
        Elf64_Ehdr *e = (Elf64_Ehdr *)m.buf;
        *e = (Elf64_Ehdr){ .e_type = ET_EXEC,
                           .e_machine = EM_X86_64,
                           .e_version = EV_CURRENT,
                           .e_entry = IMG_ENTRY,
                           .e_phoff = sizeof *e,
                           .e_ehsize = sizeof *e,
                           .e_phentsize = sizeof(Elf64_Phdr),
                           .e_phnum = (uint16_t)nph };
    } else {
        Elf32_Ehdr *e = (Elf32_Ehdr *)m.buf;
        *e = (Elf32_Ehdr){ .e_type = ET_EXEC,
                           .e_machine = EM_386,
                           .e_version = EV_CURRENT,
                           .e_entry = IMG_ENTRY,
                           .e_phoff = sizeof *e,
                           .e_ehsize = sizeof *e,
                           .e_phentsize = sizeof(Elf32_Phdr),
                           .e_phnum = (uint16_t)nph };
    }
    memcpy(m.buf, ELFMAG, SELFMAG);
    m.buf[EI_CLASS] = cls == 64 ? ELFCLASS64 : ELFCLASS32;
    m.buf[EI_DATA] = ELFDATA2LSB;
    m.buf[EI_VERSION] = EV_CURRENT;
    for (unsigned i = 0; i < nph; i++) {
        uint64_t vaddr = (cls == 64 ? 0xffffffff80000000ull : 0xc0000000ull) + i * 0x1000u;
        if (cls == 64)
            *(Elf64_Phdr *)(m.buf + ph_off(&m, i)) = (Elf64_Phdr){
                .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_vaddr = vaddr, .p_align = 0x1000
            };
        else
            *(Elf32_Phdr *)(m.buf + ph_off(&m, i)) = (Elf32_Phdr){ .p_type = PT_LOAD,
                                                                   .p_flags = PF_R | PF_X,
                                                                   .p_vaddr = (uint32_t)vaddr,
                                                                   .p_align = 0x1000 };
        img_set(&m, P_OFFSET, i, data + i * SEG_DATA);
        img_set(&m, P_PADDR, i, SEG_PADDR + i * 0x1000u);
        img_set(&m, P_FILESZ, i, SEG_DATA);
        img_set(&m, P_MEMSZ, i, SEG_MEM);
        memset(m.buf + data + i * SEG_DATA, 0xA0 + (int)i, SEG_DATA);
    }
    return m;
}

static struct img mk_flat(const char *bytes, size_t len)
{
    struct img m = { .buf = malloc(len ? len : 1), .len = len };
    if (!m.buf)
        abort();
    memcpy(m.buf, bytes, len);
    return m;
}

static struct loader_opts opts(int mode, int64_t load, int64_t entry, uint64_t mem_limit)
{
    struct loader_opts o;
    loader_opts_init(&o);
    o.mode = mode, o.load_addr = load, o.entry = entry, o.mem_limit = mem_limit;
    return o;
}

static int load(struct img m, const struct loader_opts *o, struct boot_plan *p,
                struct loader_err *e)
{
    *e = (struct loader_err){ "" };
    return loader_load_buffer(m.buf, m.len, o, p, e);
}

#define NAMED(buf, base, suffix) (snprintf(buf, sizeof buf, "%s_%s", base, suffix), buf)

static void expect_fail(const char *name, struct img m, const struct loader_opts *o, int want_rc,
                        const char *want_msg)
{
    struct boot_plan p;
    struct loader_err e;
    char n[128];
    int rc = load(m, o, &p, &e);
    CHECK_INT(NAMED(n, name, "rc"), rc, want_rc);
    CHECK_CONTAINS(NAMED(n, name, "msg"), e.msg, want_msg);
    CHECK(NAMED(n, name, "plan_zeroed"), p.image == NULL && p.nseg == 0);
    boot_plan_free(&p);
}

static void test_elf_ok(void)
{
    struct loader_opts o = opts(-1, -1, -1, 0);
    struct boot_plan p;
    struct loader_err e;
    struct img m = mk_elf(32, 2);
    size_t len = m.len;
    CHECK_INT("elf32_rc", load(m, &o, &p, &e), 0);
    CHECK_INT("elf32_kind", p.kind, IMAGE_ELF32);
    CHECK_INT("elf32_mode", p.mode, CPU_MODE_PROTECTED);
    CHECK_INT("elf32_entry", p.entry, IMG_ENTRY);
    CHECK_INT("elf32_nseg", p.nseg, 2);
    CHECK_INT("elf32_seg1_gpa_is_paddr", p.seg[1].gpa, SEG_PADDR + 0x1000);
    CHECK_INT("elf32_seg1_filesz", p.seg[1].filesz, SEG_DATA);
    CHECK_INT("elf32_seg1_memsz", p.seg[1].memsz, SEG_MEM);
    CHECK("elf32_seg1_bytes",
          p.seg[1].file_off + SEG_DATA <= p.image_len && p.image[p.seg[1].file_off] == 0xA1);
    CHECK_INT("elf32_lowest", p.lowest, SEG_PADDR);
    CHECK_INT("elf32_highest", p.highest, SEG_PADDR + 0x1000 + SEG_MEM);
    CHECK_INT("elf32_image_len", p.image_len, len);
    boot_plan_free(&p);
    CHECK("elf32_free_zeroes", p.image == NULL && p.image_len == 0 && p.nseg == 0);

    /* A PT_NOTE and an empty PT_LOAD among real ones take no slot. */
    m = mk_elf(64, 4);
    img_set(&m, P_TYPE, 1, PT_NOTE);
    img_set(&m, P_FILESZ, 2, 0);
    img_set(&m, P_MEMSZ, 2, 0);
    img_set(&m, P_PADDR, 2, 0xffffffffffff0000ull); /* loaded nowhere: not checked */
    img_set(&m, P_PADDR, 0, 0x5000);
    CHECK_INT("elf64_rc", load(m, &o, &p, &e), 0);
    CHECK_INT("elf64_kind", p.kind, IMAGE_ELF64);
    CHECK_INT("elf64_mode", p.mode, CPU_MODE_LONG);
    CHECK_INT("elf64_entry", p.entry, IMG_ENTRY);
    CHECK_INT("elf64_nseg_skips_note_and_empty", p.nseg, 2);
    CHECK_INT("elf64_seg1_gpa", p.seg[1].gpa, SEG_PADDR + 0x3000);
    CHECK_INT("elf64_lowest", p.lowest, 0x5000);
    CHECK_INT("elf64_highest", p.highest, SEG_PADDR + 0x3000 + SEG_MEM);
    boot_plan_free(&p);

    m = mk_elf(64, BOOT_PLAN_MAX_SEGMENTS);
    CHECK_INT("elf64_max_segments_rc", load(m, &o, &p, &e), 0);
    CHECK_INT("elf64_max_segments_nseg", p.nseg, BOOT_PLAN_MAX_SEGMENTS);
    boot_plan_free(&p);

    o = opts(CPU_MODE_PROTECTED, 0x1234, 0x100010, 0x200000);
    CHECK_INT("elf64_override_rc", load(mk_elf(64, 1), &o, &p, &e), 0);
    CHECK_INT("elf64_override_mode", p.mode, CPU_MODE_PROTECTED);
    CHECK_INT("elf64_override_entry", p.entry, 0x100010);
    CHECK_INT("elf64_override_load_ignored", p.seg[0].gpa, SEG_PADDR);
    boot_plan_free(&p);
}

struct edit {
    enum field f;
    unsigned i;
    uint64_t v;
};
struct bad_case {
    const char *name;
    int cls;
    unsigned nph;
    size_t trunc; /* 0: keep the whole image */
    struct edit ed[2];
    uint64_t mem_limit;
    const char *msg;
};

static const struct bad_case bad_cases[] = {
    { "trunc_ident", 64, 1, 10, { { 0 } }, 0, "truncated ELF header: file is 0xa bytes" },
    { "trunc_ehdr32", 32, 1, 30, { { 0 } }, 0, "an ELF32 header needs 0x34" },
    { "trunc_ehdr64", 64, 1, 52, { { 0 } }, 0, "an ELF64 header needs 0x40" },
    { "bad_class",
      64,
      1,
      0,
      { { F_CLASS, 0, 3 } },
      0,
      "EI_CLASS] at offset 0x4 is 3: bad ELF class" },
    { "big_endian", 32, 1, 0, { { F_DATA, 0, ELFDATA2MSB } }, 0, "only little-endian" },
    { "elf32_machine",
      32,
      1,
      0,
      { { F_MACHINE, 0, EM_X86_64 } },
      0,
      "e_machine at offset 0x12 is 62 (x86-64): wrong machine, an ELF32 image must be 3 (i386)" },
    { "elf64_machine",
      64,
      1,
      0,
      { { F_MACHINE, 0, EM_AARCH64 } },
      0,
      "is 183 (AArch64): wrong machine, an ELF64 image must be 62 (x86-64)" },
    { "et_dyn", 64, 1, 0, { { F_TYPE, 0, ET_DYN } }, 0, "ET_DYN (3): position-independent" },
    { "et_rel",
      32,
      1,
      0,
      { { F_TYPE, 0, ET_REL } },
      0,
      "e_type at offset 0x10 is 1: not an executable" },
    { "phnum_zero", 64, 1, 0, { { F_PHNUM, 0, 0 } }, 0, "e_phnum at offset 0x38 is 0" },
    { "phnum_xnum", 32, 1, 0, { { F_PHNUM, 0, PN_XNUM } }, 0, "PN_XNUM" },
    { "phentsize",
      64,
      1,
      0,
      { { F_PHENTSIZE, 0, 0x20 } },
      0,
      "e_phentsize at offset 0x36 is 0x20, expected 0x38 for ELF64" },
    { "phdr_past_end",
      32,
      2,
      0,
      { { F_PHOFF, 0, 0x70 } },
      0,
      "program header table at e_phoff 0x70 (offset 0x1c), e_phnum 2 x 0x20 bytes, runs past end "
      "of file (0xa0 bytes)" },
    { "phoff_huge",
      64,
      1,
      0,
      { { F_PHOFF, 0, 0xffffffffffffffc8ull } },
      0,
      "runs past end of file" },
    { "phnum_past_end",
      64,
      2,
      0,
      { { F_PHNUM, 0, 3 } },
      0,
      "e_phnum 3 x 0x38 bytes, runs past end" },
    { "filesz_past_end",
      64,
      2,
      0,
      { { P_OFFSET, 1, 0x1000 }, { P_FILESZ, 1, 0x2000 } },
      0,
      "program header 1 at offset 0x78: p_offset 0x1000 + p_filesz 0x2000 runs past end of file "
      "(0xd0 bytes)" },
    { "offset_overflow",
      64,
      1,
      0,
      { { P_OFFSET, 0, UINT64_MAX - 4 } },
      0,
      "program header 0 at offset 0x40: p_offset 0xfffffffffffffffb + p_filesz 0x10 runs past "
      "end" },
    { "filesz_gt_memsz",
      32,
      1,
      0,
      { { P_MEMSZ, 0, 8 } },
      0,
      "program header 0 at offset 0x34: p_filesz 0x10 is larger than p_memsz 0x8" },
    { "outside_memory",
      32,
      2,
      0,
      { { P_PADDR, 1, 0xffff0000u } },
      16u << 20,
      "program header 1 at offset 0x54: p_paddr 0xffff0000 + p_memsz 0x20 ends at 0xffff0020, past "
      "guest memory (0x1000000 bytes): segment outside memory" },
    { "elf32_past_4g",
      32,
      1,
      0,
      { { P_PADDR, 0, 0xfffffff0u } },
      0,
      "p_paddr 0xfffffff0 + p_memsz 0x20: address overflow" },
    { "elf64_overflow",
      64,
      1,
      0,
      { { P_PADDR, 0, 0xfffffffffffff000ull }, { P_MEMSZ, 0, 0x2000 } },
      0,
      "address overflow" },
    { "too_many_segments",
      64,
      BOOT_PLAN_MAX_SEGMENTS + 1,
      0,
      { { 0 } },
      0,
      "program header 16 at offset 0x3c0: too many PT_LOAD segments, at most 16" },
    { "no_pt_load", 32, 1, 0, { { P_TYPE, 0, PT_NOTE } }, 0, "no PT_LOAD segment" },
    { "only_empty_load",
      64,
      1,
      0,
      { { P_FILESZ, 0, 0 }, { P_MEMSZ, 0, 0 } },
      0,
      "no PT_LOAD segment" },
    { "pt_interp", 64, 2, 0, { { P_TYPE, 1, PT_INTERP } }, 0, "PT_INTERP: dynamically linked" },
    { "pt_dynamic", 32, 2, 0, { { P_TYPE, 0, PT_DYNAMIC } }, 0, "PT_DYNAMIC: dynamically linked" },
};

static void test_elf_bad(void)
{
    for (size_t k = 0; k < ARRAY_SIZE(bad_cases); k++) {
        const struct bad_case *c = &bad_cases[k];
        struct img m = mk_elf(c->cls, c->nph);
        for (size_t j = 0; j < 2; j++)
            img_set(&m, c->ed[j].f, c->ed[j].i, c->ed[j].v);
        if (c->trunc)
            m.len = c->trunc;
        struct loader_opts o = opts(-1, -1, -1, c->mem_limit);
        expect_fail(c->name, m, &o, -EINVAL, c->msg);
    }
}

static void test_flat(void)
{
    struct loader_opts o = opts(-1, -1, -1, 0);
    struct boot_plan p;
    struct loader_err e;
    CHECK_INT("flat_rc", load(mk_flat("\xfa\xf4hello", 7), &o, &p, &e), 0);
    CHECK_INT("flat_kind", p.kind, IMAGE_FLAT);
    CHECK_INT("flat_mode", p.mode, CPU_MODE_REAL);
    CHECK_INT("flat_entry", p.entry, FLAT_DEFAULT_LOAD);
    CHECK_INT("flat_nseg", p.nseg, 1);
    CHECK("flat_seg", p.seg[0].gpa == FLAT_DEFAULT_LOAD && p.seg[0].file_off == 0 &&
                          p.seg[0].filesz == 7 && p.seg[0].memsz == 7);
    CHECK("flat_range", p.lowest == FLAT_DEFAULT_LOAD && p.highest == FLAT_DEFAULT_LOAD + 7);
    boot_plan_free(&p);

    CHECK_INT("flat_short_elf_magic_rc",
              load(mk_flat("\x7f"
                           "EL",
                           3),
                   &o, &p, &e),
              0);
    CHECK_INT("flat_short_elf_magic_kind", p.kind, IMAGE_FLAT);
    boot_plan_free(&p);

    o = opts(-1, 0x1000, 0x1004, 0);
    CHECK_INT("flat_load_entry_rc", load(mk_flat("abcdefgh", 8), &o, &p, &e), 0);
    CHECK("flat_load_entry", p.seg[0].gpa == 0x1000 && p.entry == 0x1004 && p.highest == 0x1008);
    boot_plan_free(&p);

    o = opts(CPU_MODE_LONG, 0x200000, -1, 0);
    CHECK_INT("flat_long_rc", load(mk_flat("abcd", 4), &o, &p, &e), 0);
    CHECK("flat_long", p.mode == CPU_MODE_LONG && p.entry == 0x200000 && p.lowest == 0x200000);
    boot_plan_free(&p);

    static char big[0x2000];
    o = opts(-1, 0xfe000, -1, 0);
    CHECK_INT("flat_real_fits_1m_rc", load(mk_flat(big, sizeof big), &o, &p, &e), 0);
    CHECK_INT("flat_real_fits_1m_highest", p.highest, 0x100000);
    boot_plan_free(&p);
    o = opts(-1, 0xff000, -1, 0);
    expect_fail("flat_real_crosses_1m", mk_flat(big, sizeof big), &o, -EINVAL,
                "flat image at 0xff000 of 0x2000 bytes ends at 0x101000, beyond the 1 MiB");
    o = opts(-1, -1, 0x100000, 0);
    expect_fail("real_entry_past_1m", mk_flat("ab", 2), &o, -EINVAL, "entry 0x100000 is beyond");
    o = opts(-1, -1, -1, 0x8000);
    expect_fail("flat_outside_memory", mk_flat(big, 0x1000), &o, -EINVAL,
                "ends at 0x8c00, past guest memory (0x8000 bytes): segment outside memory");
    o = opts(3, -1, -1, 0);
    expect_fail("mode_out_of_range", mk_flat("ab", 2), &o, -EINVAL, "cpu mode 3 out of range");
    o = opts(-1, -1, -1, 0);
    expect_fail("empty_buffer", mk_flat("", 0), &o, -EINVAL, "empty file");
    expect_fail("null_buffer", (struct img){ NULL, 0, 0 }, &o, -EINVAL, "empty file");
    CHECK_INT("null_opts_defaults", load(mk_flat("ab", 2), NULL, &p, &e), 0);
    CHECK_INT("null_opts_defaults_entry", p.entry, FLAT_DEFAULT_LOAD);
    boot_plan_free(&p);
}

static void write_file(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, data, len) != (ssize_t)len)
        abort();
    close(fd);
}

static void test_files(void)
{
    char dir[] = "/tmp/test_loader.XXXXXX", path[64];
    struct loader_opts o = opts(-1, -1, -1, 0);
    struct boot_plan p;
    struct loader_err e = { "" };
    if (!mkdtemp(dir))
        abort();

    struct img m = mk_elf(64, 2);
    snprintf(path, sizeof path, "%s/ok.elf", dir);
    write_file(path, m.buf, m.len);
    CHECK_INT("file_elf_rc", loader_load_file(path, &o, &p, &e), 0);
    CHECK("file_elf_plan", p.kind == IMAGE_ELF64 && p.nseg == 2 && p.image_len == m.len &&
                               memcmp(p.image, m.buf, m.len) == 0);
    boot_plan_free(&p);
    free(m.buf);
    unlink(path);

    snprintf(path, sizeof path, "%s/empty", dir);
    write_file(path, "", 0);
    CHECK_INT("file_empty_rc", loader_load_file(path, &o, &p, &e), -EINVAL);
    CHECK_STR("file_empty_msg", e.msg, "empty file");

    /* Sparse: refused from its size, before anything is read or allocated. */
    int fd = open(path, O_WRONLY);
    CHECK_INT("file_too_big_truncate", fd >= 0 && ftruncate(fd, (1ll << 30) + 1) == 0, 1);
    close(fd);
    CHECK_INT("file_too_big_rc", loader_load_file(path, &o, &p, &e), -EFBIG);
    CHECK_CONTAINS("file_too_big_msg", e.msg, "file too big");
    unlink(path);

    CHECK_INT("file_dir_rc", loader_load_file(dir, &o, &p, &e), -EISDIR);
    CHECK_STR("file_dir_msg", e.msg, "is a directory");
    snprintf(path, sizeof path, "%s/missing", dir);
    CHECK_INT("file_missing_rc", loader_load_file(path, &o, &p, &e), -ENOENT);
    CHECK_STR("file_missing_msg", e.msg, strerror(ENOENT));
    CHECK("file_missing_plan_zeroed", p.image == NULL);
    boot_plan_free(&p);
    rmdir(dir);
}

static void test_names(void)
{
    CHECK_STR("mode_name_real", cpu_mode_name(CPU_MODE_REAL), "real");
    CHECK_STR("mode_name_protected", cpu_mode_name(CPU_MODE_PROTECTED), "protected");
    CHECK_STR("mode_name_long", cpu_mode_name(CPU_MODE_LONG), "long");
    CHECK_STR("mode_name_bad", cpu_mode_name((enum cpu_mode)7), "?");
    CHECK_STR("kind_name_flat", image_kind_name(IMAGE_FLAT), "flat");
    CHECK_STR("kind_name_elf32", image_kind_name(IMAGE_ELF32), "ELF32");
    CHECK_STR("kind_name_elf64", image_kind_name(IMAGE_ELF64), "ELF64");
    CHECK_STR("kind_name_bad", image_kind_name((enum image_kind) - 1), "?");
    struct loader_opts o;
    loader_opts_init(&o);
    CHECK("opts_init", o.mode == -1 && o.load_addr == -1 && o.entry == -1 && o.mem_limit == 0);
    struct boot_plan p;
    memset(&p, 0, sizeof p);
    boot_plan_free(&p);
    boot_plan_free(NULL);
    CHECK("free_zeroed_plan", p.image == NULL);
}

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
    return *s;
}

/* Any plan that comes out of a mutated image must still be self-consistent. */
static int plan_sane(const struct boot_plan *p, uint64_t mem_limit)
{
    if (p->nseg == 0 || p->nseg > BOOT_PLAN_MAX_SEGMENTS || p->lowest >= p->highest)
        return 0;
    for (size_t i = 0; i < p->nseg; i++) {
        const struct boot_segment *s = &p->seg[i];
        if (s->file_off > p->image_len || s->filesz > p->image_len - s->file_off ||
            s->filesz > s->memsz || s->gpa > UINT64_MAX - s->memsz || s->gpa < p->lowest ||
            s->gpa + s->memsz > p->highest || (mem_limit && s->gpa + s->memsz > mem_limit))
            return 0;
    }
    return 1;
}

static void test_mutations(void)
{
    static const uint64_t magic[] = {
        0,          1,          0x7f,       0x80,           0xff,       0xffff,
        0x7fffffff, 0xffffffff, 0xfffffff0, 0x100000000ull, UINT64_MAX, UINT64_MAX - 7
    };
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    int ok = 0, failed = 0, insane = 0;
    for (int iter = 0; iter < 20000; iter++) {
        unsigned nph = 1 + (unsigned)(rng_next(&seed) % 4);
        struct img m = mk_elf(iter & 1 ? 64 : 32, nph);
        unsigned nflip = 1 + (unsigned)(rng_next(&seed) % 8);
        for (unsigned k = 0; k < nflip; k++) {
            uint64_t r = rng_next(&seed);
            if (r & 1)
                m.buf[(r >> 8) % m.len] ^= (uint8_t)(1u << ((r >> 4) % 8));
            else /* boundary values into header fields hit the arithmetic paths */
                img_set(&m, (enum field)(F_CLASS + (r >> 8) % (P_MEMSZ - F_CLASS + 1)),
                        (unsigned)((r >> 16) % nph), magic[(r >> 24) % (sizeof magic / 8)]);
        }
        if (rng_next(&seed) % 4 == 0)
            m.len = rng_next(&seed) % (m.len + 1);
        uint64_t mem_limit = rng_next(&seed) % 3 == 0 ? 0x101000 : 0;
        struct loader_opts o = opts(-1, -1, -1, mem_limit);
        struct boot_plan p;
        struct loader_err e;
        if (load(m, &o, &p, &e) == 0) {
            ok++;
            insane += !plan_sane(&p, mem_limit);
        } else {
            failed++;
            insane += e.msg[0] == '\0';
        }
        boot_plan_free(&p);
    }
    CHECK("mutations_some_load", ok > 0);
    CHECK("mutations_some_fail", failed > 0);
    CHECK_INT("mutations_plans_sane_and_errors_explained", insane, 0);
}

int main(void)
{
    test_elf_ok();
    test_elf_bad();
    test_flat();
    test_files();
    test_names();
    test_mutations();
    return CHECK_DONE();
}
