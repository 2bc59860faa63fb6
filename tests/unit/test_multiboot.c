/* The loader's multiboot and boot-sector paths, from hand-made images: where the
 * header may lie, the checksum, ELF with PT_INTERP/PIE, the a.out kludge and its
 * address checks, required flags, and sector 0's 55AA signature. No KVM needed. */
#include "loader/boot_plan.h"
#include "tests/unit/check.h"

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#define MB_OFF 0x100u
#define LOAD 0x100000u

static void put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

static void mb_header(uint8_t *p, uint32_t flags)
{
    put32(p, MULTIBOOT_HEADER_MAGIC);
    put32(p + 4, flags);
    put32(p + 8, (uint32_t) - (MULTIBOOT_HEADER_MAGIC + flags));
}

/* An ELF32 (type TYPE) with a PT_INTERP before its one PT_LOAD (0x200 bytes of file
 * at LOAD) and, when MB, a multiboot header at MB_OFF. */
static uint8_t *elf_image(size_t *len, uint16_t type, int mb)
{
    *len = 0x400;
    uint8_t *b = calloc(1, *len);
    Elf32_Ehdr *e = (Elf32_Ehdr *)b;
    memcpy(e->e_ident, ELFMAG, SELFMAG);
    e->e_ident[EI_CLASS] = ELFCLASS32;
    e->e_ident[EI_DATA] = ELFDATA2LSB;
    e->e_ident[EI_VERSION] = EV_CURRENT;
    e->e_type = type;
    e->e_machine = EM_386;
    e->e_version = EV_CURRENT;
    e->e_entry = LOAD + 0x10;
    e->e_phoff = sizeof(*e);
    e->e_ehsize = sizeof(*e);
    e->e_phentsize = sizeof(Elf32_Phdr);
    e->e_phnum = 2;
    Elf32_Phdr *ph = (Elf32_Phdr *)(b + sizeof(*e));
    ph[0] = (Elf32_Phdr){ .p_type = PT_INTERP, .p_offset = 0x300, .p_filesz = 0x13 };
    ph[1] = (Elf32_Phdr){ .p_type = PT_LOAD,
                          .p_offset = 0x100,
                          .p_vaddr = LOAD,
                          .p_paddr = LOAD,
                          .p_filesz = 0x200,
                          .p_memsz = 0x1000 };
    memcpy(b + 0x300, "/lib/ld-linux.so.2", 0x13);
    if (mb)
        mb_header(b + MB_OFF, MULTIBOOT_MEMORY_INFO);
    return b;
}

/* A flat kernel with the a.out kludge: the header at MB_OFF, the image from file
 * offset 0 at LOAD, 0x400 bytes of file, bss to LOAD + 0x2000. */
static uint8_t *aout_image(size_t *len, uint32_t flags, uint32_t entry)
{
    *len = 0x400;
    uint8_t *b = calloc(1, *len);
    mb_header(b + MB_OFF, flags);
    put32(b + MB_OFF + 12, LOAD + MB_OFF); /* header_addr */
    put32(b + MB_OFF + 16, LOAD);          /* load_addr */
    put32(b + MB_OFF + 20, LOAD + 0x400);  /* load_end_addr */
    put32(b + MB_OFF + 24, LOAD + 0x2000); /* bss_end_addr */
    put32(b + MB_OFF + 28, entry);
    return b;
}

static int load(uint8_t *buf, size_t len, int mode, struct boot_plan *p, struct loader_err *e)
{
    struct loader_opts o;
    loader_opts_init(&o);
    o.mode = mode;
    memset(e, 0, sizeof(*e));
    return loader_load_buffer(buf, len, &o, p, e);
}

static void test_elf(void)
{
    uint8_t *b;
    struct boot_plan p;
    struct loader_err e;
    size_t len;
    b = elf_image(&len, ET_EXEC, 1);
    int rc = load(b, len, -1, &p, &e);
    CHECK_INT("mb_elf_interp_loads", rc, 0);
    CHECK_INT("mb_elf_present", p.mb.present, 1);
    CHECK_INT("mb_elf_header_off", p.mb.header_off, MB_OFF);
    CHECK_INT("mb_elf_mode", p.mode, CPU_MODE_PROTECTED);
    CHECK_INT("mb_elf_entry", p.entry, LOAD + 0x10);
    CHECK_INT("mb_elf_one_segment", p.nseg, 1);
    CHECK_INT("mb_elf_memsz", p.seg[0].memsz, 0x1000);
    boot_plan_free(&p);

    b = elf_image(&len, ET_DYN, 1);

    rc = load(b, len, -1, &p, &e);
    CHECK_INT("mb_elf_pie_loads", rc, 0);
    CHECK_INT("mb_elf_pie_gpa", p.seg[0].gpa, LOAD);
    boot_plan_free(&p);

    b = elf_image(&len, ET_EXEC, 0);

    rc = load(b, len, -1, &p, &e);
    CHECK_INT("plain_elf_interp_refused", rc, -EINVAL);
    CHECK_CONTAINS("plain_elf_interp_message", e.msg, "PT_INTERP: dynamically linked");

    /* a wrong checksum is no header: the ELF is then a plain, dynamic one */
    b = elf_image(&len, ET_EXEC, 1);
    b[MB_OFF + 8] ^= 1;
    rc = load(b, len, -1, &p, &e);
    CHECK_INT("mb_bad_checksum_is_no_header", rc, -EINVAL);
    CHECK_CONTAINS("mb_bad_checksum_message", e.msg, "PT_INTERP");
}

