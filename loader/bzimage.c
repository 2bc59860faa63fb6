/* Linux kernels: a bzImage by the x86 boot protocol (>= 2.06), or an uncompressed
 * vmlinux ELF64. Every header field is checked before it is used: the image may be
 * a truncated download or not a kernel at all, and the message names the offset. */
#include "loader/loader_priv.h"

#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <string.h>

#include "loader/bootparam.h"

/* Kernels before 2.10 do not say how much memory they need to decompress; the
 * protocol's advice for them is "several times the image". */
#define BZ_OLD_INIT_FACTOR 4u
#define BZ_OLD_LOAD_ADDR 0x100000u
#define BZ_OLD_INITRD_MAX 0x37ffffffu
#define BZ_OLD_CMDLINE_SIZE 255u
#define XEN_ELFNOTE_PHYS32_ENTRY 18u

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}
static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)rd16(p) | (uint32_t)rd16(p + 2) << 16;
}
static uint64_t rd64(const uint8_t *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

/* The magic as text for a message: printable bytes as they are, others as '.'. */
static void magic_text(const uint8_t *p, size_t avail, char out[5])
{
    size_t i;
    for (i = 0; i < 4 && i < avail; i++)
        out[i] = isprint(p[i]) ? (char)p[i] : '.';
    out[i] = '\0';
}

static int bz_check_header(const uint8_t *img, size_t len, struct loader_err *err)
{
    if (len < BP_HDR(version) + 2) {
        char m[5];
        magic_text(img + (len > BP_HDR(header) ? BP_HDR(header) : len),
                   len > BP_HDR(header) ? len - BP_HDR(header) : 0, m);
        return loader_fail(err, -EINVAL,
                           "bzImage header at 0x%x: file is 0x%zx bytes, too "
                           "short for a setup header (magic '%s', needs 0x%zx bytes)",
                           BP_HDR_OFFSET, len, m, (size_t)BP_HDR(version) + 2);
    }
    uint32_t magic = rd32(img + BP_HDR(header));
    if (magic != BP_HDRS_MAGIC) {
        char m[5];
        magic_text(img + BP_HDR(header), 4, m);
        return loader_fail(err, -EINVAL,
                           "bzImage header at 0x%zx: magic '%s' (0x%08x) is not "
                           "'HdrS': not a Linux bzImage",
                           (size_t)BP_HDR(header), m, magic);
    }
    uint16_t version = rd16(img + BP_HDR(version));
    if (version < BP_MIN_VERSION)
        return loader_fail(err, -EINVAL,
                           "bzImage header at 0x%zx: boot protocol version "
                           "%u.%02u is older than 2.06, the oldest supported (kernels since "
                           "2.6.22)",
                           (size_t)BP_HDR(version), version >> 8, version & 0xff);
    uint16_t flag = rd16(img + BP_HDR(boot_flag));
    if (flag != BP_BOOT_FLAG)
        return loader_fail(err, -EINVAL,
                           "bzImage header at 0x%zx: boot_flag 0x%04x is not "
                           "0xaa55",
                           (size_t)BP_HDR(boot_flag), flag);
    return 0;
}

/* Where the protected-mode kernel starts and how long it is. */
static int bz_check_setup(const uint8_t *img, size_t len, struct boot_linux *k,
                          struct loader_err *err)
{
    unsigned sects = img[BP_HDR(setup_sects)];
    if (sects == 0)
        sects = BP_DEFAULT_SETUP_SECTS;
    /* The boot sector and setup share the 32 KiB below the real-mode heap. */
    if (sects > BP_MAX_SETUP_SECTS)
        return loader_fail(err, -EINVAL,
                           "bzImage header at 0x%x: setup_sects %u is too big: "
                           "the boot sector and setup (0x%x bytes) must fit in 0x8000",
                           BP_HDR_OFFSET, sects, (sects + 1) * BP_SECTOR);
    uint64_t pm_off = (uint64_t)(sects + 1) * BP_SECTOR; /* at most 0x8000: no overflow */
    if (pm_off >= len)
        return loader_fail(err, -EINVAL,
                           "bzImage header at 0x%x: setup_sects %u puts the "
                           "protected-mode kernel at 0x%llx, but the file is 0x%zx bytes: "
                           "truncated setup",
                           BP_HDR_OFFSET, sects, (unsigned long long)pm_off, len);
    uint64_t pm_size = len - pm_off;
    uint64_t syssize = (uint64_t)rd32(img + BP_HDR(syssize)) * 16;
    if (syssize > pm_size)
        return loader_fail(err, -EINVAL,
                           "bzImage header at 0x%zx: syssize says 0x%llx bytes of "
                           "protected-mode kernel, the file has 0x%llx after the setup: "
                           "truncated kernel",
                           (size_t)BP_HDR(syssize), (unsigned long long)syssize,
                           (unsigned long long)pm_size);
    k->pm_offset = pm_off;
    k->pm_size = pm_size;
    return 0;
}

/* The protocol's fields, with the documented defaults for older versions. */
static void bz_read_fields(const uint8_t *img, size_t len, struct boot_linux *k)
{
    size_t hdr_end = BP_HDR(jump) + 2 + (size_t)img[BP_HDR(jump) + 1];
    if (hdr_end > len)
        hdr_end = len;
    k->hdr_len = (uint32_t)(hdr_end - BP_HDR_OFFSET);
    if (k->hdr_len > BOOT_LINUX_HDR_MAX)
        k->hdr_len = BOOT_LINUX_HDR_MAX;
    memcpy(k->hdr, img + BP_HDR_OFFSET, k->hdr_len);

    uint16_t v = rd16(img + BP_HDR(version));
    k->version = v;
    /* A field exists when the header reaches it and the version defines it. */
#define HAS(field, ver) \
    (v >= (ver) && hdr_end >= BP_HDR(field) + sizeof(((struct bp_setup_header *)0)->field))
    k->initrd_addr_max =
        HAS(initrd_addr_max, 0x203) ? rd32(img + BP_HDR(initrd_addr_max)) : BZ_OLD_INITRD_MAX;
    k->kernel_alignment = HAS(kernel_alignment, 0x205) ? rd32(img + BP_HDR(kernel_alignment)) : 0;
    k->relocatable = HAS(relocatable_kernel, 0x205) ? img[BP_HDR(relocatable_kernel)] != 0 : 0;
    k->cmdline_size =
        HAS(cmdline_size, 0x206) ? rd32(img + BP_HDR(cmdline_size)) : BZ_OLD_CMDLINE_SIZE;
    k->xloadflags = HAS(xloadflags, 0x20c) ? rd16(img + BP_HDR(xloadflags)) : 0;
    k->pref_address =
        HAS(pref_address, 0x20a) ? rd64(img + BP_HDR(pref_address)) : BZ_OLD_LOAD_ADDR;
    k->init_size = HAS(init_size, 0x20a) ? rd32(img + BP_HDR(init_size)) : 0;
#undef HAS
}

/* Load address: pref_address, which a relocatable kernel also accepts; init_size
 * bytes from there must lie in guest memory. */
static int bz_place(struct boot_linux *k, const struct loader_opts *o, struct loader_err *err)
{
    uint64_t need = k->init_size;
    if (need == 0) {
        if (__builtin_mul_overflow(k->pm_size, (uint64_t)BZ_OLD_INIT_FACTOR, &need))
            need = UINT64_MAX;
    }
    if (need < k->pm_size)
        need = k->pm_size;
    k->load_addr = k->pref_address;
    if (k->kernel_alignment && (k->kernel_alignment & (k->kernel_alignment - 1)) == 0 &&
        (k->load_addr & (k->kernel_alignment - 1)))
        return loader_fail(err, -EINVAL,
                           "bzImage header at 0x%zx: pref_address 0x%llx is not "
                           "aligned to kernel_alignment 0x%x",
                           (size_t)BP_HDR(pref_address), (unsigned long long)k->load_addr,
                           k->kernel_alignment);
    uint64_t end;
    if (__builtin_add_overflow(k->load_addr, need, &end) || end > (1ull << 32))
        return loader_fail(err, -EINVAL,
                           "bzImage header at 0x%zx: the kernel at 0x%llx with "
                           "init_size 0x%llx does not fit below 4 GiB",
                           (size_t)BP_HDR(init_size), (unsigned long long)k->load_addr,
                           (unsigned long long)need);
    if (o->mem_limit && end > o->mem_limit)
        return loader_fail(err, -EINVAL,
                           "bzImage header at 0x%zx: the kernel at 0x%llx needs "
                           "0x%llx bytes (init_size) up to 0x%llx, past guest memory (0x%llx "
                           "bytes): give more --mem",
                           (size_t)BP_HDR(init_size), (unsigned long long)k->load_addr,
                           (unsigned long long)need, (unsigned long long)end,
                           (unsigned long long)o->mem_limit);
    k->init_size = (uint32_t)(need > UINT32_MAX ? UINT32_MAX : need);
    return 0;
}

int bzimage_load(const uint8_t *img, size_t len, const struct loader_opts *o,
                 struct boot_plan *plan, struct loader_err *err)
{
    struct boot_linux *k = &plan->kernel;
    int rc = bz_check_header(img, len, err);
    if (rc == 0)
        rc = bz_check_setup(img, len, k, err);
    if (rc)
        return rc;
    bz_read_fields(img, len, k);
    if ((rc = bz_place(k, o, err)) != 0)
        return rc;

    k->present = 1;
    k->entry64 = k->load_addr + BP_ENTRY64_OFFSET;
    k->entry32 = k->load_addr;
    if (o->linux_entry == 32) {
        plan->mode = CPU_MODE_PROTECTED;
        plan->entry = k->entry32;
    } else {
        if (!(k->xloadflags & BP_XLF_KERNEL_64))
            return loader_fail(err, -EINVAL,
                               "bzImage header at 0x%zx: xloadflags 0x%x lacks "
                               "bit 0 (XLF_KERNEL_64, protocol %u.%02u): no 64-bit entry, try "
                               "--linux-entry 32",
                               (size_t)BP_HDR(xloadflags), k->xloadflags, k->version >> 8,
                               k->version & 0xff);
        plan->mode = CPU_MODE_LONG;
        plan->entry = k->entry64;
    }
    plan->kind = IMAGE_BZIMAGE;
    plan->nseg = 1;
    plan->seg[0] = (struct boot_segment){
        .gpa = k->load_addr, .file_off = k->pm_offset, .filesz = k->pm_size, .memsz = k->init_size
    };
    plan->lowest = k->load_addr;
    plan->highest = k->load_addr + k->init_size;
    return 0;
}

/* The PVH entry note of a vmlinux, if it has one: a 32-bit physical address. */
static uint64_t vmlinux_pvh_entry(const uint8_t *img, size_t len)
{
    Elf64_Ehdr eh;
    memcpy(&eh, img, sizeof eh); /* elf_load checked the header and table bounds */
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph;
        memcpy(&ph, img + eh.e_phoff + (uint64_t)i * sizeof ph, sizeof ph);
        uint64_t end;
        if (ph.p_type != PT_NOTE || __builtin_add_overflow(ph.p_offset, ph.p_filesz, &end) ||
            end > len)
            continue;
        uint64_t off = ph.p_offset;
        while (end - off >= 12) {
            uint32_t namesz = rd32(img + off), descsz = rd32(img + off + 4);
            uint32_t type = rd32(img + off + 8);
            uint64_t name = off + 12, desc = name + ((namesz + 3ull) & ~3ull);
            uint64_t next = desc + ((descsz + 3ull) & ~3ull);
            if (next > end)
                break;
            if (type == XEN_ELFNOTE_PHYS32_ENTRY && namesz == 4 &&
                memcmp(img + name, "Xen", 4) == 0 && descsz >= 4)
                return descsz >= 8 ? rd64(img + desc) : rd32(img + desc);
            off = next;
        }
    }
    return 0;
}

