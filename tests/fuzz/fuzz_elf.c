/* libFuzzer target: loader_load_buffer() on hostile images (ELF32, ELF64 and,
 * for anything without the ELF magic, flat binaries), under three sets of
 * command-line overrides.
 *
 * Besides whatever ASan/UBSan/LSan catch, a plan the loader accepts must be one
 * the VMM can copy without checking it again: every segment's file bytes inside
 * the image, filesz <= memsz, no address wrap, inside [lowest, highest) and
 * under mem_limit; a real-mode entry below 1 MiB. Each segment's file bytes are
 * read, so ASan sees any range that leaves the buffer. A refusal must come with
 * a message. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/boot_plan.h"

#define FUZZ_ASSERT(cond)                                                        \
    do {                                                                         \
        if (!(cond)) {                                                           \
            fprintf(stderr, "fuzz_elf: invariant broken: %s (line %d)\n", #cond, \
                    __LINE__);                                                   \
            abort();                                                             \
        }                                                                        \
    } while (0)

/* Keeps the compiler from dropping the reads of segment bytes. */
static volatile uint8_t sink;

static void check_plan(const struct boot_plan *p, const uint8_t *data, size_t size,
                       const struct loader_opts *o)
{
    uint8_t sum = 0;

    FUZZ_ASSERT(p->image_len == size);
    FUZZ_ASSERT(p->image != NULL && memcmp(p->image, data, size) == 0);
    FUZZ_ASSERT(p->nseg >= 1 && p->nseg <= BOOT_PLAN_MAX_SEGMENTS);
    FUZZ_ASSERT(p->kind == IMAGE_FLAT || p->kind == IMAGE_ELF32 || p->kind == IMAGE_ELF64);
    FUZZ_ASSERT(p->mode == CPU_MODE_REAL || p->mode == CPU_MODE_PROTECTED ||
                p->mode == CPU_MODE_LONG);
    FUZZ_ASSERT(p->lowest <= p->highest);
    if (o->mode >= 0)
        FUZZ_ASSERT(p->mode == (enum cpu_mode)o->mode);
    if (o->entry >= 0)
        FUZZ_ASSERT(p->entry == (uint64_t)o->entry);
    if (p->mode == CPU_MODE_REAL)
        FUZZ_ASSERT(p->entry < 0x100000);
    if (o->mem_limit)
        FUZZ_ASSERT(p->highest <= o->mem_limit);
    for (size_t i = 0; i < p->nseg; i++) {
        const struct boot_segment *s = &p->seg[i];
        uint64_t fend, mend;

        FUZZ_ASSERT(s->filesz <= s->memsz);
        FUZZ_ASSERT(!__builtin_add_overflow(s->file_off, s->filesz, &fend));
        FUZZ_ASSERT(fend <= p->image_len);
        FUZZ_ASSERT(!__builtin_add_overflow(s->gpa, s->memsz, &mend));
        FUZZ_ASSERT(s->gpa >= p->lowest && mend <= p->highest);
        if (p->kind == IMAGE_ELF32)
            FUZZ_ASSERT(mend <= (1ull << 32));
        for (uint64_t b = 0; b < s->filesz; b++)
            sum += p->image[s->file_off + b];
    }
    sink = sum;
}

static void load_once(const uint8_t *data, size_t size, const struct loader_opts *o)
{
    struct boot_plan plan;
    struct loader_err err;
    uint8_t *buf = malloc(size ? size : 1);
    int rc;

    FUZZ_ASSERT(buf != NULL);
    memcpy(buf, data, size);
    memset(&err, 0xa5, sizeof(err));   /* a refusal must write its message */
    rc = loader_load_buffer(buf, size, o, &plan, &err);
    if (rc == 0) {
        check_plan(&plan, data, size, o);
        boot_plan_free(&plan);
    } else {
        FUZZ_ASSERT(rc < 0 && rc > -4096);
        FUZZ_ASSERT(memchr(err.msg, '\0', sizeof(err.msg)) != NULL && err.msg[0] != '\0');
        FUZZ_ASSERT(plan.image == NULL && plan.nseg == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct loader_opts o;

    /* What `vmm IMAGE` does. */
    loader_opts_init(&o);
    load_once(data, size, &o);

    /* --mem 16M: segments must fit guest memory. */
    o.mem_limit = 16u << 20;
    load_once(data, size, &o);

    /* Overrides from the input's last bytes, so they are fuzzed too:
     * --mode, --load, --entry (flat images take load; everyone takes entry). */
    if (size >= 4) {
        const uint8_t *t = data + size - 4;

        loader_opts_init(&o);
        o.mode = t[0] % 4 - 1;
        o.load_addr = (int64_t)t[1] << 12;
        o.entry = t[2] & 1 ? (int64_t)t[3] << 16 : -1;
        o.mem_limit = t[2] & 2 ? 1u << 20 : 0;
        load_once(data, size, &o);
    }
    return 0;
}
