/* The host side of the guests' text I/O: stdout with per-vCPU line prefixes when
 * several guests share it, and stdin gathered by a thread into a small queue that the
 * UART and the getchar hypercall read without ever blocking a vCPU. */
#ifndef MINIKVM_CONSOLE_H
#define MINIKVM_CONSOLE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <termios.h>

#define CONSOLE_MAX_LANES 16
#define CONSOLE_LINE_MAX 512
#define CONSOLE_IN_SIZE 4096

struct console_lane {
    char name[48];
    char line[CONSOLE_LINE_MAX];
    size_t len;
};

#define CONSOLE_OUT_SIZE 4096
#define CONSOLE_FLUSH_MS 50

struct console {
    int out_fd;
    /* single guest: bytes wait here for a newline, a read of input, or at most
     * CONSOLE_FLUSH_MS (the input thread's tick), instead of a write(2) each */
    char out[CONSOLE_OUT_SIZE];
    size_t out_len;
    bool mid_line;               /* the last byte written to out_fd was not a newline */
    char held[CONSOLE_OUT_SIZE]; /* console_write_lines text waiting for that newline */
    size_t held_len;
    bool prefix; /* several guests: "[N:name] " before each line */
    bool color;  /* only when out_fd is a terminal */
    pthread_mutex_t lock;
    struct console_lane lane[CONSOLE_MAX_LANES];

    int in_fd; /* -1: no input */
    bool raw;  /* in_fd is a tty we switched to raw mode */
    struct termios saved_tio;
    bool in_thread_started;
    pthread_t in_thread;
    int wake[2]; /* self-pipe: tells the input thread to stop */
    uint8_t in_buf[CONSOLE_IN_SIZE];
    size_t in_head, in_count;
    bool in_eof;
    bool escape;                 /* saw Ctrl-A on a raw tty */
    void (*on_input)(void *arg); /* new bytes queued (raise the UART's IRQ) */
    void (*on_quit)(void *arg);  /* Ctrl-A x typed */
    void *cb_arg;
};

int console_init(struct console *c, int out_fd, int in_fd, bool prefix);
void console_set_lane(struct console *c, int lane, const char *name);
/* Starts the thread that reads input and flushes pending output on a tick. */
int console_start_input(struct console *c);
void console_flush(struct console *c);
void console_putc(struct console *c, int lane, uint8_t ch);
void console_flush_lane(struct console *c, int lane);
/* A queued byte, or -1 when none is there yet (or input has ended). */
int console_getc(struct console *c);
bool console_has_input(struct console *c);
/* The next byte without taking it, or -1 (the BIOS's keyboard peek). */
int console_peekc(struct console *c);
/* Text (a screen redraw) after what the guests wrote so far, at once. */
void console_write(struct console *c, const char *text, size_t len);
/* Whole lines of the VMM's own (the VGA screen's rows), kept back while a guest's
 * line is half written so that neither is cut; they follow its newline. */
void console_write_lines(struct console *c, const char *text, size_t len);
/* Stops the input thread, flushes every lane, restores the terminal. Idempotent. */
void console_close(struct console *c);
/* Async-signal-safe terminal restore for fatal paths. */
void console_restore_tty(const struct console *c);

#endif
