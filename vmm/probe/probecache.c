/* The probe cache file: its text format, strict parsing against the key, and an
 * atomic write. One "name value" a line in a fixed order:
 *   mini-kvm probe cache
 *   key.FIELD VALUE        (every field of struct probe_key)
 *   row.ID yes|no|untested (every row of enum probe_row)
 *   ring0_us_per_insn N
 *   probe_ms N
 *   end
 * Anything else, in any place, makes the file corrupt; "end" catches truncation. */
#include "vmm/probe/probecache.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmm/util.h"

#define HEADER "mini-kvm probe cache"
#define FILE_MAX 16384

/* Stable names for the rows: the file outlives any reordering of the enum. */
static const char *const row_ids[PROBE_ROWS] = {
    [PROBE_REAL_MODE] = "real_mode",       [PROBE_PROT_MODE] = "prot_mode",
    [PROBE_LONG_MODE] = "long_mode",       [PROBE_MODE_SWITCH] = "mode_switch",
    [PROBE_PAGING32] = "paging32",         [PROBE_RING0_NATIVE] = "ring0_native",
    [PROBE_RING3_NATIVE] = "ring3_native", [PROBE_SYSCALL] = "syscall",
    [PROBE_STEP_RING0] = "step_ring0",     [PROBE_STEP_RING3] = "step_ring3",
    [PROBE_HWBP_RING0] = "hwbp_ring0",     [PROBE_HWBP_RING3] = "hwbp_ring3",
    [PROBE_WATCHPOINT] = "watchpoint",     [PROBE_INT3_EXIT] = "int3_exit",
    [PROBE_INT3_EMUFAIL] = "int3_emufail", [PROBE_INT3_REAL] = "int3_real",
    [PROBE_INT3_RING3] = "int3_ring3",     [PROBE_IRQCHIP] = "irqchip",
    [PROBE_AP_START] = "ap_start",         [PROBE_CPUID_HIDE] = "cpuid_hide",
    [PROBE_CX16_EMULATED] = "cx16",        [PROBE_RO_SLOT] = "readonly_slot",
};

static const char *const result_names[] = {
    [PROBE_UNTESTED] = "untested",
    [PROBE_YES] = "yes",
    [PROBE_NO] = "no",
};

bool probecache_worth_storing(const struct hostprobe *p, char *why, size_t whylen)
{
    for (int i = 0; i < PROBE_ROWS; i++)
        if (p->row[i] == PROBE_ERROR || p->row[i] > PROBE_ERROR) {
            snprintf(why, whylen, "row %s ended in an error", row_ids[i]);
            return false;
        }
    /* a factor of 3 either side of the threshold: the two kinds of host are
     * 100x apart, so only noise lands in between */
    double us = p->ring0_us_per_insn;
    if (us > PROBE_NATIVE_US / 3 && us < PROBE_NATIVE_US * 3) {
        snprintf(why, whylen, "the ring-0 cost %.3f us is too near the %.2f us threshold", us,
                 PROBE_NATIVE_US);
        return false;
    }
    return true;
}

static int put(char *buf, size_t len, size_t *used, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int put(char *buf, size_t len, size_t *used, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *used, len - *used, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= len - *used)
        return -ENOSPC;
    *used += (size_t)n;
    return 0;
}

int probecache_format(const struct probe_key *k, const struct hostprobe *p, char *buf, size_t len)
{
    size_t used = 0;
    int rc = put(buf, len, &used, "%s\n", HEADER);
    for (int f = 0; rc == 0 && f < PKEY_FIELDS; f++)
        rc = put(buf, len, &used, "key.%s %s\n", probecache_field_name(f), k->field[f]);
    for (int i = 0; rc == 0 && i < PROBE_ROWS; i++) {
        if (p->row[i] >= ARRAY_SIZE(result_names))
            return -EINVAL;
        rc = put(buf, len, &used, "row.%s %s\n", row_ids[i], result_names[p->row[i]]);
    }
    if (rc == 0)
        rc = put(buf, len, &used, "ring0_us_per_insn %.6f\nprobe_ms %.3f\nend\n",
                 p->ring0_us_per_insn, p->probe_ms);
    return rc;
}

/* The parser's cursor: the current line, cut out of the text. */
struct cursor {
    const char *p, *end;
    int lineno;
    char line[PROBE_KEY_LEN + 64];
};

/* false at the end of the text or at a line too long to be one of ours. */
static bool next_line(struct cursor *c, bool *too_long)
{
    *too_long = false;
    if (c->p >= c->end)
        return false;
    const char *eol = memchr(c->p, '\n', (size_t)(c->end - c->p));
    if (!eol)
        return false; /* a last line without its newline: truncated */
    size_t n = (size_t)(eol - c->p);
    c->lineno++;
    if (n >= sizeof(c->line)) {
        *too_long = true;
        return false;
    }
    memcpy(c->line, c->p, n);
    c->line[n] = '\0';
    c->p = eol + 1;
    return true;
}

static enum probecache_verdict corrupt(char *why, size_t whylen, const struct cursor *c,
                                       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static enum probecache_verdict corrupt(char *why, size_t whylen, const struct cursor *c,
                                       const char *fmt, ...)
{
    char what[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    snprintf(why, whylen, "line %d: %s", c->lineno, what);
    return PCACHE_CORRUPT;
}

/* The value after "NAME " on the current line, or NULL. */
static const char *value_of(const struct cursor *c, const char *prefix, const char *name)
{
    size_t pl = strlen(prefix), nl = strlen(name);
    if (strncmp(c->line, prefix, pl) || strncmp(c->line + pl, name, nl) || c->line[pl + nl] != ' ')
        return NULL;
    return c->line + pl + nl + 1;
}

static bool parse_number(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v))
        return false;
    *out = v;
    return true;
}

