#include "vmm/devices/vga.h"

#include <string.h>

#include "vmm/pio.h"
#include "vmm/vm.h"

#define VGA_STATUS_PORT 0x3da
#define STATUS_RETRACE 0x09 /* display disabled and vertical retrace */

int vga_init(struct vga *g, struct vm *vm)
{
    memset(g, 0, sizeof(*g));
    g->vm = vm;
    g->crtc[CRTC_CURSOR_START] = 0x06; /* the BIOS's underline cursor, scan lines 6-7 */
    g->crtc[CRTC_CURSOR_END] = 0x07;
    return -pthread_mutex_init(&g->lock, NULL);
}

void vga_destroy(struct vga *g)
{
    pthread_mutex_destroy(&g->lock);
}

int vga_io(void *owner, struct io_req *req)
{
    struct vga *g = owner;
    pthread_mutex_lock(&g->lock);
    for (unsigned i = 0; i < req->size; i++) {
        uint16_t port = (uint16_t)(req->addr + i);
        uint8_t *d = &req->data[i];
        if (port == VGA_PORT_BASE) {
            if (req->write)
                g->index = *d;
            else
                *d = g->index;
        } else if (port == VGA_PORT_BASE + 1) {
            bool known = g->index < VGA_CRTC_REGS;
            if (req->write && known)
                g->crtc[g->index] = *d;
            else if (!req->write)
                *d = known ? g->crtc[g->index] : 0xff;
        } else if (port == VGA_STATUS_PORT && !req->write) {
            /* a loop waiting for retrace to start, or to end, sees both */
            g->status ^= STATUS_RETRACE;
            *d = g->status;
        } else if (!req->write) {
            *d = 0xff;
        }
    }
    pthread_mutex_unlock(&g->lock);
    return 0;
}

uint16_t vga_cursor(struct vga *g)
{
    pthread_mutex_lock(&g->lock);
    uint16_t c = (uint16_t)(g->crtc[CRTC_CURSOR_HI] << 8 | g->crtc[CRTC_CURSOR_LO]);
    pthread_mutex_unlock(&g->lock);
    return c;
}

void vga_set_cursor(struct vga *g, uint16_t cell)
{
    pthread_mutex_lock(&g->lock);
    g->crtc[CRTC_CURSOR_HI] = (uint8_t)(cell >> 8);
    g->crtc[CRTC_CURSOR_LO] = (uint8_t)cell;
    pthread_mutex_unlock(&g->lock);
}

uint16_t *vga_screen(struct vga *g)
{
    pthread_mutex_lock(&g->lock);
    uint32_t start = (uint32_t)(g->crtc[CRTC_START_HI] << 8 | g->crtc[CRTC_START_LO]);
    pthread_mutex_unlock(&g->lock);
    /* the start address counts cells; the page wraps within the 32 KiB window */
    uint32_t off = (start * 2) % VGA_TEXT_SIZE;
    if (off + VGA_CELLS * 2 > VGA_TEXT_SIZE)
        off = 0;
    return vm_gpa_to_hva(g->vm, VGA_TEXT_BASE + off, VGA_CELLS * 2);
}

void vga_row_text(const uint16_t *cells, int row, char *out)
{
    int len = 0;
    for (int col = 0; col < VGA_COLS; col++) {
        uint8_t ch = (uint8_t)cells[row * VGA_COLS + col];
        out[col] = ch == 0 ? ' ' : ch >= 0x20 && ch < 0x7f ? (char)ch : '.';
        if (out[col] != ' ')
            len = col + 1;
    }
    out[len] = '\0';
}

void vga_dump(struct vga *g, FILE *f, bool numbered)
{
    const uint16_t *cells = vga_screen(g);
    if (!cells) {
        fprintf(f, "vga: text memory at 0x%x lies outside guest RAM\n", VGA_TEXT_BASE);
        return;
    }
    char rows[VGA_ROWS][VGA_COLS + 1];
    int last = numbered ? VGA_ROWS - 1 : -1;
    for (int r = 0; r < VGA_ROWS; r++) {
        vga_row_text(cells, r, rows[r]);
        if (rows[r][0])
            last = r > last ? r : last;
    }
    for (int r = 0; r <= last; r++) {
        if (numbered)
            fprintf(f, "%2d|", r);
        fprintf(f, "%s\n", rows[r]);
    }
    if (numbered) {
        /* a page is 0x800 cells; the BIOS puts page N's cursor at N * 0x800 + cell */
        unsigned cur = vga_cursor(g) % 0x800u;
        fprintf(f, "cursor: row %u, column %u\n", cur / VGA_COLS, cur % VGA_COLS);
    }
}
