/* Flat binaries: the whole file is one segment at a fixed address. */
#include "loader/loader_priv.h"

#include <errno.h>

int flat_load(const uint8_t *img, size_t len, const struct loader_opts *o, enum cpu_mode mode,
              struct boot_plan *plan, struct loader_err *err)
{
    uint64_t load = o->load_addr >= 0 ? (uint64_t)o->load_addr : FLAT_DEFAULT_LOAD;
    uint64_t size = len, end;

    if (__builtin_add_overflow(load, size, &end))
        return loader_fail(err, -EINVAL, "flat image at 0x%llx of 0x%llx bytes: address overflow",
                           (unsigned long long)load, (unsigned long long)size);
    if (o->mem_limit && end > o->mem_limit)
        return loader_fail(err, -EINVAL,
                           "flat image at 0x%llx of 0x%llx bytes ends at 0x%llx, past guest "
                           "memory (0x%llx bytes): segment outside memory",
                           (unsigned long long)load, (unsigned long long)size,
                           (unsigned long long)end, (unsigned long long)o->mem_limit);
    /* The whole image must be addressable, not just the entry: real-mode code
     * cannot reach bytes above 1 MiB without switching modes first. */
    if (mode == CPU_MODE_REAL && end > REAL_MODE_LIMIT)
        return loader_fail(err, -EINVAL,
                           "flat image at 0x%llx of 0x%llx bytes ends at 0x%llx, beyond the "
                           "1 MiB (0x100000) real mode can address",
                           (unsigned long long)load, (unsigned long long)size,
                           (unsigned long long)end);

    plan->kind = IMAGE_FLAT;
    plan->entry = load;
    plan->nseg = 1;
    plan->seg[0] =
        (struct boot_segment){ .gpa = load, .file_off = 0, .filesz = size, .memsz = size };
    plan->lowest = load;
    plan->highest = end;
    return 0;
}
