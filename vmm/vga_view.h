/* What the VGA text screen shows, made visible on the host: changed rows as plain
 * lines (--vga lines), or the live screen on a terminal (--vga live: ANSI, redrawn
 * on change, serial output scrolling below it). Its thread also keeps the BIOS's
 * tick count moving for guests that poll 0040:006C. */
#ifndef MINIKVM_VGA_VIEW_H
#define MINIKVM_VGA_VIEW_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "vmm/devices/vga.h"

struct machine;

enum vga_view_mode { VGA_VIEW_OFF, VGA_VIEW_LINES, VGA_VIEW_LIVE };

struct vga_view {
    struct machine *m;
    enum vga_view_mode mode;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool stop;
    bool started;
    pthread_t thread;
    int term_rows;                     /* live: the terminal's height */
    char text[VGA_ROWS][VGA_COLS + 1]; /* lines: what was printed last per row */
    uint16_t cells[VGA_CELLS];         /* live: what is on the terminal */
    bool drawn;
};

/* Starts the thread (a no-op when there is nothing to show and no BIOS). */
int vga_view_start(struct vga_view *w, struct machine *m, enum vga_view_mode mode);
/* Stops it after showing the last changes; live mode gives the terminal back. */
void vga_view_stop(struct vga_view *w);

#endif
