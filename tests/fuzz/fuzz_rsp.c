/* libFuzzer target: the RSP framer and dispatcher, driven like gdbstub_session.c
 * drives them from a socket, against the unit tests' fake target.
 *
 * Input: one configuration byte, then the raw bytes a peer sends.
 *   bits 0-1  vCPUs - 1 (1..4)    bit 2  a continue with nothing to hit exits
 *   bit 3     the target refuses watchpoints (-EOPNOTSUPP)   bits 4-7  exit code
 *   bit 4     also: the target offers range stepping (vCont;r)
 *
 * Besides whatever ASan/UBSan/LSan catch, it aborts on broken invariants:
 * - the framer reports the same events whether the bytes come all at once or
 *   one at a time (the socket may split anywhere);
 * - a decoded packet is within the bound and NUL-terminated;
 * - every reply fits its bound and holds no raw '$', '#', '}' or '*' (they
 *   would derail gdb's reading of it): framed, it reads back as exactly one good
 *   packet equal to itself; escaped binary replies (qXfer) read back as one
 *   good packet;
 * - rsp_put_binary() of arbitrary bytes, framed, decodes back to those bytes.
 *
 * The fake target is reset, not rebuilt, for each input: the pipe and mutex are
 * made once, everything an input can change is restored from a pristine copy. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdbstub/rsp.h"
#include "tests/unit/fake_target.h"

/* A small bound as well, so that raw oversize bodies are reached by inputs of
 * libFuzzer's usual length. */
#define SMALL_MAX 32

struct fuzz_ctx {
    struct fake_target fake;
    struct fake_target pristine; /* regs and memory as fake_init() left them */
    /* Framers are reset for each input rather than reallocated: same behaviour,
     * less allocator churn. */
    struct rsp_framer whole; /* the session's */
    struct rsp_framer split; /* the same bytes one at a time */
    struct rsp_framer small; /* SMALL_MAX bound */
    struct rsp_framer check; /* reading back our own replies */
    struct strbuf reply;     /* rsp_dispatch() resets it for each packet */
    bool ready;
};

/* The one piece of state kept between inputs (libFuzzer calls us in a loop). */
static struct fuzz_ctx ctx;

#define FUZZ_ASSERT(cond) \
    do { \
        if (!(cond)) { \
            fprintf(stderr, "fuzz_rsp: invariant broken: %s (line %d)\n", #cond, __LINE__); \
            abort(); \
        } \
    } while (0)

static void fuzz_fake_reset(struct fake_target *f, const struct fake_target *p, uint8_t cfg)
{
    char c;

    while (read(f->stop_pipe[0], &c, 1) == 1)
        ;
    f->ncpus = (cfg & 3) + 1;
    memcpy(f->regs, p->regs, sizeof(f->regs));
    memcpy(f->mem, p->mem, sizeof(f->mem));
    memset(f->bps, 0, sizeof(f->bps));
    f->log[0] = '\0';
    memset(&f->last_req, 0, sizeof(f->last_req));
    f->resumes = f->interrupts = f->detaches = f->kills = 0;
    f->running = f->has_pending = false;
    memset(&f->pending, 0, sizeof(f->pending));
    f->exit_on_run = cfg & 4;
    f->no_watch = cfg & 8;
    f->exit_code = cfg >> 4;
    f->range_ok = cfg & 16;
    f->range_steps = 0;
}

static void fuzz_setup(void)
{
    fake_init(&ctx.pristine, FAKE_MAX_CPUS);
    fake_init(&ctx.fake, FAKE_MAX_CPUS);
    /* wait_stop's read must never block the fuzzer, whatever the input did. */
    fcntl(ctx.fake.stop_pipe[0], F_SETFL, O_NONBLOCK);
    FUZZ_ASSERT(rsp_framer_init(&ctx.whole, GDB_PACKET_SIZE) == 0);
    FUZZ_ASSERT(rsp_framer_init(&ctx.split, GDB_PACKET_SIZE) == 0);
    FUZZ_ASSERT(rsp_framer_init(&ctx.small, SMALL_MAX) == 0);
    FUZZ_ASSERT(rsp_framer_init(&ctx.check, RSP_REPLY_MAX) == 0);
    strbuf_init(&ctx.reply, RSP_REPLY_MAX);
    ctx.ready = true;
}

/* FNV-1a over the events a framer reports, for the split/unsplit comparison. */
static uint64_t ev_hash(uint64_t h, const struct rsp_event *ev)
{
    uint8_t head[1 + sizeof(size_t)];
    size_t len = ev->kind == RSP_EV_PACKET ? ev->len : 0;

    head[0] = (uint8_t)ev->kind;
    memcpy(head + 1, &len, sizeof(len));
    for (size_t i = 0; i < sizeof(head); i++)
        h = (h ^ head[i]) * 0x100000001b3ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ ev->data[i]) * 0x100000001b3ull;
    return h;
}

