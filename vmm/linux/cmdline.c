/* The kernel command line: the user's (or a serial-console default) plus the
 * switches this host needs. Where ring 0 is emulated and CPUID cannot hide what
 * the emulator lacks (the probe's rows), the kernel must be told not to use it,
 * or its first xsave/popcnt/... is a KVM emulation failure. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vmm/linux/linux.h"
#include "vmm/probe/hostprobe.h"
#include "vmm/util.h"

struct cmdline_switch {
    const char *text;
    const char *why;
};

/* Needed where the emulator lacks the instructions and CPUID keeps advertising
 * them (found by booting the test kernel and Debian's on such a host). */
static const struct cmdline_switch emulator_switches[] = {
    { "noxsave", "xsave/xrstor/xgetbv" },
    /* one clearcpuid= only: the kernel reads the first; numbers, since the names
     * need CONFIG_X86_FEATURE_NAMES (word*32+bit: 9*32+20 SMAP, 4*32+23 POPCNT) */
    { "clearcpuid=308,151", "smap: stac/clac; popcnt" },
};

static bool has_word(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = s; (p = strstr(p, w)) != NULL; p += n)
        if ((p == s || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
            return true;
    return false;
}

int linux_build_cmdline(const char *user, const struct hostprobe *p, char *out, size_t len,
                        bool announce)
{
    const char *base = user ? user : LINUX_DEFAULT_CMDLINE;
    int n = snprintf(out, len, "%s", base);
    if (n < 0 || (size_t)n >= len)
        return -E2BIG;
    bool emulated = p && p->done && !hostprobe_yes(p, PROBE_RING0_NATIVE) &&
                    !hostprobe_yes(p, PROBE_CPUID_HIDE);
    if (!emulated)
        return 0;
    char added[256] = "";
    size_t alen = 0;
    for (size_t i = 0; i < ARRAY_SIZE(emulator_switches); i++) {
        const struct cmdline_switch *s = &emulator_switches[i];
        if (has_word(out, s->text))
            continue;
        int k = snprintf(out + n, len - (size_t)n, "%s%s", n ? " " : "", s->text);
        if (k < 0 || (size_t)k >= len - (size_t)n)
            return -E2BIG;
        n += k;
        int a = snprintf(added + alen, sizeof(added) - alen, "%s%s (%s)", alen ? ", " : "", s->text,
                         s->why);
        if (a > 0 && (size_t)a < sizeof(added) - alen)
            alen += (size_t)a;
    }
    if (announce && alen)
        fprintf(stderr,
                "vmm: linux: ring 0 is emulated here and CPUID cannot hide what the "
                "emulator lacks; added to the kernel command line: %s\n",
                added);
    return 0;
}
