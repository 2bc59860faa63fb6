/* The oracle of the loader fuzzers: loads one input under given options and
 * checks what loader_load_buffer() answers. A plan it accepts must be one the VMM
 * can copy without checking again: every segment's file bytes inside the image,
 * filesz <= memsz, no address wrap, inside [lowest, highest) and under
 * mem_limit; a real-mode entry below 1 MiB; overrides applied. Each segment's
 * file bytes are read, so ASan sees any range that leaves the buffer. A refusal
 * must come with a message and leave an empty plan. Header-only, for one fuzzer. */
#ifndef FUZZ_PLAN_CHECK_H
#define FUZZ_PLAN_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader/boot_plan.h"

#define FUZZ_ASSERT(cond) \
    do { \
        if (!(cond)) { \
            fprintf(stderr, "fuzz: invariant broken: %s (%s line %d)\n", #cond, __FILE__, \
                    __LINE__); \
            abort(); \
        } \
    } while (0)

/* Keeps the compiler from dropping the reads of segment bytes. */
static volatile uint8_t plan_check_sink;

/* What only Linux plans promise (--linux). */
static void check_linux(const struct boot_plan *p, const struct loader_opts *o)
{
    const struct boot_linux *k = &p->kernel;

    FUZZ_ASSERT(k->present == 1);
    FUZZ_ASSERT(k->hdr_len <= BOOT_LINUX_HDR_MAX);
    FUZZ_ASSERT(p->kind == IMAGE_BZIMAGE || p->kind == IMAGE_ELF64);
    FUZZ_ASSERT(p->entry == k->entry64 || p->entry == k->entry32);
    if (p->kind == IMAGE_ELF64) {
        FUZZ_ASSERT(p->mode == CPU_MODE_LONG && o->linux_entry != 32);
        return;
    }
    FUZZ_ASSERT(p->nseg == 1);
    FUZZ_ASSERT(k->pm_offset + k->pm_size == p->image_len);
    FUZZ_ASSERT(p->seg[0].file_off == k->pm_offset && p->seg[0].filesz == k->pm_size);
    FUZZ_ASSERT(p->seg[0].gpa == k->load_addr && p->seg[0].memsz == k->init_size);
    FUZZ_ASSERT(p->highest <= (1ull << 32));
    if (o->linux_entry == 32)
        FUZZ_ASSERT(p->mode == CPU_MODE_PROTECTED && p->entry == k->entry32);
    else
        FUZZ_ASSERT(p->mode == CPU_MODE_LONG && p->entry == k->entry64 && (k->xloadflags & 1));
}

static void check_plan(const struct boot_plan *p, const uint8_t *data, size_t size,
                       const struct loader_opts *o)
{
    uint8_t sum = 0;

    FUZZ_ASSERT(p->image_len == size);
    FUZZ_ASSERT(p->image != NULL && memcmp(p->image, data, size) == 0);
    FUZZ_ASSERT(p->nseg >= 1 && p->nseg <= BOOT_PLAN_MAX_SEGMENTS);
    FUZZ_ASSERT(p->mode == CPU_MODE_REAL || p->mode == CPU_MODE_PROTECTED ||
                p->mode == CPU_MODE_LONG);
    FUZZ_ASSERT(p->lowest <= p->highest);
    if (o->mem_limit)
        FUZZ_ASSERT(p->highest <= o->mem_limit);
    if (o->linux_kernel) {
        check_linux(p, o);
    } else {
        FUZZ_ASSERT(p->kind == IMAGE_FLAT || p->kind == IMAGE_ELF32 || p->kind == IMAGE_ELF64);
        FUZZ_ASSERT(!p->kernel.present);
        if (o->mode >= 0)
            FUZZ_ASSERT(p->mode == (enum cpu_mode)o->mode);
        if (o->entry >= 0)
            FUZZ_ASSERT(p->entry == (uint64_t)o->entry);
        if (p->mode == CPU_MODE_REAL)
            FUZZ_ASSERT(p->entry < 0x100000);
    }
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
    plan_check_sink = sum;
}

/* loader_load_buffer() on a private copy (it takes ownership), then the checks. */
static void load_and_check(const uint8_t *data, size_t size, const struct loader_opts *o)
{
    struct boot_plan plan;
    struct loader_err err;
    uint8_t *buf = malloc(size ? size : 1);
    int rc;

    FUZZ_ASSERT(buf != NULL);
    memcpy(buf, data, size);
    memset(&err, 0xa5, sizeof(err)); /* a refusal must write its message */
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

#endif
