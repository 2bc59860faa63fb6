/* The stub's life cycle and its listening socket. The conversation itself is in
 * gdbstub_session.c. */
#define _GNU_SOURCE
#include "gdbstub/gdbstub_priv.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* Clients that connect in quick succession (scripts, reconnect loops) queue here
 * while one is being turned away. */
#define LISTEN_BACKLOG 16

static void log_stderr(void *arg, const char *msg)
{
    fprintf(stderr, "gdbstub: %s\n", msg);
}

void gdbstub_log(struct gdbstub *s, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    if (!s->log)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    s->log(s->log_arg, msg);
}

void gdbstub_set_log(struct gdbstub *s, void (*fn)(void *arg, const char *msg), void *arg)
{
    s->log = fn;
    s->log_arg = arg;
}

int gdbstub_create(struct gdbstub **out, const struct gdb_target_ops *ops, void *target, int ncpus,
                   int stop_fd)
{
    struct gdbstub *s;
    int rc;

    *out = NULL;
    if (!ops || stop_fd < 0)
        return -EINVAL;
    s = calloc(1, sizeof(*s));
    if (!s)
        return -ENOMEM;
    s->listen_fd = s->reject_fd = -1;
    s->wake[0] = s->wake[1] = -1;
    s->port = -1;
    s->stop_fd = stop_fd;
    s->log = log_stderr;
    atomic_init(&s->shutdown, false);
    strbuf_init(&s->reply, RSP_REPLY_MAX);
    strbuf_init(&s->out, 2 * RSP_REPLY_MAX);
    strbuf_init(&s->last, 2 * RSP_REPLY_MAX);
    rc = rsp_session_init(&s->ss, ops, target, ncpus);
    if (rc) {
        free(s);
        return rc;
    }
    /* The reject framer only ever needs to see a qSupported. */
    if ((rc = rsp_framer_init(&s->fr, GDB_PACKET_SIZE)) ||
        (rc = rsp_framer_init(&s->reject_fr, 1024)) ||
        (rc = pipe2(s->wake, O_CLOEXEC | O_NONBLOCK) ? -errno : 0)) {
        gdbstub_destroy(s);
        return rc;
    }
    *out = s;
    return 0;
}

void gdbstub_destroy(struct gdbstub *s)
{
    if (!s)
        return;
    if (s->listen_fd >= 0)
        close(s->listen_fd);
    if (s->unix_path[0])
        unlink(s->unix_path);
    if (s->reject_fd >= 0)
        close(s->reject_fd);
    for (int i = 0; i < 2; i++)
        if (s->wake[i] >= 0)
            close(s->wake[i]);
    rsp_framer_free(&s->fr);
    rsp_framer_free(&s->reject_fr);
    rsp_session_free(&s->ss);
    strbuf_free(&s->reply);
    strbuf_free(&s->out);
    strbuf_free(&s->last);
    free(s);
}

void gdbstub_shutdown(struct gdbstub *s)
{
    ssize_t r;

    atomic_store(&s->shutdown, true);
    /* The pipe is non-blocking: a full pipe is already readable, which is all
     * that matters. */
    r = write(s->wake[1], "x", 1);
    (void)r;
}

int gdbstub_port(const struct gdbstub *s)
{
    return s->port;
}

const struct stop_info *gdbstub_last_stop(const struct gdbstub *s)
{
    return &s->ss.last_stop;
}

bool gdbstub_guest_running(const struct gdbstub *s)
{
    return s->running;
}

bool gdbstub_connected(const struct gdbstub *s)
{
    return atomic_load(&s->in_session);
}

static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
    va_list ap;

    if (err && errlen) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return rc;
}

