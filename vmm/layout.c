#include "vmm/layout.h"

#include <errno.h>
#include <stdio.h>

static uint64_t round_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) & ~(a - 1);
}

/* Room a protected/long guest needs: its image, then a stack and the system area. */
static uint64_t window_need(const struct boot_plan *p)
{
    return round_up(p->highest, LAYOUT_ALIGN) + LAYOUT_ALIGN;
}

static int layout_single(const struct boot_plan *p, uint64_t mem_size, struct window *w,
                         uint64_t *mem_total, char *err, size_t errlen)
{
    uint64_t need = p->mode == CPU_MODE_REAL ? round_up(p->highest, 0x1000) : window_need(p);
    if (mem_size == 0)
        mem_size = need > LAYOUT_MIN_MEM ? need : LAYOUT_MIN_MEM;
    uint64_t usable = mem_size;
    if (p->mode != CPU_MODE_REAL)
        usable = mem_size > SYSAREA_SIZE ? mem_size - SYSAREA_SIZE : 0;
    if (p->highest > usable) {
        snprintf(err, errlen, "image needs memory up to 0x%llx but --mem gives 0x%llx%s",
                 (unsigned long long)p->highest, (unsigned long long)mem_size,
                 p->mode != CPU_MODE_REAL ? " (the top 64 KiB hold the VMM's tables)" : "");
        return -ENOSPC;
    }
    *w = (struct window){ .base = 0, .size = mem_size };
    *mem_total = mem_size;
    return 0;
}

int layout_windows(const struct boot_plan *plans, int n, uint64_t mem_size, struct window *out,
                   uint64_t *mem_total, char *err, size_t errlen)
{
    if (n == 1)
        return layout_single(&plans[0], mem_size, &out[0], mem_total, err, errlen);

    uint64_t next_real = 0, next_high = LAYOUT_ALIGN;
    for (int i = 0; i < n; i++) {
        const struct boot_plan *p = &plans[i];
        if (p->mode == CPU_MODE_REAL) {
            if (p->highest > LAYOUT_REAL_WINDOW) {
                snprintf(err, errlen,
                         "image %d: a real-mode guest running beside others must fit "
                         "in 64 KiB (it reaches 0x%llx)",
                         i + 1, (unsigned long long)p->highest);
                return -ENOSPC;
            }
            if (next_real + LAYOUT_REAL_WINDOW > LAYOUT_REAL_TOP) {
                snprintf(err, errlen,
                         "image %d: too many real-mode guests (at most %llu fit below 640 KiB)",
                         i + 1, (unsigned long long)(LAYOUT_REAL_TOP / LAYOUT_REAL_WINDOW));
                return -ENOSPC;
            }
            out[i] = (struct window){ .base = next_real, .size = LAYOUT_REAL_WINDOW };
            next_real += LAYOUT_REAL_WINDOW;
        } else {
            out[i] = (struct window){ .base = next_high, .size = window_need(p) };
            next_high += out[i].size;
        }
    }
    uint64_t need = next_high > LAYOUT_MIN_MEM ? next_high : LAYOUT_MIN_MEM;
    if (mem_size && mem_size < need) {
        snprintf(err, errlen, "--mem 0x%llx is too small for %d guests side by side (need 0x%llx)",
                 (unsigned long long)mem_size, n, (unsigned long long)need);
        return -ENOSPC;
    }
    *mem_total = mem_size ? mem_size : need;
    return 0;
}
