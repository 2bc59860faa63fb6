/* Bounded growable string: see strbuf.h for why every buffer has a bound. */
#include "gdbstub/strbuf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void strbuf_init(struct strbuf *sb, size_t max)
{
    *sb = (struct strbuf){ .max = max };
}

void strbuf_free(struct strbuf *sb)
{
    free(sb->buf);
    *sb = (struct strbuf){ .max = sb->max };
}

void strbuf_reset(struct strbuf *sb)
{
    sb->len = 0;
    sb->overflow = false;
    if (sb->buf)
        sb->buf[0] = '\0';
}

const char *strbuf_str(const struct strbuf *sb)
{
    return sb->buf ? sb->buf : "";
}

/* Makes room for n more bytes plus the NUL, or says why it cannot. */
static int strbuf_reserve(struct strbuf *sb, size_t n)
{
    size_t need, cap;
    char *p;

    if (n > sb->max || sb->len > sb->max - n) {
        sb->overflow = true;
        return -ENOSPC;
    }
    need = sb->len + n + 1;
    if (need <= sb->cap)
        return 0;
    cap = sb->cap ? sb->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    /* Never allocate far beyond the bound just because doubling overshot it. */
    if (cap > sb->max + 1)
        cap = sb->max + 1;
    p = realloc(sb->buf, cap);
    if (!p)
        return -ENOMEM;
    sb->buf = p;
    sb->cap = cap;
    return 0;
}

int strbuf_append(struct strbuf *sb, const void *data, size_t n)
{
    int rc = strbuf_reserve(sb, n);

    if (rc)
        return rc;
    if (n)
        memcpy(sb->buf + sb->len, data, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
    return 0;
}

int strbuf_putc(struct strbuf *sb, char c)
{
    return strbuf_append(sb, &c, 1);
}

int strbuf_puts(struct strbuf *sb, const char *s)
{
    return strbuf_append(sb, s, strlen(s));
}

int strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    int n, rc;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -EINVAL;
    rc = strbuf_reserve(sb, (size_t)n);
    if (rc)
        return rc;
    va_start(ap, fmt);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
    return 0;
}

int strbuf_hex(struct strbuf *sb, const void *data, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    const uint8_t *p = data;
    int rc;

    if (n > SIZE_MAX / 2)
        return -ENOSPC;
    rc = strbuf_reserve(sb, n * 2);
    if (rc)
        return rc;
    for (size_t i = 0; i < n; i++) {
        sb->buf[sb->len++] = digits[p[i] >> 4];
        sb->buf[sb->len++] = digits[p[i] & 15];
    }
    sb->buf[sb->len] = '\0';
    return 0;
}

void strbuf_consume(struct strbuf *sb, size_t n)
{
    if (n >= sb->len) {
        strbuf_reset(sb);
        return;
    }
    memmove(sb->buf, sb->buf + n, sb->len - n);
    sb->len -= n;
    sb->buf[sb->len] = '\0';
}
