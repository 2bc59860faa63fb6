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

/* Needed where ring 0 is emulated and CPUID cannot hide what the emulator lacks
 * (found by booting the test kernel and Debian's on such a host). */
static const struct cmdline_switch emulator_switches[] = {
    { "noxsave", "emulator: xsave/xrstor/xgetbv" },
    /* one clearcpuid= only: the kernel reads the first; numbers, since the names
     * need CONFIG_X86_FEATURE_NAMES (word*32+bit: 9*32+20 SMAP, 4*32+23 POPCNT) */
    { "clearcpuid=308,151", "emulator: smap: stac/clac; popcnt" },
};

static bool has_word(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = s; (p = strstr(p, w)) != NULL; p += n)
        if ((p == s || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
            return true;
    return false;
}

/* Whether a word of S starts with PREFIX ("panic=" matches "panic=10"). */
static bool has_prefix_word(const char *s, const char *prefix)
{
    size_t n = strlen(prefix);
    for (const char *p = s; (p = strstr(p, prefix)) != NULL; p += n)
        if (p == s || p[-1] == ' ')
            return true;
    return false;
}

/* Appends " TEXT" to OUT (N bytes used of LEN) and "TEXT (WHY)" to the list of what
 * was added. 0 or -E2BIG. */
static int cmdline_add(char *out, size_t len, int *n, char *added, size_t alen_max, size_t *alen,
                       const char *text, const char *why)
{
    int k = snprintf(out + *n, len - (size_t)*n, "%s%s", *n ? " " : "", text);
    if (k < 0 || (size_t)k >= len - (size_t)*n)
        return -E2BIG;
    *n += k;
    int a = snprintf(added + *alen, alen_max - *alen, "%s%s (%s)", *alen ? ", " : "", text, why);
    if (a > 0 && (size_t)a < alen_max - *alen)
        *alen += (size_t)a;
    return 0;
}

int linux_build_cmdline(const char *user, const struct hostprobe *p, bool gdb, char *out,
                        size_t len, bool announce)
{
    const char *base = user ? user : LINUX_DEFAULT_CMDLINE;
    int n = snprintf(out, len, "%s", base);
    if (n < 0 || (size_t)n >= len)
        return -E2BIG;
    char added[384] = "";
    size_t alen = 0;
    int rc = 0;
    /* A panic resets at once instead of spinning: the reset ends the run with
     * VMM_STATUS_GUEST_PANIC (panic.c). The user's own panic= wins. */
    if (!has_prefix_word(out, "panic="))
        rc = cmdline_add(out, len, &n, added, sizeof(added), &alen, "panic=-1",
                         "a panic resets and ends the run");
    /* Under gdb vmlinux's symbols must be where the kernel runs. "kaslr" or
     * "nokaslr" of the user's own: the user decided. */
    if (rc == 0 && gdb && !strstr(out, "kaslr"))
        rc = cmdline_add(out, len, &n, added, sizeof(added), &alen, "nokaslr",
                         "--gdb: vmlinux symbols without offsets");
    bool emulated = p && p->done && !hostprobe_yes(p, PROBE_RING0_NATIVE) &&
                    !hostprobe_yes(p, PROBE_CPUID_HIDE);
    for (size_t i = 0; rc == 0 && emulated && i < ARRAY_SIZE(emulator_switches); i++) {
        const struct cmdline_switch *s = &emulator_switches[i];
        if (!has_word(out, s->text))
            rc = cmdline_add(out, len, &n, added, sizeof(added), &alen, s->text, s->why);
    }
    if (rc == 0 && announce && alen)
        fprintf(stderr, "vmm: linux: added to the kernel command line: %s\n", added);
    return rc;
}
