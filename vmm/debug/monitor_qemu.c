/* The part of QEMU's human monitor that existing gdb scripts send to a stub:
 * Linux's scripts/gdb asks `monitor info version` to recognise a QEMU-like server
 * (then a thread is a CPU, which $lx_current() needs); other scripts read
 * `info registers` and dump memory with `xp`. Answered beside our own commands;
 * `info registers` prints our `regs` view, not QEMU's layout. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/debug/monitor_priv.h"

#define XP_MAX_BYTES 4096u

int monitor_cmd_info(struct mon_ctx *c, int argc, char **argv)
{
    (void)argc;
    if (strcmp(argv[1], "version") == 0) {
        strbuf_puts(c->out, "mini-kvm (QEMU monitor subset: info version, info registers, xp)\n");
        return 0;
    }
    if (strcmp(argv[1], "registers") == 0)
        return monitor_cmd_regs(c, 1, argv);
    strbuf_printf(c->out, "info: '%.40s' is not answered here (info version, info registers)\n",
                  argv[1]);
    return -ENOENT;
}

/* QEMU's /FMT: [count][format x|d|u][size b|h|w|g], each optional. */
static int xp_format(const char *f, unsigned *count, char *fmt, unsigned *size)
{
    static const struct {
        char c;
        unsigned bytes;
    } sizes[] = { { 'b', 1 }, { 'h', 2 }, { 'w', 4 }, { 'g', 8 } };
    *count = 1;
    *fmt = 'x';
    *size = 4;
    if (*f++ != '/')
        return -EINVAL;
    if (*f >= '0' && *f <= '9') {
        unsigned long n = strtoul(f, (char **)&f, 10);
        if (n == 0 || n > XP_MAX_BYTES)
            return -EINVAL;
        *count = (unsigned)n;
    }
    for (; *f; f++) {
        bool known = false;
        for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
            if (*f == sizes[i].c) {
                *size = sizes[i].bytes;
                known = true;
            }
        if (*f == 'x' || *f == 'd' || *f == 'u') {
            *fmt = *f;
            known = true;
        }
        if (!known)
            return -EINVAL;
    }
    return 0;
}

int monitor_cmd_xp(struct mon_ctx *c, int argc, char **argv)
{
    unsigned count, size;
    char fmt;
    uint64_t addr;
    const char *a = argc == 3 ? argv[2] : argv[1];
    if ((argc == 3 && xp_format(argv[1], &count, &fmt, &size) < 0) ||
        (argc == 2 && xp_format("/", &count, &fmt, &size) < 0) || monitor_parse_u64(a, &addr) < 0 ||
        (uint64_t)count * size > XP_MAX_BYTES) {
        strbuf_printf(c->out,
                      "xp: usage: xp [/COUNT FORMAT SIZE] ADDR, FORMAT x d u, SIZE b h w g "
                      "(at most %u bytes)\n",
                      XP_MAX_BYTES);
        return -EINVAL;
    }
    size_t len = (size_t)count * size;
    const uint8_t *p = vm_gpa_to_hva(&c->m->vm, addr, len);
    if (!p) {
        strbuf_printf(c->out, "xp: 0x%llx + 0x%zx is outside guest RAM\n", (unsigned long long)addr,
                      len);
        return -EFAULT;
    }
    unsigned per_line = 16 / size;
    for (unsigned i = 0; i < count; i++) {
        if (i % per_line == 0)
            strbuf_printf(c->out, "%s%016llx:", i ? "\n" : "",
                          (unsigned long long)(addr + (uint64_t)i * size));
        uint64_t v = 0;
        memcpy(&v, p + (size_t)i * size, size);
        if (fmt == 'x')
            strbuf_printf(c->out, " 0x%0*llx", (int)size * 2, (unsigned long long)v);
        else if (fmt == 'u')
            strbuf_printf(c->out, " %llu", (unsigned long long)v);
        else /* d: sign-extended from SIZE bytes */
            strbuf_printf(
                c->out, " %lld",
                (long long)(size == 8 ? v
                                      : (v ^ (1ull << (size * 8 - 1))) - (1ull << (size * 8 - 1))));
    }
    strbuf_puts(c->out, "\n");
    return 0;
}