#define NEXT_OR_CORRUPT(c, what) \
    do { \
        bool long_; \
        if (!next_line(c, &long_)) \
            return long_ ? corrupt(why, whylen, c, "too long") \
                         : corrupt(why, whylen, c, "ends before %s (truncated)", what); \
    } while (0)

static enum probecache_verdict parse_rows(struct cursor *c, struct hostprobe *out, char *why,
                                          size_t whylen)
{
    for (int i = 0; i < PROBE_ROWS; i++) {
        NEXT_OR_CORRUPT(c, row_ids[i]);
        const char *v = value_of(c, "row.", row_ids[i]);
        if (!v)
            return corrupt(why, whylen, c, "expected row.%s", row_ids[i]);
        size_t r;
        for (r = 0; r < ARRAY_SIZE(result_names); r++)
            if (strcmp(v, result_names[r]) == 0)
                break;
        if (r == ARRAY_SIZE(result_names))
            return corrupt(why, whylen, c, "row.%s is '%s', not yes, no or untested", row_ids[i],
                           v);
        out->row[i] = (enum probe_result)r;
    }
    static const char *const nums[] = { "ring0_us_per_insn", "probe_ms" };
    double val[2];
    for (size_t n = 0; n < ARRAY_SIZE(nums); n++) {
        NEXT_OR_CORRUPT(c, nums[n]);
        const char *v = value_of(c, "", nums[n]);
        if (!v || !parse_number(v, &val[n]))
            return corrupt(why, whylen, c, "expected '%s NUMBER'", nums[n]);
    }
    out->ring0_us_per_insn = val[0];
    out->probe_ms = val[1];
    NEXT_OR_CORRUPT(c, "end");
    if (strcmp(c->line, "end") != 0)
        return corrupt(why, whylen, c, "expected 'end'");
    if (c->p != c->end)
        return corrupt(why, whylen, c, "text after 'end'");
    return PCACHE_HIT;
}

enum probecache_verdict probecache_parse(const char *text, size_t len, const struct probe_key *k,
                                         struct hostprobe *out, char *why, size_t whylen)
{
    struct cursor c = { .p = text, .end = text + len };
    struct hostprobe h;
    memset(&h, 0, sizeof(h));
    NEXT_OR_CORRUPT(&c, "the header");
    if (strcmp(c.line, HEADER) != 0)
        return corrupt(why, whylen, &c, "not a probe cache (expected '%s')", HEADER);
    /* every key line is read before the first difference counts: a file cut short
     * is corrupt, one whole but for another host or build is stale */
    int differs = -1;
    for (int f = 0; f < PKEY_FIELDS; f++) {
        NEXT_OR_CORRUPT(&c, "the key");
        const char *v = value_of(&c, "key.", probecache_field_name(f));
        if (!v)
            return corrupt(why, whylen, &c, "expected key.%s", probecache_field_name(f));
        if (differs < 0 && strcmp(v, k->field[f]) != 0)
            differs = f;
    }
    if (differs >= 0) {
        snprintf(why, whylen, "%s changed", probecache_field_name(differs));
        return PCACHE_STALE;
    }
    enum probecache_verdict v = parse_rows(&c, &h, why, whylen);
    if (v != PCACHE_HIT)
        return v;
    h.done = true;
    h.cached = true;
    *out = h;
    return PCACHE_HIT;
}

enum probecache_verdict probecache_load(const char *path, const struct probe_key *k,
                                        struct hostprobe *out, char *why, size_t whylen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return PCACHE_MISS; /* storing will say what is wrong with the path */
        snprintf(why, whylen, "cannot open: %s", strerror(errno));
        return PCACHE_CORRUPT;
    }
    char *buf = malloc(FILE_MAX);
    size_t got = 0;
    ssize_t n = 0;
    while (buf && got < FILE_MAX && (n = read(fd, buf + got, FILE_MAX - got)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        got += (size_t)n;
    }
    int err = errno;
    close(fd);
    enum probecache_verdict v;
    if (!buf) {
        snprintf(why, whylen, "out of memory");
        v = PCACHE_CORRUPT;
    } else if (n < 0) {
        snprintf(why, whylen, "cannot read: %s", strerror(err));
        v = PCACHE_CORRUPT;
    } else if (got == FILE_MAX) {
        snprintf(why, whylen, "larger than %d bytes", FILE_MAX);
        v = PCACHE_CORRUPT;
    } else {
        v = probecache_parse(buf, got, k, out, why, whylen);
    }
    free(buf);
    return v;
}

/* mkdir -p for the directory part of PATH, new directories 0700. */
static int make_dirs(const char *path)
{
    char dir[4096];
    if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
        return -ENAMETOOLONG;
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = '\0';
    for (char *p = strchr(dir + 1, '/');; p = strchr(p + 1, '/')) {
        if (p)
            *p = '\0';
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
            return -errno;
        if (!p)
            return 0;
        *p = '/';
    }
}

int probecache_store(const char *path, const struct probe_key *k, const struct hostprobe *p)
{
    char text[FILE_MAX];
    int rc = probecache_format(k, p, text, sizeof(text));
    if (rc < 0)
        return rc;
    if ((rc = make_dirs(path)) < 0)
        return rc;
    char tmp[4200];
    if (snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid()) >= (int)sizeof(tmp))
        return -ENAMETOOLONG;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return -errno;
    size_t len = strlen(text), done = 0;
    while (done < len) {
        ssize_t n = write(fd, text + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = -errno;
            break;
        }
        done += (size_t)n;
    }
    if (close(fd) < 0 && rc == 0)
        rc = -errno;
    if (rc == 0 && rename(tmp, path) < 0)
        rc = -errno;
    if (rc < 0)
        unlink(tmp);
    return rc;
}