static void test_aout(void)
{
    uint8_t *b;
    struct boot_plan p;
    struct loader_err e;
    size_t len;
    b = aout_image(&len, MULTIBOOT_AOUT_KLUDGE, LOAD + 0x200);
    int rc = load(b, len, -1, &p, &e);
    CHECK_INT("mb_aout_loads", rc, 0);
    CHECK_INT("mb_aout_present", p.mb.present, 1);
    CHECK_INT("mb_aout_gpa", p.seg[0].gpa, LOAD);
    CHECK_INT("mb_aout_file_off", p.seg[0].file_off, 0);
    CHECK_INT("mb_aout_filesz", p.seg[0].filesz, 0x400);
    CHECK_INT("mb_aout_memsz_bss", p.seg[0].memsz, 0x2000);
    CHECK_INT("mb_aout_entry", p.entry, LOAD + 0x200);
    CHECK_INT("mb_aout_mode", p.mode, CPU_MODE_PROTECTED);
    boot_plan_free(&p);

    b = aout_image(&len, MULTIBOOT_AOUT_KLUDGE, LOAD + 0x3000);

    rc = load(b, len, -1, &p, &e);
    CHECK_INT("mb_aout_entry_outside", rc, -EINVAL);
    CHECK_CONTAINS("mb_aout_entry_outside_message", e.msg,
                   "multiboot header at 0x100: entry_addr 0x103000 is outside the loaded image");

    b = aout_image(&len, MULTIBOOT_AOUT_KLUDGE, LOAD + 0x200);
    put32(b + MB_OFF + 20, LOAD + 0x800); /* load_end past the file */
    rc = load(b, len, -1, &p, &e);
    CHECK_INT("mb_aout_short_file", rc, -EINVAL);
    CHECK_CONTAINS("mb_aout_short_file_message", e.msg, "the file is 0x400 bytes");

    b = aout_image(&len, MULTIBOOT_AOUT_KLUDGE | 0x10, LOAD);

    rc = load(b, len, -1, &p, &e);
    CHECK_INT("mb_unknown_flag", rc, -EINVAL);
    CHECK_CONTAINS("mb_unknown_flag_message", e.msg,
                   "flags 0x10010 require features this loader lacks (bits 0x10");

    b = aout_image(&len, 0, LOAD);

    rc = load(b, len, -1, &p, &e);
    CHECK_INT("mb_no_elf_no_kludge", rc, -EINVAL);
    CHECK_CONTAINS("mb_no_elf_no_kludge_message", e.msg, "nothing says where to load it");

    /* --mode: the image is what the user says, header or not */
    b = aout_image(&len, MULTIBOOT_AOUT_KLUDGE, LOAD + 0x200);
    rc = load(b, len, CPU_MODE_REAL, &p, &e);
    CHECK_INT("mb_mode_override_loads_flat", rc, 0);
    CHECK_INT("mb_mode_override_not_multiboot", p.mb.present, 0);
    boot_plan_free(&p);

    /* the header must start in the first 8 KiB */
    len = MULTIBOOT_SEARCH + 0x100;
    b = calloc(1, len);
    mb_header(b + MULTIBOOT_SEARCH, MULTIBOOT_AOUT_KLUDGE);
    rc = load(b, len, -1, &p, &e);
    CHECK_INT("mb_past_8k_is_flat", rc, 0);
    CHECK_INT("mb_past_8k_not_multiboot", p.mb.present, 0);
    CHECK_INT("mb_past_8k_real_mode", p.mode, CPU_MODE_REAL);
    boot_plan_free(&p);
}

static int write_file(const char *path, const uint8_t *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = fwrite(data, 1, len, f);
    return fclose(f) == 0 && n == len ? 0 : -1;
}

static void test_boot_sector(void)
{
    char path[] = "/tmp/mkvm-bootsector.XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return;
    close(fd);
    uint8_t sec[700] = { 0xeb, 0xfe };
    sec[510] = 0x55;
    sec[511] = 0xaa;
    struct boot_plan p;
    struct loader_err e = { { 0 } };
    write_file(path, sec, sizeof(sec)); /* not a whole number of sectors: still a disk */
    int rc = loader_load_boot_sector(path, &p, &e);
    CHECK_INT("bootsector_loads", rc, 0);
    CHECK_INT("bootsector_mode", p.mode, CPU_MODE_REAL);
    CHECK_INT("bootsector_at_7c00", p.seg[0].gpa, 0x7c00);
    CHECK_INT("bootsector_one_sector", p.seg[0].filesz, 512);
    CHECK_INT("bootsector_entry", p.entry, 0x7c00);
    CHECK_INT("bootsector_bytes", p.image[0], 0xeb);
    boot_plan_free(&p);

    sec[511] = 0xab;
    write_file(path, sec, sizeof(sec));
    rc = loader_load_boot_sector(path, &p, &e);
    CHECK_INT("bootsector_no_signature", rc, -EINVAL);
    CHECK_STR("bootsector_no_signature_message", e.msg,
              "sector 0 has no boot signature 55AA at offset 510 (found 55AB)");

    write_file(path, sec, 100);
    rc = loader_load_boot_sector(path, &p, &e);
    CHECK_INT("bootsector_short", rc, -EINVAL);
    CHECK_CONTAINS("bootsector_short_message", e.msg, "the file is shorter than a sector");

    write_file(path, sec, 0);
    rc = loader_load_boot_sector(path, &p, &e);
    CHECK_INT("bootsector_empty", rc, -EINVAL);
    CHECK_STR("bootsector_empty_message", e.msg, "empty file: no sector 0 to boot");
    unlink(path);

    rc = loader_load_boot_sector("/nonexistent/disk.img", &p, &e);
    CHECK_INT("bootsector_missing", rc, -ENOENT);
}

int main(void)
{
    test_elf();
    test_aout();
    test_boot_sector();
    return CHECK_DONE();
}
