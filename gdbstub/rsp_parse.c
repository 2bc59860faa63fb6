/* Strict parsers for packet fields: every number is range-checked and every
 * read stays inside the packet, whatever the peer sent. */
#include "gdbstub/rsp_priv.h"

#include <errno.h>

int rsp_hexdigit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int rsp_parse_hex(const char **p, const char *end, uint64_t *out)
{
    const char *s = *p;
    uint64_t v = 0;
    int n = 0, d;

    while (s < end && (d = rsp_hexdigit(*s)) >= 0) {
        if (++n > 16)
            return -EINVAL; /* more than 64 bits */
        v = v << 4 | (uint64_t)d;
        s++;
    }
    if (n == 0)
        return -EINVAL;
    *p = s;
    *out = v;
    return 0;
}

int rsp_expect(const char **p, const char *end, char c)
{
    if (*p >= end || **p != c)
        return -EINVAL;
    (*p)++;
    return 0;
}

static int parse_tid_part(const char **p, const char *end, long *tid)
{
    uint64_t v;

    if (end - *p >= 2 && (*p)[0] == '-' && (*p)[1] == '1') {
        *p += 2;
        *tid = -1;
        return 0;
    }
    if (rsp_parse_hex(p, end, &v) || v > 0x7fffffff)
        return -EINVAL;
    *tid = (long)v;
    return 0;
}

int rsp_parse_tid(const char **p, const char *end, long *tid)
{
    const char *s = *p;
    long pid;

    if (s < end && *s == 'p') {
        s++;
        if (parse_tid_part(&s, end, &pid))
            return -EINVAL;
        if (s >= end || *s != '.') {
            /* "pPID" alone means all threads of that process. */
            *p = s;
            *tid = -1;
            return 0;
        }
        s++;
    }
    if (parse_tid_part(&s, end, tid))
        return -EINVAL;
    *p = s;
    return 0;
}

int rsp_hex_decode(const char *hex, size_t hexlen, uint8_t *out, size_t n)
{
    if (n > SIZE_MAX / 2 || hexlen != 2 * n)
        return -EINVAL;
    for (size_t i = 0; i < n; i++) {
        int hi = rsp_hexdigit(hex[2 * i]), lo = rsp_hexdigit(hex[2 * i + 1]);

        if (hi < 0 || lo < 0)
            return -EINVAL;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

void rsp_error(struct strbuf *reply, int rc)
{
    int e = rc < 0 ? -rc : rc;

    if (e <= 0 || e > 99)
        e = EIO;
    strbuf_reset(reply);
    strbuf_printf(reply, "E%02d", e);
}

int rsp_cpu(const struct rsp_session *ss, int sel)
{
    if (sel >= 0 && sel < ss->ncpus)
        return sel;
    if (ss->last_stop.cpu >= 0 && ss->last_stop.cpu < ss->ncpus)
        return ss->last_stop.cpu;
    return 0;
}

int rsp_tid_cpu(const struct rsp_session *ss, long tid)
{
    if (tid < 1 || tid > ss->ncpus)
        return -ESRCH;
    return (int)(tid - 1);
}
