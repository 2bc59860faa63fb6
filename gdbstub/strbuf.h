/* A growable byte string with a hard upper bound.
 *
 * Everything the stub builds from peer-controlled input (replies, monitor output,
 * target.xml) goes through one of these, so a hostile or buggy peer can make it
 * fail cleanly but never make it grow without limit. The buffer is always
 * NUL-terminated, which lets text users treat it as a C string, while binary
 * users rely on `len` (the contents may hold NUL bytes). */
#ifndef MINIKVM_STRBUF_H
#define MINIKVM_STRBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf {
    char *buf;     /* NULL until the first append; strbuf_str() hides that */
    size_t len;    /* bytes in use, not counting the terminating NUL */
    size_t cap;    /* bytes allocated, including room for the NUL */
    size_t max;    /* len never exceeds this: the bound callers rely on */
    bool overflow; /* an append was refused for the bound: output is incomplete */
};

/* No allocation happens here, so an initialised strbuf can always be freed. */
void strbuf_init(struct strbuf *sb, size_t max);
void strbuf_free(struct strbuf *sb);
/* Keeps the allocation: the reply buffer is reused for every packet. */
void strbuf_reset(struct strbuf *sb);
/* "" for an empty buffer, never NULL. */
const char *strbuf_str(const struct strbuf *sb);

/* Each returns 0, -ENOSPC (bound reached: nothing appended, overflow set) or
 * -ENOMEM. An append is all-or-nothing so a reply is never cut mid-field. */
int strbuf_append(struct strbuf *sb, const void *data, size_t n);
int strbuf_putc(struct strbuf *sb, char c);
int strbuf_puts(struct strbuf *sb, const char *s);
int strbuf_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Two lower-case hex digits per byte, the RSP encoding of memory and registers. */
int strbuf_hex(struct strbuf *sb, const void *data, size_t n);
/* Drops the first n bytes (n > len drops all): used to consume sent data. */
void strbuf_consume(struct strbuf *sb, size_t n);

#endif
