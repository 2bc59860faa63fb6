/* Packet framing: "$body#cc" in both directions, with acks, Ctrl-C, escapes and
 * run-length codes. Everything here is bounded by the framer's max, whatever
 * the peer sends. */
#include "gdbstub/rsp.h"

#include <errno.h>
#include <stdlib.h>

enum { ST_IDLE, ST_BODY, ST_SUM1, ST_SUM2 };

int rsp_framer_init(struct rsp_framer *f, size_t max)
{
    *f = (struct rsp_framer){ .max = max };
    if (max == SIZE_MAX)
        return -EINVAL;
    f->pkt = malloc(max + 1);
    if (!f->pkt)
        return -ENOMEM;
    f->pkt[0] = '\0';
    return 0;
}

void rsp_framer_free(struct rsp_framer *f)
{
    free(f->pkt);
    f->pkt = NULL;
}

static void framer_start(struct rsp_framer *f)
{
    f->state = ST_BODY;
    f->len = f->raw_len = 0;
    f->sum = f->got_sum = 0;
    f->escape = f->repeat = f->oversize = f->malformed = f->bad_sum_digit = false;
}

void rsp_framer_reset(struct rsp_framer *f)
{
    framer_start(f);
    f->state = ST_IDLE;
}

bool rsp_framer_in_packet(const struct rsp_framer *f)
{
    return f->state != ST_IDLE;
}

static void framer_store(struct rsp_framer *f, uint8_t b, size_t count)
{
    if (f->oversize)
        return;
    if (count > f->max - f->len) {
        f->oversize = true;
        return;
    }
    for (size_t i = 0; i < count; i++)
        f->pkt[f->len++] = b;
}

/* One raw body byte (not '#' or '$'). */
static void framer_body_byte(struct rsp_framer *f, uint8_t b)
{
    f->sum += b;
    if (f->raw_len < SIZE_MAX)
        f->raw_len++;
    if (f->raw_len > f->max)
        f->oversize = true;
    if (f->escape) {
        f->escape = false;
        framer_store(f, b ^ 0x20, 1);
    } else if (f->repeat) {
        f->repeat = false;
        /* The count is a printable character; a repeat needs something before it. */
        if (b < ' ' || b > '~' || f->len == 0)
            f->malformed = true;
        else
            framer_store(f, f->pkt[f->len - 1], (size_t)(b - 29));
    } else if (b == '}') {
        f->escape = true;
    } else if (b == '*') {
        f->repeat = true;
    } else {
        framer_store(f, b, 1);
    }
}

static enum rsp_event_kind framer_finish(struct rsp_framer *f)
{
    f->state = ST_IDLE;
    if (f->oversize)
        return RSP_EV_OVERSIZE;
    if (f->bad_sum_digit || f->got_sum != f->sum)
        return RSP_EV_BAD_CHECKSUM;
    if (f->malformed)
        return RSP_EV_MALFORMED;
    f->pkt[f->len] = '\0';
    return RSP_EV_PACKET;
}

size_t rsp_framer_feed(struct rsp_framer *f, const uint8_t *in, size_t n, struct rsp_event *ev)
{
    *ev = (struct rsp_event){ .kind = RSP_EV_NONE };
    for (size_t i = 0; i < n; i++) {
        uint8_t b = in[i];
        int v;

        switch (f->state) {
        case ST_IDLE:
            if (b == '$') {
                framer_start(f);
                continue;
            }
            if (b == '+')
                ev->kind = RSP_EV_ACK;
            else if (b == '-')
                ev->kind = RSP_EV_NAK;
            else if (b == 0x03)
                ev->kind = RSP_EV_INTERRUPT;
            else
                continue; /* line noise between packets */
            return i + 1;
        case ST_BODY:
            if (b == '$') {
                /* Never valid inside a body (it must be escaped): the peer gave
                 * up on the old packet and started over. */
                framer_start(f);
            } else if (b == '#') {
                if (f->escape || f->repeat)
                    f->malformed = true; /* truncated escape or count */
                f->state = ST_SUM1;
            } else {
                framer_body_byte(f, b);
            }
            continue;
        case ST_SUM1:
        case ST_SUM2:
            if (b == '$') {
                /* The peer gave up on this packet and started another: the old
                 * one fails its checksum, the new one begins here. */
                ev->kind = RSP_EV_BAD_CHECKSUM;
                framer_start(f);
                return i + 1;
            }
            v = rsp_hexdigit(b);
            if (v < 0)
                f->bad_sum_digit = true;
            else
                f->got_sum = (uint8_t)(f->got_sum << 4 | v);
            if (f->state == ST_SUM1) {
                f->state = ST_SUM2;
                continue;
            }
            ev->kind = framer_finish(f);
            if (ev->kind == RSP_EV_PACKET) {
                ev->data = f->pkt;
                ev->len = f->len;
            }
            return i + 1;
        }
    }
    return n;
}

int rsp_frame_packet(struct strbuf *out, const void *body, size_t len)
{
    const uint8_t *p = body;
    uint8_t sum = 0;
    size_t start = out->len;
    int rc;

    for (size_t i = 0; i < len; i++)
        sum += p[i];
    rc = strbuf_putc(out, '$');
    rc = rc ? rc : strbuf_append(out, body, len);
    rc = rc ? rc : strbuf_printf(out, "#%02x", sum);
    if (rc) {
        /* All or nothing: never leave half a frame in an output queue. */
        out->len = start;
        if (out->buf)
            out->buf[start] = '\0';
    }
    return rc;
}

int rsp_put_binary(struct strbuf *out, const void *data, size_t len)
{
    const uint8_t *p = data;
    int rc = 0;

    for (size_t i = 0; i < len && !rc; i++) {
        if (p[i] == '#' || p[i] == '$' || p[i] == '}' || p[i] == '*') {
            char esc[2] = { '}', (char)(p[i] ^ 0x20) };
            rc = strbuf_append(out, esc, 2);
        } else {
            rc = strbuf_putc(out, (char)p[i]);
        }
    }
    return rc;
}