static void check_event(const struct rsp_framer *f, const struct rsp_event *ev)
{
    if (ev->kind != RSP_EV_PACKET)
        return;
    FUZZ_ASSERT(ev->data == f->pkt);
    FUZZ_ASSERT(ev->len <= f->max);
    FUZZ_ASSERT(ev->data[ev->len] == '\0');
}

/* A framed reply must read back as one good packet equal to itself, or for
 * escaped binary data (qXfer) at least one good packet. Long plain replies
 * (memory, registers) are only scanned for the framing bytes: re-parsing 16 KiB
 * of hex per packet would cost most of the fuzzer's time. */
static void check_reply(const struct strbuf *reply, bool binary)
{
    struct rsp_framer *fr = &ctx.check;
    struct strbuf framed;
    struct rsp_event ev;
    size_t off = 0;
    int packets = 0;

    FUZZ_ASSERT(reply->len <= RSP_REPLY_MAX);
    if (!binary && reply->len > 256) {
        for (const char *c = "$#}*"; *c; c++)
            FUZZ_ASSERT(memchr(strbuf_str(reply), *c, reply->len) == NULL);
        return;
    }
    strbuf_init(&framed, RSP_REPLY_MAX + 8);
    FUZZ_ASSERT(rsp_frame_packet(&framed, strbuf_str(reply), reply->len) == 0);
    rsp_framer_reset(fr);
    while (off < framed.len) {
        off += rsp_framer_feed(fr, (const uint8_t *)framed.buf + off, framed.len - off, &ev);
        if (ev.kind == RSP_EV_NONE)
            continue;
        FUZZ_ASSERT(ev.kind == RSP_EV_PACKET);
        packets++;
        if (!binary)
            FUZZ_ASSERT(ev.len == reply->len && memcmp(ev.data, strbuf_str(reply), ev.len) == 0);
    }
    FUZZ_ASSERT(packets == 1);
    strbuf_free(&framed);
}

/* The escaping gdb's X packets and our binary replies use must round-trip. */
static void check_binary_roundtrip(const uint8_t *data, size_t size)
{
    struct strbuf body, framed;
    struct rsp_framer *fr = &ctx.check;
    struct rsp_event ev;
    size_t off = 0;
    bool seen = false;

    /* Enough for every special byte; longer only costs time. */
    if (size > 64)
        size = 64;
    strbuf_init(&body, 2 * 64);
    strbuf_init(&framed, 2 * 64 + 8);
    FUZZ_ASSERT(rsp_put_binary(&body, data, size) == 0);
    FUZZ_ASSERT(rsp_frame_packet(&framed, strbuf_str(&body), body.len) == 0);
    rsp_framer_reset(fr);
    while (off < framed.len) {
        off += rsp_framer_feed(fr, (const uint8_t *)framed.buf + off, framed.len - off, &ev);
        if (ev.kind == RSP_EV_NONE)
            continue;
        FUZZ_ASSERT(ev.kind == RSP_EV_PACKET && !seen);
        FUZZ_ASSERT(ev.len == size && memcmp(ev.data, data, size) == 0);
        seen = true;
    }
    FUZZ_ASSERT(seen);
    strbuf_free(&body);
    strbuf_free(&framed);
}

/* The guest "runs" until its stop; with nothing pending, gdb's Ctrl-C ends the
 * run, as a real session would. Then the stop reply goes out. */
