/* The accept loop and one connection's conversation. A single thread does all
 * of it with poll(): the client socket, the target's stop_fd, the listening
 * socket (to turn away a second gdb) and the self-pipe of gdbstub_shutdown(). */
#define _GNU_SOURCE
#include "gdbstub/gdbstub_priv.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* The target says a stop is ready: collect it and, with a gdb attached
 * (fd >= 0), report it. GDBSTUB_END_EXITED if the guest is gone. */
static int collect_stop(struct gdbstub *s, int fd, int *send_rc)
{
    struct stop_info st;
    int rc = s->ss.ops->wait_stop ? s->ss.ops->wait_stop(s->ss.target, &st) : -EOPNOTSUPP;

    if (rc) {
        gdbstub_log(s, "collecting the guest's stop failed (error %d); reporting SIGTRAP", -rc);
        st = (struct stop_info){ .reason = STOP_SIGNAL, .cpu = s->ss.last_stop.cpu, .signal = 5 };
    }
    s->running = false;
    rsp_session_note_stop(&s->ss, &st);
    *send_rc = 0;
    if (fd >= 0) {
        *send_rc = rsp_stop_reply(&s->ss, &st, &s->reply);
        *send_rc = *send_rc ? *send_rc : gdbstub_send_packet(s, fd, s->reply.buf, s->reply.len);
    }
    return st.reason == STOP_EXITED || st.reason == STOP_KILLED ? GDBSTUB_END_EXITED : 0;
}

/* Stops a running guest (no gdb to report to) and waits for the stop. */
static int stop_guest(struct gdbstub *s)
{
    struct pollfd pf[2] = { { .fd = s->stop_fd, .events = POLLIN },
                            { .fd = s->wake[0], .events = POLLIN } };
    bool asked = false, complained = false;
    int ignored;

    for (;;) {
        int r = poll(pf, 2, asked ? GDBSTUB_STOP_WAIT_MS : 0);

        if (r < 0 && errno != EINTR)
            return -errno;
        if (r == 0 && asked && !complained) {
            /* Keep waiting (only shutdown can end this), but say why we hang. */
            gdbstub_log(s, "the guest has not stopped %d s after an interrupt; still waiting",
                        GDBSTUB_STOP_WAIT_MS / 1000);
            complained = true;
        }
        if (r > 0 && pf[1].revents)
            return GDBSTUB_END_SHUTDOWN;
        if (r > 0 && (pf[0].revents & POLLIN))
            return collect_stop(s, -1, &ignored);
        /* Ask only when no stop is pending already, so a stop that was on its
         * way is what the next gdb sees rather than a spurious SIGINT. */
        if (!asked && s->ss.ops->interrupt)
            s->ss.ops->interrupt(s->ss.target);
        asked = true;
    }
}

/* The connection is gone (or unusable): keep the guest stopped for the next gdb. */
static int conn_lost(struct gdbstub *s, int rc)
{
    if (rc == -ECANCELED)
        return GDBSTUB_END_SHUTDOWN;
    if (s->running) {
        gdbstub_log(s, "gdb went away while the guest ran: guest stopped, waiting for a new gdb");
        rc = stop_guest(s);
        if (rc)
            return rc;
    }
    return GDBSTUB_END_DISCONNECTED;
}

/* One complete packet from gdb. Returns 0 to go on, or why the session ends. */
static int conn_packet(struct gdbstub *s, int fd, const uint8_t *pkt, size_t len)
{
    enum rsp_action act;
    int rc;

    if (s->running && !(len == 1 && pkt[0] == 'k')) {
        /* All-stop gdb sends nothing but Ctrl-C while the guest runs; anything
         * else cannot be served (no registers of a running vCPU). */
        gdbstub_log(s, "packet '%c...' while the guest runs: answered E16",
                    pkt[0] > ' ' && pkt[0] < 0x7f ? pkt[0] : '?');
        rc = gdbstub_send_packet(s, fd, "E16", 3);
        return rc ? conn_lost(s, rc) : 0;
    }
    act = rsp_dispatch(&s->ss, pkt, len, &s->reply);
    rc = gdbstub_send_console(s, fd);
    switch (act) {
    case RSP_ACT_REPLY:
        rc = rc ? rc : gdbstub_send_packet(s, fd, s->reply.buf ? s->reply.buf : "", s->reply.len);
        return rc ? conn_lost(s, rc) : 0;
    case RSP_ACT_RESUMED: s->running = true; return rc ? conn_lost(s, rc) : 0;
    case RSP_ACT_DETACHED:
        /* The target runs freely from now on whether or not the OK arrives. */
        s->running = true;
        rc = rc ? rc : gdbstub_send_packet(s, fd, s->reply.buf, s->reply.len);
        return rc == -ECANCELED ? GDBSTUB_END_SHUTDOWN : GDBSTUB_END_DETACHED;
    case RSP_ACT_KILLED: return GDBSTUB_END_KILLED;
    }
    return 0;
}