static int listen_unix(struct gdbstub *s, const char *path, char *err, size_t errlen)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    struct stat st;
    int fd, rc;

    if (!*path || strlen(path) >= sizeof(sa.sun_path))
        return fail(err, errlen, -ENAMETOOLONG,
                    "gdb socket path \"%s\": empty or longer than %zu bytes", path,
                    sizeof(sa.sun_path) - 1);
    /* Only a leftover socket may be replaced: never delete someone's file. */
    if (lstat(path, &st) == 0) {
        if (!S_ISSOCK(st.st_mode))
            return fail(err, errlen, -EEXIST, "gdb socket path \"%s\" exists and is not a socket",
                        path);
        if (unlink(path) != 0)
            return fail(err, errlen, -errno,
                        "gdb socket path \"%s\": cannot remove the stale socket: %s", path,
                        strerror(errno));
    }
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return fail(err, errlen, -errno, "gdb socket: %s", strerror(errno));
    /* chmod before listen: nobody can connect to a socket not yet listening,
     * so there is no window in which the socket is open to others. */
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || chmod(path, 0600) != 0 ||
        listen(fd, LISTEN_BACKLOG) != 0) {
        rc = -errno;
        close(fd);
        unlink(path);
        return fail(err, errlen, rc, "gdb socket \"%s\": %s", path, strerror(-rc));
    }
    strcpy(s->unix_path, path);
    s->listen_fd = fd;
    return 0;
}

/* Only loopback keeps the stub private to this machine; anything else (the
 * wildcard above all) lets whoever reaches the port control the guest. */
static bool loopback_address(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
    if (sa->sa_family == AF_INET6)
        return memcmp(&((const struct sockaddr_in6 *)sa)->sin6_addr, &in6addr_loopback,
                      sizeof(in6addr_loopback)) == 0;
    return false;
}

static int listen_tcp(struct gdbstub *s, const char *host, const char *port, const char *spec,
                      char *err, size_t errlen)
{
    struct addrinfo hints = { .ai_family = AF_UNSPEC,
                              .ai_socktype = SOCK_STREAM,
                              .ai_flags = AI_PASSIVE | AI_NUMERICSERV };
    struct addrinfo *res, *ai;
    struct sockaddr_storage bound;
    socklen_t blen = sizeof(bound);
    int fd = -1, rc = -EADDRNOTAVAIL, one = 1;

    rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0)
        return fail(err, errlen, -EADDRNOTAVAIL, "gdb address \"%s\": %s", spec, gai_strerror(rc));
    rc = -EADDRNOTAVAIL;
    for (ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            rc = -errno;
            continue;
        }
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, LISTEN_BACKLOG) == 0)
            break;
        rc = -errno;
        close(fd);
        fd = -1;
    }
    if (fd >= 0 && !loopback_address(ai->ai_addr))
        gdbstub_log(s,
                    "warning: listening on %s: the gdb stub is reachable from the network, "
                    "and whoever connects controls the guest",
                    spec);
    freeaddrinfo(res);
    if (fd < 0)
        return fail(err, errlen, rc, "gdb address \"%s\": %s", spec, strerror(-rc));
    if (getsockname(fd, (struct sockaddr *)&bound, &blen) == 0)
        s->port = ntohs(bound.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&bound)->sin6_port
                                                    : ((struct sockaddr_in *)&bound)->sin_port);
    s->listen_fd = fd;
    return 0;
}

int gdbstub_listen(struct gdbstub *s, const char *spec, char *err, size_t errlen)
{
    char host[256];
    const char *colon, *port, *h;
    size_t hlen;

    if (s->listen_fd >= 0)
        return fail(err, errlen, -EBUSY, "gdb stub already listening");
    if (strncmp(spec, "unix:", 5) == 0)
        return listen_unix(s, spec + 5, err, errlen);
    colon = strrchr(spec, ':');
    port = colon ? colon + 1 : spec;
    if (!*port || strspn(port, "0123456789") != strlen(port) || strlen(port) > 5 ||
        atoi(port) > 65535)
        return fail(err, errlen, -EINVAL, "gdb address \"%s\": the port must be a number 0-65535",
                    spec);
    if (!colon)
        return listen_tcp(s, "127.0.0.1", port, spec, err, errlen);
    hlen = (size_t)(colon - spec);
    h = spec;
    /* "[::1]:1234": brackets keep an IPv6 address's colons apart from the port. */
    if (hlen >= 2 && h[0] == '[' && h[hlen - 1] == ']') {
        h++;
        hlen -= 2;
    }
    if (hlen == 0 || hlen >= sizeof(host))
        return fail(err, errlen, -EINVAL, "gdb address \"%s\": bad host", spec);
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    return listen_tcp(s, host, port, spec, err, errlen);
}
