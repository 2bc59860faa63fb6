/* Shared between the loader's format back-ends; not part of the public API. */
#ifndef MINIKVM_LOADER_PRIV_H
#define MINIKVM_LOADER_PRIV_H

#include "loader/boot_plan.h"

/* Real mode reaches 1 MiB (ignoring the A20 high memory area). */
#define REAL_MODE_LIMIT 0x100000ull

/* Formats err->msg and returns rc, so callers can write `return loader_fail(...)`. */
int loader_fail(struct loader_err *err, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Back-ends fill kind, entry, segments, lowest and highest from img (which the
 * caller keeps owning); the dispatcher applies the mode and entry overrides. */
int flat_load(const uint8_t *img, size_t len, const struct loader_opts *o, enum cpu_mode mode,
              struct boot_plan *plan, struct loader_err *err);
/* ELF_ANY_LINK: load PT_LOAD segments at their physical addresses even from a PIE
 * (ET_DYN) with PT_INTERP/PT_DYNAMIC headers (what a host gcc links by default),
 * as GRUB does for a multiboot kernel. */
#define ELF_ANY_LINK 1
int elf_load(const uint8_t *img, size_t len, const struct loader_opts *o, int flags,
             struct boot_plan *plan, struct loader_err *err);

/* A multiboot 1 header in the first 8 KiB: its offset, or -1. */
long multiboot_find(const uint8_t *img, size_t len);
/* Loads an image whose multiboot header is at OFF: the ELF's segments, or with
 * the a.out kludge the header's address fields; protected mode. */
int multiboot_load(const uint8_t *img, size_t len, size_t off, const struct loader_opts *o,
                   struct boot_plan *plan, struct loader_err *err);

/* Linux (loader_opts.linux_kernel): a bzImage, detected by its "HdrS" at 0x202,
 * or a vmlinux ELF64. */
int bzimage_load(const uint8_t *img, size_t len, const struct loader_opts *o,
                 struct boot_plan *plan, struct loader_err *err);
int vmlinux_load(const uint8_t *img, size_t len, const struct loader_opts *o,
                 struct boot_plan *plan, struct loader_err *err);

#endif
