/* libFuzzer target: loader_load_buffer() on hostile images (ELF32, ELF64 and,
 * for anything without the ELF magic, flat binaries), under three sets of
 * command-line overrides. The checks are in plan_check.h. */
#include "tests/fuzz/plan_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct loader_opts o;

    /* What `vmm IMAGE` does. */
    loader_opts_init(&o);
    load_and_check(data, size, &o);

    /* --mem 16M: segments must fit guest memory. */
    o.mem_limit = 16u << 20;
    load_and_check(data, size, &o);

    /* --mode, --load, --entry, --mem from the input's last bytes, so that they
     * are fuzzed too. */
    if (size >= 4) {
        const uint8_t *t = data + size - 4;

        loader_opts_init(&o);
        o.mode = t[0] % 4 - 1;
        o.load_addr = (int64_t)t[1] << 12;
        o.entry = t[2] & 1 ? (int64_t)t[3] << 16 : -1;
        o.mem_limit = t[2] & 2 ? 1u << 20 : 0;
        load_and_check(data, size, &o);
    }
    return 0;
}