static int conn_event(struct gdbstub *s, int fd, const struct rsp_event *ev)
{
    int rc = 0;

    switch (ev->kind) {
    case RSP_EV_NONE:
    case RSP_EV_ACK: return 0;
    case RSP_EV_NAK:
        if (!s->ss.noack && s->last.len)
            rc = gdbstub_write(s, fd, s->last.buf, s->last.len);
        break;
    case RSP_EV_INTERRUPT:
        /* Ctrl-C while stopped means nothing: ignore it. */
        if (s->running && s->ss.ops->interrupt)
            s->ss.ops->interrupt(s->ss.target);
        return 0;
    case RSP_EV_OVERSIZE:
        gdbstub_log(s, "dropped a packet longer than %d bytes (the advertised PacketSize)",
                    GDB_PACKET_SIZE);
        /* fall through */
    case RSP_EV_BAD_CHECKSUM:
        if (!s->ss.noack)
            rc = gdbstub_write(s, fd, "-", 1);
        else if (ev->kind == RSP_EV_BAD_CHECKSUM)
            gdbstub_log(s, "dropped a packet with a bad checksum");
        break;
    case RSP_EV_MALFORMED:
        rc = s->ss.noack ? 0 : gdbstub_write(s, fd, "+", 1);
        rc = rc ? rc : gdbstub_send_packet(s, fd, "E22", 3);
        break;
    case RSP_EV_PACKET:
        rc = s->ss.noack ? 0 : gdbstub_write(s, fd, "+", 1);
        if (!rc)
            return conn_packet(s, fd, ev->data, ev->len);
        break;
    }
    return rc ? conn_lost(s, rc) : 0;
}

static int conn_input(struct gdbstub *s, int fd)
{
    uint8_t buf[4096];
    ssize_t n = gdbstub_fd_recv(fd, buf, sizeof(buf));
    size_t off = 0;

    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return 0;
    if (n <= 0)
        return conn_lost(s, n < 0 ? -errno : -EPIPE);
    while (off < (size_t)n) {
        struct rsp_event ev;
        int rc;

        off += rsp_framer_feed(&s->fr, buf + off, (size_t)n - off, &ev);
        rc = conn_event(s, fd, &ev);
        if (rc)
            return rc;
    }
    return 0;
}

/* Processes whatever input is already waiting on the connection. */
static int conn_drain(struct gdbstub *s, int fd)
{
    /* Bounded: a peer that keeps sending must not keep us from the listener. */
    for (int i = 0; i < 64; i++) {
        struct pollfd pf = { .fd = fd, .events = POLLIN };
        int rc;

        if (poll(&pf, 1, 0) <= 0)
            return 0;
        rc = conn_input(s, fd);
        if (rc)
            return rc;
    }
    return 0;
}

/* Serves one connection until it ends; returns why (enum gdbstub_end) or -errno. */
static int session_loop(struct gdbstub *s, int fd);

/* A connected gdb, as other threads see it: the VMM waits for it to read the exit. */
static int session(struct gdbstub *s, int fd)
{
    atomic_store(&s->in_session, true);
    int rc = session_loop(s, fd);
    atomic_store(&s->in_session, false);
    return rc;
}

