/* Multiboot 1 kernels: the header in the first 8 KiB, loaded as GRUB loads them.
 * An ELF (32- or 64-bit) is loaded by its PT_LOAD segments, whatever other headers
 * a host toolchain added; with the a.out kludge (flags bit 16) the header's own
 * address fields say what to load. The VMM builds the info structure. */
#include "loader/loader_priv.h"

#include <elf.h>
#include <errno.h>
#include <string.h>

#define MB_HDR_MIN 12  /* magic, flags, checksum */
#define MB_HDR_ADDR 32 /* ... header_addr, load_addr, load_end, bss_end, entry */
#define MB_SUPPORTED (MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO | MULTIBOOT_VIDEO_MODE)

static uint32_t rd32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

long multiboot_find(const uint8_t *img, size_t len)
{
    size_t end = len < MULTIBOOT_SEARCH ? len : MULTIBOOT_SEARCH;
    for (size_t off = 0; off + MB_HDR_MIN <= end; off += 4) {
        uint32_t magic = rd32(img + off), flags = rd32(img + off + 4), sum = rd32(img + off + 8);
        if (magic == MULTIBOOT_HEADER_MAGIC && (uint32_t)(magic + flags + sum) == 0)
            return (long)off;
    }
    return -1;
}

/* The a.out kludge: [load_addr, load_end_addr) comes from the file at the offset
 * where the header's own address says it lies; then zeros up to bss_end_addr. */
static int aout_load(const uint8_t *img, size_t len, size_t off, const struct loader_opts *o,
                     struct boot_plan *plan, struct loader_err *err)
{
    if (off + MB_HDR_ADDR > len)
        return loader_fail(err, -EINVAL,
                           "multiboot header at 0x%zx: flags bit 16 (a.out kludge) needs the "
                           "address fields, but the file ends at 0x%zx",
                           off, len);
    const uint8_t *h = img + off;
    uint32_t hdr = rd32(h + 12), load = rd32(h + 16), load_end = rd32(h + 20);
    uint32_t bss_end = rd32(h + 24), entry = rd32(h + 28);
    if (load > hdr || hdr - load > off)
        return loader_fail(err, -EINVAL,
                           "multiboot header at 0x%zx: load_addr 0x%x and header_addr 0x%x put "
                           "the start of the image before the start of the file",
                           off, load, hdr);
    uint64_t file_off = off - (hdr - load);
    uint64_t size = load_end ? (uint64_t)load_end - load : len - file_off;
    if (load_end && load_end < load)
        return loader_fail(err, -EINVAL,
                           "multiboot header at 0x%zx: load_end_addr 0x%x is below load_addr 0x%x",
                           off, load_end, load);
    if (file_off + size > len)
        return loader_fail(err, -EINVAL,
                           "multiboot header at 0x%zx: load_end_addr 0x%x needs 0x%llx bytes of "
                           "file from offset 0x%llx, the file is 0x%zx bytes",
                           off, load_end, (unsigned long long)size, (unsigned long long)file_off,
                           len);
    uint64_t end = (uint64_t)load + size;
    if (bss_end && bss_end < end)
        return loader_fail(err, -EINVAL,
                           "multiboot header at 0x%zx: bss_end_addr 0x%x is below the loaded "
                           "image's end 0x%llx",
                           off, bss_end, (unsigned long long)end);
    if (bss_end)
        end = bss_end;
    if (o->mem_limit && end > o->mem_limit)
        return loader_fail(err, -EINVAL,
                           "multiboot header at 0x%zx: the image ends at 0x%llx, past guest "
                           "memory (0x%llx bytes)",
                           off, (unsigned long long)end, (unsigned long long)o->mem_limit);
    if (entry < load || entry >= end)
        return loader_fail(err, -EINVAL,
                           "multiboot header at 0x%zx: entry_addr 0x%x is outside the loaded "
                           "image [0x%x, 0x%llx)",
                           off, entry, load, (unsigned long long)end);
    plan->seg[0] = (struct boot_segment){
        .gpa = load, .file_off = file_off, .filesz = size, .memsz = end - load
    };
    plan->nseg = 1;
    plan->kind = IMAGE_FLAT;
    plan->entry = entry;
    plan->lowest = load;
    plan->highest = end;
    return 0;
}

int multiboot_load(const uint8_t *img, size_t len, size_t off, const struct loader_opts *o,
                   struct boot_plan *plan, struct loader_err *err)
{
    uint32_t flags = rd32(img + off + 4);
    uint32_t unknown = flags & 0xffff & ~MB_SUPPORTED;
    if (unknown)
        return loader_fail(err, -EINVAL,
                           "multiboot header at 0x%zx: flags 0x%x require features this loader "
                           "lacks (bits 0x%x; it offers 0-2 and 16)",
                           off, flags, unknown);
    int rc;
    if (flags & MULTIBOOT_AOUT_KLUDGE)
        rc = aout_load(img, len, off, o, plan, err);
    else if (len >= SELFMAG && memcmp(img, ELFMAG, SELFMAG) == 0)
        rc = elf_load(img, len, o, ELF_ANY_LINK, plan, err);
    else
        return loader_fail(err, -EINVAL,
                           "multiboot header at 0x%zx: not an ELF, and flags 0x%x lack bit 16 "
                           "(the a.out kludge's address fields): nothing says where to load it",
                           off, flags);
    if (rc)
        return rc;
    if (plan->entry > 0xffffffffull)
        return loader_fail(err, -EINVAL,
                           "multiboot kernel: entry 0x%llx is above 4 GiB, unreachable from "
                           "32-bit protected mode",
                           (unsigned long long)plan->entry);
    plan->mode = CPU_MODE_PROTECTED; /* an ELF64 too: its entry is 32-bit code */
    plan->mb = (struct boot_multiboot){ .present = 1, .header_off = (uint32_t)off, .flags = flags };
    return 0;
}
