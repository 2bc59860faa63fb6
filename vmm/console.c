#define _GNU_SOURCE
#include "vmm/console.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; /* stdout gone (closed pipe): the guest's text has nowhere to go */
        p += n;
        len -= (size_t)n;
    }
}

int console_init(struct console *c, int out_fd, int in_fd, bool prefix)
{
    memset(c, 0, sizeof(*c));
    c->out_fd = out_fd;
    c->in_fd = in_fd;
    c->prefix = prefix;
    c->color = isatty(out_fd);
    c->wake[0] = c->wake[1] = -1;
    int rc = pthread_mutex_init(&c->lock, NULL);
    if (rc)
        return -rc;
    if (in_fd >= 0 && isatty(in_fd) && tcgetattr(in_fd, &c->saved_tio) == 0) {
        struct termios t = c->saved_tio;
        /* Raw input so the guest sees every key (Ctrl-C included), but keep output
         * post-processing so the guest's "\n" still starts a new line. */
        t.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
        t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
        t.c_cflag |= CS8;
        t.c_cc[VMIN] = 1;
        t.c_cc[VTIME] = 0;
        if (tcsetattr(in_fd, TCSANOW, &t) == 0)
            c->raw = true;
    }
    return 0;
}

void console_set_lane(struct console *c, int lane, const char *name)
{
    if (lane < 0 || lane >= CONSOLE_MAX_LANES)
        return;
    snprintf(c->lane[lane].name, sizeof(c->lane[lane].name), "%s", name);
}

/* Called with c->lock held. */
static void lane_emit(struct console *c, int lane, bool newline)
{
    struct console_lane *l = &c->lane[lane];
    char head[96];
    int n;
    /* Six distinct colours cycle so neighbouring vCPUs never share one. */
    if (c->color)
        n = snprintf(head, sizeof(head), "\033[%dm[%d:%s]\033[0m ", 31 + lane % 6, lane, l->name);
    else
        n = snprintf(head, sizeof(head), "[%d:%s] ", lane, l->name);
    char out[sizeof(head) + CONSOLE_LINE_MAX + 1];
    size_t len = 0;
    if (n > 0) {
        memcpy(out, head, (size_t)n);
        len = (size_t)n;
    }
    memcpy(out + len, l->line, l->len);
    len += l->len;
    if (newline)
        out[len++] = '\n';
    write_all(c->out_fd, out, len);
    l->len = 0;
}

/* Called with c->lock held. */
static void out_flush_locked(struct console *c)
{
    if (c->out_len) {
        write_all(c->out_fd, c->out, c->out_len);
        c->mid_line = c->out[c->out_len - 1] != '\n';
        c->out_len = 0;
    }
    if (c->held_len && !c->mid_line) {
        write_all(c->out_fd, c->held, c->held_len);
        c->held_len = 0;
    }
}

void console_flush(struct console *c)
{
    pthread_mutex_lock(&c->lock);
    out_flush_locked(c);
    pthread_mutex_unlock(&c->lock);
}

void console_putc(struct console *c, int lane, uint8_t ch)
{
    pthread_mutex_lock(&c->lock);
    if (!c->prefix || lane < 0 || lane >= CONSOLE_MAX_LANES) {
        c->out[c->out_len++] = (char)ch;
        if (ch == '\n' || c->out_len == CONSOLE_OUT_SIZE)
            out_flush_locked(c);
        pthread_mutex_unlock(&c->lock);
        return;
    }
    struct console_lane *l = &c->lane[lane];
    if (ch == '\n') {
        lane_emit(c, lane, true);
    } else if (ch != '\r') {
        l->line[l->len++] = (char)ch;
        if (l->len == CONSOLE_LINE_MAX)
            lane_emit(c, lane, true); /* an overlong line is split, never dropped */
    }
    pthread_mutex_unlock(&c->lock);
}

void console_flush_lane(struct console *c, int lane)
{
    if (!c->prefix || lane < 0 || lane >= CONSOLE_MAX_LANES)
        return;
    pthread_mutex_lock(&c->lock);
    if (c->lane[lane].len)
        lane_emit(c, lane, true);
    pthread_mutex_unlock(&c->lock);
}

static void input_push(struct console *c, const uint8_t *buf, size_t n)
{
    bool quit = false;
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; i < n; i++) {
        uint8_t ch = buf[i];
        if (c->raw) {
            /* Ctrl-A x leaves, Ctrl-A Ctrl-A sends one Ctrl-A: QEMU's -nographic keys. */
            if (c->escape) {
                c->escape = false;
                if (ch == 'x' || ch == 'X') {
                    quit = true;
                    continue;
                }
                if (ch != 0x01)
                    continue;
            } else if (ch == 0x01) {
                c->escape = true;
                continue;
            }
        }
        if (c->in_count == CONSOLE_IN_SIZE)
            break; /* the guest is not reading; older input wins, the rest is dropped */
        c->in_buf[(c->in_head + c->in_count) % CONSOLE_IN_SIZE] = ch;
        c->in_count++;
    }
    pthread_mutex_unlock(&c->lock);
    if (quit && c->on_quit)
        c->on_quit(c->cb_arg);
    else if (c->on_input)
        c->on_input(c->cb_arg);
}