static int session_loop(struct gdbstub *s, int fd)
{
    bool listen_ok = s->listen_fd >= 0; /* false after accept fails: no busy loop */

    rsp_session_reset(&s->ss);
    rsp_framer_reset(&s->fr);
    strbuf_reset(&s->last);
    /* gdb expects to attach to a stopped target. */
    if (s->running) {
        int rc = stop_guest(s);

        if (rc)
            return rc;
    }
    for (;;) {
        struct pollfd pf[5];
        int n = 0, i_stop = -1, i_listen = -1, i_reject = -1, timeout = -1, rc, send_rc;

        pf[n++] = (struct pollfd){ .fd = fd, .events = POLLIN };
        pf[n++] = (struct pollfd){ .fd = s->wake[0], .events = POLLIN };
        if (s->running) {
            i_stop = n;
            pf[n++] = (struct pollfd){ .fd = s->stop_fd, .events = POLLIN };
        }
        if (listen_ok) {
            i_listen = n;
            pf[n++] = (struct pollfd){ .fd = s->listen_fd, .events = POLLIN };
        }
        if (s->reject_fd >= 0) {
            long long left = s->reject_deadline - gdbstub_now_ms();

            i_reject = n;
            pf[n++] = (struct pollfd){ .fd = s->reject_fd, .events = POLLIN };
            timeout = left < 0 ? 0 : left > GDBSTUB_REJECT_MS ? GDBSTUB_REJECT_MS : (int)left;
        }
        if (poll(pf, (nfds_t)n, timeout) < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (pf[1].revents || atomic_load(&s->shutdown))
            return GDBSTUB_END_SHUTDOWN;
        if (i_stop >= 0 && (pf[i_stop].revents & POLLIN)) {
            rc = collect_stop(s, fd, &send_rc);
            if (rc)
                return rc;
            if (send_rc)
                return conn_lost(s, send_rc);
        }
        if (pf[0].revents) {
            rc = conn_input(s, fd);
            if (rc)
                return rc;
        }
        if (i_reject >= 0 && pf[i_reject].revents)
            gdbstub_reject_input(s);
        if (s->reject_fd >= 0 && gdbstub_now_ms() >= s->reject_deadline)
            gdbstub_reject_close(s);
        if (i_listen >= 0 && (pf[i_listen].revents & POLLIN)) {
            /* A gdb that disconnects and at once reconnects must not be taken
             * for a second one: read what our gdb sent first, its end included. */
            rc = conn_drain(s, fd);
            if (rc)
                return rc;
            listen_ok = gdbstub_reject_accept(s) == 0;
        }
    }
}

int gdbstub_serve_fd(struct gdbstub *s, int fd, bool running)
{
    int rc;

    if (atomic_load(&s->shutdown))
        return GDBSTUB_END_SHUTDOWN;
    s->running = running;
    rc = session(s, fd);
    gdbstub_reject_close(s);
    return rc;
}

static bool accept_error_transient(int err)
{
    return err == EINTR || err == EAGAIN || err == EWOULDBLOCK || err == ECONNABORTED ||
           err == EPROTO || err == EPERM || err == ENETDOWN || err == EHOSTUNREACH;
}

int gdbstub_run(struct gdbstub *s, bool wait_first)
{
    int one = 1;

    if (s->listen_fd < 0)
        return -ENOTCONN;
    s->running = !wait_first;
    for (;;) {
        struct pollfd pf[3] = { { .fd = s->listen_fd, .events = POLLIN },
                                { .fd = s->wake[0], .events = POLLIN },
                                { .fd = s->stop_fd, .events = POLLIN } };
        int fd, rc, ignored;

        if (atomic_load(&s->shutdown))
            return GDBSTUB_END_SHUTDOWN;
        if (poll(pf, s->running ? 3 : 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (pf[1].revents)
            return GDBSTUB_END_SHUTDOWN;
        /* No gdb attached: a stop (e.g. a triple fault after a detach) is kept
         * for the next gdb; an exit ends everything. */
        if (s->running && (pf[2].revents & POLLIN)) {
            rc = collect_stop(s, -1, &ignored);
            if (rc)
                return rc;
        }
        if (!(pf[0].revents & POLLIN))
            continue;
        fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) {
            if (accept_error_transient(errno))
                continue;
            return -errno;
        }
        /* Small packets both ways: do not let Nagle delay each reply. Fails
         * harmlessly on Unix sockets. */
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        rc = session(s, fd);
        close(fd);
        gdbstub_reject_close(s);
        if (rc != GDBSTUB_END_DETACHED && rc != GDBSTUB_END_DISCONNECTED)
            return rc;
    }
}