int vmlinux_load(const uint8_t *img, size_t len, const struct loader_opts *o,
                 struct boot_plan *plan, struct loader_err *err)
{
    int rc = elf_load(img, len, o, 0, plan, err);
    if (rc)
        return rc;
    if (plan->kind != IMAGE_ELF64)
        return loader_fail(err, -EINVAL,
                           "e_ident[EI_CLASS] at offset 0x%x: a vmlinux for "
                           "--linux must be ELF64 (x86-64), this is %s",
                           EI_CLASS, image_kind_name(plan->kind));
    if (o->linux_entry == 32)
        return loader_fail(err, -EINVAL,
                           "--linux-entry 32 needs a bzImage; a vmlinux is "
                           "entered at its 64-bit e_entry");
    struct boot_linux *k = &plan->kernel;
    k->present = 1;
    k->load_addr = plan->lowest;
    k->pref_address = plan->lowest;
    k->init_size =
        (uint32_t)(plan->highest - plan->lowest > UINT32_MAX ? UINT32_MAX
                                                             : plan->highest - plan->lowest);
    k->initrd_addr_max = BZ_OLD_INITRD_MAX;
    k->cmdline_size = 2048;
    k->xloadflags = BP_XLF_KERNEL_64;
    k->entry64 = plan->entry;
    k->pvh_entry = vmlinux_pvh_entry(img, len);
    plan->mode = CPU_MODE_LONG;
    return 0;
}
