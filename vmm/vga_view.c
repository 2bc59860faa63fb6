#include "vmm/vga_view.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vmm/clock.h"
#include "vmm/machine.h"

#define VIEW_TICK_MS 20
#define LIVE_MIN_ROWS 30

/* VGA colour numbers to ANSI's (VGA: blue=1, red=4; ANSI: red=1, blue=4) */
static const uint8_t ansi_of_vga[8] = { 0, 4, 2, 6, 1, 5, 3, 7 };

static void emit(struct vga_view *w, const char *s, size_t len)
{
    console_write(&w->m->con, s, len);
}

static void show_lines(struct vga_view *w, const uint16_t *cells)
{
    for (int r = 0; r < VGA_ROWS; r++) {
        char now[VGA_COLS + 1];
        vga_row_text(cells, r, now);
        if (strcmp(now, w->text[r]) == 0)
            continue;
        memcpy(w->text[r], now, sizeof(now));
        char line[VGA_COLS + 16];
        int n = snprintf(line, sizeof(line), "vga %02d: %s\n", r, now);
        console_write_lines(&w->m->con, line, (size_t)n);
    }
}

/* Redraws the rows that changed, saving and restoring the cursor so that serial
 * output goes on in the scroll region below the screen. */
static void show_live(struct vga_view *w, const uint16_t *cells)
{
    char buf[VGA_ROWS * (VGA_COLS * 24 + 32) + 64];
    size_t n = 0;
    bool any = false;
    n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\0337");
    for (int r = 0; r < VGA_ROWS; r++) {
        const uint16_t *row = cells + r * VGA_COLS;
        if (w->drawn && memcmp(row, w->cells + r * VGA_COLS, VGA_COLS * 2) == 0)
            continue;
        any = true;
        n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\033[%d;1H", r + 1);
        int attr = -1;
        for (int col = 0; col < VGA_COLS; col++) {
            uint8_t ch = (uint8_t)row[col], a = (uint8_t)(row[col] >> 8);
            if (a != attr) {
                uint8_t fg = a & 0x0f, bg = (a >> 4) & 7;
                n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\033[0;%d;%dm",
                                      (fg & 8 ? 90 : 30) + ansi_of_vga[fg & 7],
                                      40 + ansi_of_vga[bg]);
                attr = a;
            }
            buf[n++] = ch >= 0x20 && ch < 0x7f ? (char)ch : ch ? '.' : ' ';
        }
        n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\033[0m");
    }
    n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\0338");
    memcpy(w->cells, cells, sizeof(w->cells));
    w->drawn = true;
    if (any)
        emit(w, buf, n);
}

static void view_scan(struct vga_view *w)
{
    const uint16_t *cells = vga_screen(&w->m->vga);
    if (!cells)
        return;
    if (w->mode == VGA_VIEW_LINES)
        show_lines(w, cells);
    else if (w->mode == VGA_VIEW_LIVE)
        show_live(w, cells);
}

static void *view_thread(void *arg)
{
    struct vga_view *w = arg;
    pthread_mutex_lock(&w->lock);
    while (!w->stop) {
        struct timespec dl;
        clock_deadline(&dl, VIEW_TICK_MS);
        pthread_cond_timedwait(&w->cond, &w->lock, &dl);
        bios_tick(&w->m->bios);
        view_scan(w);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

static void live_begin(struct vga_view *w)
{
    struct winsize ws;
    w->term_rows = ioctl(w->m->con.out_fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row ? ws.ws_row : 0;
    if (w->term_rows < LIVE_MIN_ROWS)
        w->term_rows = LIVE_MIN_ROWS;
    char s[128];
    /* the screen on rows 1-25, a rule, serial output scrolling from row 27 */
    int n = snprintf(s, sizeof(s), "\033[2J\033[26;1H\033[7m %-78s \033[0m\033[27;%dr\033[27;1H",
                     "serial output", w->term_rows);
    emit(w, s, (size_t)n);
}

int vga_view_start(struct vga_view *w, struct machine *m, enum vga_view_mode mode)
{
    memset(w, 0, sizeof(*w));
    w->m = m;
    w->mode = mode;
    if (mode == VGA_VIEW_OFF && !m->bios.present)
        return 0;
    int rc = pthread_mutex_init(&w->lock, NULL);
    if (rc)
        return -rc;
    if ((rc = clock_cond_init(&w->cond)) < 0)
        return rc;
    if (mode == VGA_VIEW_LIVE)
        live_begin(w);
    rc = pthread_create(&w->thread, NULL, view_thread, w);
    if (rc)
        return -rc;
    w->started = true;
    return 0;
}

void vga_view_stop(struct vga_view *w)
{
    if (!w->started)
        return;
    pthread_mutex_lock(&w->lock);
    w->stop = true;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    w->started = false;
    view_scan(w); /* what the guest wrote just before it ended */
    if (w->mode == VGA_VIEW_LIVE) {
        char s[48];
        int n = snprintf(s, sizeof(s), "\033[r\033[%d;1H\n", w->term_rows);
        emit(w, s, (size_t)n);
    }
    pthread_cond_destroy(&w->cond);
    pthread_mutex_destroy(&w->lock);
}
