/* A minimal gdb-side RSP client for the gdbstub socket tests: frames packets,
 * handles acks, reads replies with a timeout. Header-only and static. */
#ifndef RSP_CLIENT_H
#define RSP_CLIENT_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CLIENT_TIMEOUT_MS 5000

struct rsp_client {
    int fd;
    bool noack;
    char body[1 << 17]; /* last reply body */
    size_t len;
};

static __attribute__((unused)) void client_init(struct rsp_client *c, int fd)
{
    c->fd = fd;
    c->noack = false;
    c->len = 0;
    c->body[0] = '\0';
}

/* One byte, or -1 on timeout, -2 on EOF/error. */
static __attribute__((unused)) int client_byte(struct rsp_client *c, int timeout_ms)
{
    struct pollfd pf = { .fd = c->fd, .events = POLLIN };
    unsigned char b;
    ssize_t n;

    if (poll(&pf, 1, timeout_ms) <= 0)
        return -1;
    n = read(c->fd, &b, 1);
    return n == 1 ? b : -2;
}

static __attribute__((unused)) int client_raw(struct rsp_client *c, const void *data, size_t len)
{
    const char *p = data;

    while (len) {
        ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static __attribute__((unused)) unsigned client_sum(const void *data, size_t len)
{
    const uint8_t *p = data;
    unsigned sum = 0;

    for (size_t i = 0; i < len; i++)
        sum += p[i];
    return sum & 0xff;
}

/* Sends "$body#cc" (body as given: the caller escapes binary data). */
static __attribute__((unused)) int client_send_bin(struct rsp_client *c, const void *body,
                                                   size_t len)
{
    char tail[4];

    snprintf(tail, sizeof(tail), "#%02x", client_sum(body, len));
    if (client_raw(c, "$", 1) || client_raw(c, body, len) || client_raw(c, tail, 3))
        return -1;
    return 0;
}

static __attribute__((unused)) int client_send(struct rsp_client *c, const char *body)
{
    return client_send_bin(c, body, strlen(body));
}

/* Reads one packet (skipping acks); acks it unless in no-ack mode. Returns
 * the body, or NULL on timeout, EOF or a bad checksum. */
static __attribute__((unused)) const char *client_recv(struct rsp_client *c)
{
    int b, h, l;

    c->len = 0;
    do {
        b = client_byte(c, CLIENT_TIMEOUT_MS);
        if (b < 0)
            return NULL;
    } while (b != '$');
    for (;;) {
        b = client_byte(c, CLIENT_TIMEOUT_MS);
        if (b < 0 || c->len >= sizeof(c->body) - 1)
            return NULL;
        if (b == '#')
            break;
        c->body[c->len++] = (char)b;
    }
    c->body[c->len] = '\0';
    h = client_byte(c, CLIENT_TIMEOUT_MS);
    l = client_byte(c, CLIENT_TIMEOUT_MS);
    if (h < 0 || l < 0)
        return NULL;
    {
        char cs[3] = { (char)h, (char)l, 0 };
        if (strtoul(cs, NULL, 16) != client_sum(c->body, c->len))
            return NULL;
    }
    if (!c->noack)
        client_raw(c, "+", 1);
    return c->body;
}

/* A command and its reply: expects the stub's '+' first in ack mode. */
static __attribute__((unused)) const char *client_cmd(struct rsp_client *c, const char *body)
{
    if (client_send(c, body))
        return NULL;
    if (!c->noack && client_byte(c, CLIENT_TIMEOUT_MS) != '+')
        return NULL;
    return client_recv(c);
}

/* A TCP connection to the stub on 127.0.0.1:port, or -1. */
static __attribute__((unused)) int client_tcp_connect(int port)
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

/* True if nothing at all arrives within ms. */
static __attribute__((unused)) bool client_quiet(struct rsp_client *c, int ms)
{
    struct pollfd pf = { .fd = c->fd, .events = POLLIN };

    return poll(&pf, 1, ms) == 0;
}

#endif
