/* The stub object, shared by gdbstub.c (life cycle, listening) and
 * gdbstub_session.c (the accept loop and one connection's conversation). */
#ifndef MINIKVM_GDBSTUB_PRIV_H
#define MINIKVM_GDBSTUB_PRIV_H

#include <stdatomic.h>
#include <sys/types.h>
#include <sys/un.h>

#include "gdbstub/gdbstub.h"
#include "gdbstub/rsp.h"

/* A second gdb gets this many milliseconds to send its first packet, which is
 * answered with an error, before it is simply closed. */
#define GDBSTUB_REJECT_MS 5000
/* A peer that reads nothing of our output for this long is considered gone,
 * so a stuck gdb cannot wedge the stub thread forever. */
#define GDBSTUB_WRITE_TIMEOUT_MS 30000
/* After this long without the stop an interrupt asked for, the stub logs it. */
#define GDBSTUB_STOP_WAIT_MS 5000

struct gdbstub {
    struct rsp_session ss; /* protocol state of the current connection */
    struct rsp_framer fr;  /* input of the current connection */
    struct strbuf reply;   /* reply body being built */
    struct strbuf out;     /* framed bytes being written */
    struct strbuf last;    /* last packet sent, for a '-' from the peer */
    int stop_fd;
    int listen_fd; /* -1 until gdbstub_listen() */
    int port;      /* bound TCP port, -1 for Unix sockets */
    char unix_path[sizeof(((struct sockaddr_un *)0)->sun_path)]; /* to unlink at the end */
    int wake[2]; /* self-pipe: gdbstub_shutdown() makes wake[0] readable */
    atomic_bool shutdown;
    bool running;           /* the guest runs: its stop will come through stop_fd */
    atomic_bool in_session; /* a gdb is connected (read by other threads) */
    /* A second connection being turned away while a session is active. */
    int reject_fd;
    struct rsp_framer reject_fr;
    long long reject_deadline; /* CLOCK_MONOTONIC ms */
    void (*log)(void *arg, const char *msg);
    void *log_arg;
};

/* printf-style diagnostics through s->log. */
void gdbstub_log(struct gdbstub *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- gdbstub_conn.c: output and second connections ---- */

long long gdbstub_now_ms(void);
/* send()/recv() without SIGPIPE and without blocking; read()/write() for
 * descriptors that are not sockets. */
ssize_t gdbstub_fd_send(int fd, const void *buf, size_t len);
ssize_t gdbstub_fd_recv(int fd, void *buf, size_t len);
/* All of buf, or -ECANCELED (shutdown), -ETIMEDOUT (peer reads nothing) or
 * the send error. */
int gdbstub_write(struct gdbstub *s, int fd, const void *buf, size_t len);
/* Frames and sends one packet; in ack mode it is kept for retransmission. */
int gdbstub_send_packet(struct gdbstub *s, int fd, const char *body, size_t len);
/* Drains the session's monitor output as O packets. */
int gdbstub_send_console(struct gdbstub *s, int fd);
/* A second gdb: accept it, answer its first packet with an error, close it.
 * accept returns -errno when the listener is unusable for now (EMFILE...). */
int gdbstub_reject_accept(struct gdbstub *s);
void gdbstub_reject_input(struct gdbstub *s);
void gdbstub_reject_close(struct gdbstub *s);

#endif
