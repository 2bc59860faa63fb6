/* Byte and packet output of a connection, and turning away a second gdb.
 * Used by gdbstub_session.c; all on the stub thread. */
#define _GNU_SOURCE
#include "gdbstub/gdbstub_priv.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Monitor output is sent in O packets of this many bytes of text. */
#define CONSOLE_CHUNK 512

static const char reject_msg[] =
    "E.another gdb is already connected to this VM, only one session at a time";

long long gdbstub_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* send() with MSG_NOSIGNAL so a vanished peer is an error, not a SIGPIPE for
 * the whole VMM; plain write() for descriptors that are not sockets. */
ssize_t gdbstub_fd_send(int fd, const void *buf, size_t len)
{
    ssize_t n = send(fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);

    return n < 0 && errno == ENOTSOCK ? write(fd, buf, len) : n;
}

ssize_t gdbstub_fd_recv(int fd, void *buf, size_t len)
{
    ssize_t n = recv(fd, buf, len, MSG_DONTWAIT);

    return n < 0 && errno == ENOTSOCK ? read(fd, buf, len) : n;
}

/* Everything or an error: -ECANCELED on shutdown, -ETIMEDOUT if the peer reads
 * nothing for a long time, else the send error. */
int gdbstub_write(struct gdbstub *s, int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len) {
        ssize_t n = gdbstub_fd_send(fd, p, len);
        struct pollfd pf[2] = { { .fd = fd, .events = POLLOUT },
                                { .fd = s->wake[0], .events = POLLIN } };
        int r;

        if (n > 0) {
            p += n;
            len -= (size_t)n;
            continue;
        }
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
            return n == 0 ? -EPIPE : -errno;
        if (errno == EINTR)
            continue;
        r = poll(pf, 2, GDBSTUB_WRITE_TIMEOUT_MS);
        if (r < 0 && errno != EINTR)
            return -errno;
        if (r == 0) {
            gdbstub_log(s, "gdb has read nothing for %d s; dropping the connection",
                        GDBSTUB_WRITE_TIMEOUT_MS / 1000);
            return -ETIMEDOUT;
        }
        if (r > 0 && pf[1].revents)
            return -ECANCELED;
    }
    return 0;
}

/* Frames and sends one packet; in ack mode it is kept for a retransmission. */
int gdbstub_send_packet(struct gdbstub *s, int fd, const char *body, size_t len)
{
    int rc;

    strbuf_reset(&s->out);
    rc = rsp_frame_packet(&s->out, body, len);
    if (rc) {
        gdbstub_log(s, "reply of %zu bytes too large to send", len);
        return rc;
    }
    rc = gdbstub_write(s, fd, s->out.buf, s->out.len);
    if (!s->ss.noack) {
        strbuf_reset(&s->last);
        strbuf_append(&s->last, s->out.buf, s->out.len);
    }
    return rc;
}

/* Pending monitor output, as O packets, before the reply they belong to. */
int gdbstub_send_console(struct gdbstub *s, int fd)
{
    struct strbuf body;
    int rc = 0;

    strbuf_init(&body, 2 * CONSOLE_CHUNK + 1);
    for (size_t off = 0; !rc && off < s->ss.console.len;) {
        size_t n = s->ss.console.len - off;

        if (n > CONSOLE_CHUNK)
            n = CONSOLE_CHUNK;
        strbuf_reset(&body);
        rc = strbuf_putc(&body, 'O');
        rc = rc ? rc : strbuf_hex(&body, s->ss.console.buf + off, n);
        rc = rc ? rc : gdbstub_send_packet(s, fd, body.buf, body.len);
        off += n;
    }
    strbuf_free(&body);
    strbuf_reset(&s->ss.console);
    return rc;
}

void gdbstub_reject_close(struct gdbstub *s)
{
    if (s->reject_fd >= 0)
        close(s->reject_fd);
    s->reject_fd = -1;
}

int gdbstub_reject_accept(struct gdbstub *s)
{
    int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

    if (fd < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR || errno == ECONNABORTED)
            return 0;
        gdbstub_log(s, "cannot accept a second connection: %s", strerror(errno));
        return -errno;
    }
    if (s->reject_fd >= 0) {
        close(fd); /* already turning one away: no more state for a third */
        return 0;
    }
    gdbstub_log(s, "refusing a second gdb connection: a session is already active");
    s->reject_fd = fd;
    rsp_framer_reset(&s->reject_fr);
    s->reject_deadline = gdbstub_now_ms() + GDBSTUB_REJECT_MS;
    return 0;
}

/* Waits for the second gdb's first packet and answers it with an error that
 * gdb prints ("warning: Remote failure reply: E.another gdb ..."), then closes. */
void gdbstub_reject_input(struct gdbstub *s)
{
    uint8_t buf[512];
    ssize_t n = gdbstub_fd_recv(s->reject_fd, buf, sizeof(buf));
    size_t off = 0;

    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        gdbstub_reject_close(s);
        return;
    }
    while (off < (size_t)n) {
        struct rsp_event ev;
        struct strbuf out;

        off += rsp_framer_feed(&s->reject_fr, buf + off, (size_t)n - off, &ev);
        if (ev.kind != RSP_EV_PACKET && ev.kind != RSP_EV_BAD_CHECKSUM &&
            ev.kind != RSP_EV_OVERSIZE && ev.kind != RSP_EV_MALFORMED)
            continue; /* acks and noise: the packet is still to come */
        strbuf_init(&out, 256);
        strbuf_putc(&out, '+');
        rsp_frame_packet(&out, reject_msg, sizeof(reject_msg) - 1);
        /* Best effort: the peer is being turned away anyway. */
        if (gdbstub_fd_send(s->reject_fd, out.buf, out.len) < 0)
            gdbstub_log(s, "could not tell the second gdb why: %s", strerror(errno));
        strbuf_free(&out);
        gdbstub_reject_close(s);
        return;
    }
}