static void collect_stop(struct rsp_session *ss, struct strbuf *reply)
{
    struct stop_info st;

    if (!ctx.fake.has_pending)
        fake_interrupt(&ctx.fake);
    FUZZ_ASSERT(fake_wait_stop(&ctx.fake, &st) == 0);
    rsp_session_note_stop(ss, &st);
    FUZZ_ASSERT(rsp_stop_reply(ss, &st, reply) == 0);
    check_reply(reply, false);
}

/* A session ended (detach or kill): the next "gdb" finds the guest stopped,
 * as gdbstub_run() arranges. */
static void new_connection(struct rsp_session *ss, struct rsp_framer *fr, struct strbuf *reply)
{
    rsp_session_reset(ss);
    rsp_framer_reset(fr);
    if (ctx.fake.running)
        collect_stop(ss, reply);
}

static void handle_packet(struct rsp_session *ss, struct rsp_framer *fr, const struct rsp_event *ev,
                          struct strbuf *reply)
{
    enum rsp_action act = rsp_dispatch(ss, ev->data, ev->len, reply);
    bool binary = ev->len >= 5 && memcmp(ev->data, "qXfer", 5) == 0;

    /* gdbstub sends monitor output as O packets of hex text: always clean. */
    FUZZ_ASSERT(ss->console.len <= RSP_CONSOLE_MAX);
    strbuf_reset(&ss->console);
    switch (act) {
    case RSP_ACT_REPLY: check_reply(reply, binary); break;
    case RSP_ACT_RESUMED:
        FUZZ_ASSERT(ctx.fake.running);
        collect_stop(ss, reply);
        break;
    case RSP_ACT_DETACHED:
        check_reply(reply, false);
        new_connection(ss, fr, reply);
        break;
    case RSP_ACT_KILLED: new_connection(ss, fr, reply); break;
    default: FUZZ_ASSERT(!"unknown action");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rsp_framer *fr = &ctx.whole;
    struct rsp_session ss;
    struct strbuf *reply = &ctx.reply;
    uint64_t h_whole = 0xcbf29ce484222325ull, h_split = h_whole;
    size_t off;
    uint8_t cfg;

    if (size < 1)
        return 0;
    if (!ctx.ready)
        fuzz_setup();
    cfg = data[0];
    data++;
    size--;
    fuzz_fake_reset(&ctx.fake, &ctx.pristine, cfg);
    rsp_framer_reset(fr);
    rsp_framer_reset(&ctx.split);
    rsp_framer_reset(&ctx.small);
    FUZZ_ASSERT(rsp_session_init(&ss, &fake_ops, &ctx.fake, ctx.fake.ncpus) == 0);

    /* The same bytes one at a time: the reference for the whole-buffer run. */
    for (size_t i = 0; i < size; i++) {
        struct rsp_event ev;

        FUZZ_ASSERT(rsp_framer_feed(&ctx.split, data + i, 1, &ev) == 1);
        check_event(&ctx.split, &ev);
        if (ev.kind != RSP_EV_NONE)
            h_split = ev_hash(h_split, &ev);
    }
    for (off = 0; off < size;) {
        struct rsp_event ev;
        size_t n = rsp_framer_feed(&ctx.small, data + off, size - off, &ev);

        FUZZ_ASSERT(n >= 1 && n <= size - off);
        check_event(&ctx.small, &ev);
        off += n;
    }

    /* The session proper: packets in, replies out, as gdbstub_session.c does. */
    for (off = 0; off < size;) {
        struct rsp_event ev;
        size_t n = rsp_framer_feed(fr, data + off, size - off, &ev);

        FUZZ_ASSERT(n >= 1 && n <= size - off);
        off += n;
        check_event(fr, &ev);
        if (ev.kind == RSP_EV_NONE)
            continue;
        h_whole = ev_hash(h_whole, &ev);
        if (ev.kind == RSP_EV_PACKET)
            handle_packet(&ss, fr, &ev, reply);
    }
    /* A session's end resets the framer, but only right after a complete
     * packet, where it is idle anyway: the reference still applies. */
    FUZZ_ASSERT(h_whole == h_split);

    check_binary_roundtrip(data, size);

    rsp_session_free(&ss);
    return 0;
}
