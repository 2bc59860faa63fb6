/* libFuzzer target: loader_load_buffer() with --linux on hostile kernels: a
 * bzImage (boot protocol setup header) or, with the ELF magic, a vmlinux ELF64
 * (PT_NOTE walk for the PVH entry). The checks are in plan_check.h; the
 * --linux-entry choice and --mem come from the input's last byte. */
#include "tests/fuzz/plan_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int entries[] = { 0, 64, 32, 16 }; /* 16: refused by the dispatcher */
    struct loader_opts o;
    uint8_t t = size ? data[size - 1] : 0;

    /* `vmm --linux KERNEL` with default memory... */
    loader_opts_init(&o);
    o.linux_kernel = 1;
    load_and_check(data, size, &o);

    /* ...and with what the last byte picks. */
    o.linux_entry = entries[t & 3];
    o.mem_limit = t & 4 ? 64u << 20 : t & 8 ? 1ull << 32 : 0;
    load_and_check(data, size, &o);
    return 0;
}
