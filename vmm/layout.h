/* Places each guest in its own window of guest-physical memory. */
#ifndef MINIKVM_LAYOUT_H
#define MINIKVM_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "loader/boot_plan.h"
#include "vmm/entry.h"

#define LAYOUT_REAL_WINDOW 0x10000ull /* what one real-mode segment reaches */
#define LAYOUT_REAL_TOP 0xa0000ull    /* conventional memory ends at 640 KiB */
#define LAYOUT_ALIGN (2ull << 20)
#define LAYOUT_MIN_MEM (4ull << 20)

/* Chooses windows for N plans and the total RAM. mem_size 0 picks a size that fits.
 * 0 or -errno with a one-line reason in err naming the image index. */
int layout_windows(const struct boot_plan *plans, int n, uint64_t mem_size, struct window *out,
                   uint64_t *mem_total, char *err, size_t errlen);

#endif