static void *input_thread(void *arg)
{
    struct console *c = arg;
    bool in_open = c->in_fd >= 0;
    for (;;) {
        struct pollfd p[2] = { { .fd = c->wake[0], .events = POLLIN },
                               { .fd = c->in_fd, .events = POLLIN } };
        int n = poll(p, in_open ? 2 : 1, CONSOLE_FLUSH_MS);
        if (n < 0 && errno != EINTR)
            break;
        if (n <= 0) {
            console_flush(c); /* the tick: a prompt without a newline shows up */
            continue;
        }
        if (p[0].revents)
            break;
        if (!in_open || !p[1].revents)
            continue;
        uint8_t buf[256];
        ssize_t got = read(c->in_fd, buf, sizeof(buf));
        if (got < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (got <= 0) {
            in_open = false; /* end of input: keep ticking for output */
            pthread_mutex_lock(&c->lock);
            c->in_eof = true;
            pthread_mutex_unlock(&c->lock);
            continue;
        }
        input_push(c, buf, (size_t)got);
    }
    return NULL;
}

int console_start_input(struct console *c)
{
    if (pipe2(c->wake, O_CLOEXEC) < 0)
        return -errno;
    int rc = pthread_create(&c->in_thread, NULL, input_thread, c);
    if (rc)
        return -rc;
    c->in_thread_started = true;
    return 0;
}

int console_getc(struct console *c)
{
    int ch = -1;
    pthread_mutex_lock(&c->lock);
    out_flush_locked(c); /* a guest asking for input has shown its prompt */
    if (c->in_count) {
        ch = c->in_buf[c->in_head];
        c->in_head = (c->in_head + 1) % CONSOLE_IN_SIZE;
        c->in_count--;
    }
    pthread_mutex_unlock(&c->lock);
    return ch;
}

int console_peekc(struct console *c)
{
    pthread_mutex_lock(&c->lock);
    out_flush_locked(c);
    int ch = c->in_count ? c->in_buf[c->in_head] : -1;
    pthread_mutex_unlock(&c->lock);
    return ch;
}

void console_write(struct console *c, const char *text, size_t len)
{
    pthread_mutex_lock(&c->lock);
    out_flush_locked(c);
    write_all(c->out_fd, text, len);
    pthread_mutex_unlock(&c->lock);
}

void console_write_lines(struct console *c, const char *text, size_t len)
{
    pthread_mutex_lock(&c->lock);
    out_flush_locked(c);
    if (!c->mid_line) {
        write_all(c->out_fd, text, len);
    } else if (c->held_len + len <= sizeof(c->held)) {
        memcpy(c->held + c->held_len, text, len);
        c->held_len += len;
    } else {
        /* a guest line that never ends: end it here rather than lose screen rows */
        write_all(c->out_fd, "\n", 1);
        write_all(c->out_fd, c->held, c->held_len);
        write_all(c->out_fd, text, len);
        c->held_len = 0;
        c->mid_line = false;
    }
    pthread_mutex_unlock(&c->lock);
}

bool console_has_input(struct console *c)
{
    pthread_mutex_lock(&c->lock);
    bool has = c->in_count != 0;
    pthread_mutex_unlock(&c->lock);
    return has;
}

void console_restore_tty(const struct console *c)
{
    if (c->raw)
        tcsetattr(c->in_fd, TCSAFLUSH, &c->saved_tio);
}

void console_close(struct console *c)
{
    if (c->in_thread_started) {
        char b = 1;
        if (write(c->wake[1], &b, 1) < 0) { /* the thread still ends at EOF */
        }
        pthread_join(c->in_thread, NULL);
        c->in_thread_started = false;
    }
    for (int fd = 0; fd < 2; fd++)
        if (c->wake[fd] >= 0) {
            close(c->wake[fd]);
            c->wake[fd] = -1;
        }
    for (int i = 0; i < CONSOLE_MAX_LANES; i++)
        console_flush_lane(c, i);
    console_flush(c);
    if (c->held_len) {
        write_all(c->out_fd, "\n", 1);
        write_all(c->out_fd, c->held, c->held_len);
        c->held_len = 0;
    }
    console_restore_tty(c);
    c->raw = false;
}
