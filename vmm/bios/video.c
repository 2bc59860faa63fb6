/* int 10h: the text-mode video services, on the VGA text screen model
 * (vmm/devices/vga.h). The cursor of each page lives in the BIOS data area as on
 * a PC; the active page's cursor is mirrored into the CRTC, which tutorial
 * kernels read back. Teletype output (AH=0Eh, 13h) also goes to the console so
 * that scripts see it. */
#include <string.h>

#include "vmm/bios/bios_priv.h"
#include "vmm/devices/vga.h"
#include "vmm/machine.h"

#define PAGES 8
#define PAGE_CELLS 0x800u /* 4 KiB */
#define BLANK 0x0720u     /* space, light grey on black */

static uint16_t *page_cells(struct bios_call *c, uint8_t page)
{
    uint16_t *all = vm_gpa_to_hva(&c->m->vm, VGA_TEXT_BASE, VGA_TEXT_SIZE);
    return all ? all + (page % PAGES) * PAGE_CELLS : NULL;
}

static uint8_t active_page(struct bios_call *c)
{
    return bios_bda(c->m)[BDA_ACTIVE_PAGE] % PAGES;
}

static void cursor_get(struct bios_call *c, uint8_t page, uint8_t *row, uint8_t *col)
{
    uint8_t *bda = bios_bda(c->m);
    *col = bda[BDA_CURSOR + 2 * (page % PAGES)];
    *row = bda[BDA_CURSOR + 2 * (page % PAGES) + 1];
}

static void cursor_set(struct bios_call *c, uint8_t page, uint8_t row, uint8_t col)
{
    uint8_t *bda = bios_bda(c->m);
    bda[BDA_CURSOR + 2 * (page % PAGES)] = col;
    bda[BDA_CURSOR + 2 * (page % PAGES) + 1] = row;
    if (page % PAGES == active_page(c))
        vga_set_cursor(&c->m->vga, (uint16_t)((page % PAGES) * PAGE_CELLS + row * VGA_COLS + col));
}

/* Scrolls the window rows top..bottom, columns left..right, by N lines up (or down);
 * N = 0 or N >= the window's height blanks it. New lines get attribute ATTR. */
static void scroll(uint16_t *cells, int top, int left, int bottom, int right, int n, bool up,
                   uint8_t attr)
{
    if (bottom >= VGA_ROWS)
        bottom = VGA_ROWS - 1;
    if (right >= VGA_COLS)
        right = VGA_COLS - 1;
    if (top > bottom || left > right)
        return;
    int height = bottom - top + 1, width = right - left + 1;
    if (n == 0 || n > height)
        n = height;
    uint16_t blank = (uint16_t)(attr << 8 | ' ');
    for (int i = 0; i < height; i++) {
        int row = up ? top + i : bottom - i;
        int from = up ? row + n : row - n;
        uint16_t *dst = cells + row * VGA_COLS + left;
        if (i < height - n)
            memmove(dst, cells + from * VGA_COLS + left, (size_t)width * 2);
        else
            for (int k = 0; k < width; k++)
                dst[k] = blank;
    }
}

static void console_echo(struct bios_call *c, uint8_t ch)
{
    if (ch == '\r' || ch == 7)
        return; /* a terminal line needs only the newline; no bells in logs */
    console_putc(&c->m->con, c->v->id, ch);
}

/* One character at the page's cursor, with the control characters a PC BIOS
 * obeys; ATTR < 0 keeps the cell's attribute. */
static void teletype(struct bios_call *c, uint8_t page, uint8_t ch, int attr)
{
    uint16_t *cells = page_cells(c, page);
    uint8_t row, col;
    cursor_get(c, page, &row, &col);
    if (row >= VGA_ROWS)
        row = VGA_ROWS - 1;
    if (col >= VGA_COLS)
        col = VGA_COLS - 1;
    switch (ch) {
    case 7: break;
    case '\b':
        if (col)
            col--;
        break;
    case '\r': col = 0; break;
    case '\n': row++; break;
    default:
        if (cells) {
            uint16_t *cell = &cells[row * VGA_COLS + col];
            uint8_t a = attr < 0 ? (uint8_t)(*cell >> 8) : (uint8_t)attr;
            *cell = (uint16_t)(a << 8 | ch);
        }
        if (++col == VGA_COLS) {
            col = 0;
            row++;
        }
    }
    if (row == VGA_ROWS) {
        if (cells)
            scroll(cells, 0, 0, VGA_ROWS - 1, VGA_COLS - 1, 1, true, 0x07);
        row = VGA_ROWS - 1;
    }
    cursor_set(c, page, row, col);
}

void vid_set_mode(struct bios_call *c)
{
    uint8_t mode = AL(c) & 0x7f;
    if (mode > 3 && mode != 7) {
        bios_unimplemented(c, 0x86); /* graphics modes: there is only text */
        c->cf = false;
        return;
    }
    uint8_t *bda = bios_bda(c->m);
    bda[BDA_VIDEO_MODE] = mode == 7 ? 7 : 3;
    bda[BDA_ACTIVE_PAGE] = 0;
    memset(bda + BDA_PAGE_START, 0, 2);
    memset(bda + BDA_CURSOR, 0, 2 * PAGES);
    struct vga *g = &c->m->vga;
    pthread_mutex_lock(&g->lock);
    g->crtc[CRTC_START_HI] = g->crtc[CRTC_START_LO] = 0;
    pthread_mutex_unlock(&g->lock);
    uint16_t *cells = page_cells(c, 0);
    if (cells && !(AL(c) & 0x80))
        for (unsigned i = 0; i < PAGES * PAGE_CELLS; i++)
            cells[i] = BLANK;
    cursor_set(c, 0, 0, 0);
}

void vid_cursor_shape(struct bios_call *c)
{
    uint8_t *bda = bios_bda(c->m);
    bda[BDA_CURSOR_SHAPE] = reg_lo(c->r.rcx);
    bda[BDA_CURSOR_SHAPE + 1] = reg_hi(c->r.rcx);
    struct vga *g = &c->m->vga;
    pthread_mutex_lock(&g->lock);
    g->crtc[CRTC_CURSOR_START] = reg_hi(c->r.rcx);
    g->crtc[CRTC_CURSOR_END] = reg_lo(c->r.rcx);
    pthread_mutex_unlock(&g->lock);
}

void vid_set_cursor(struct bios_call *c)
{
    cursor_set(c, reg_hi(c->r.rbx), reg_hi(c->r.rdx), reg_lo(c->r.rdx));
}

void vid_get_cursor(struct bios_call *c)
{
    uint8_t row, col;
    cursor_get(c, reg_hi(c->r.rbx), &row, &col);
    set_hi(&c->r.rdx, row);
    set_lo(&c->r.rdx, col);
    uint8_t *bda = bios_bda(c->m);
    set_16(&c->r.rcx, (uint16_t)(bda[BDA_CURSOR_SHAPE + 1] << 8 | bda[BDA_CURSOR_SHAPE]));
    set_16(&c->r.rax, 0);
}

void vid_select_page(struct bios_call *c)
{
    uint8_t page = AL(c) % PAGES;
    uint8_t *bda = bios_bda(c->m);
    bda[BDA_ACTIVE_PAGE] = page;
    uint16_t start = (uint16_t)(page * PAGE_CELLS);
    uint16_t bytes = (uint16_t)(start * 2);
    memcpy(bda + BDA_PAGE_START, &bytes, 2);
    struct vga *g = &c->m->vga;
    pthread_mutex_lock(&g->lock);
    g->crtc[CRTC_START_HI] = (uint8_t)(start >> 8);
    g->crtc[CRTC_START_LO] = (uint8_t)start;
    pthread_mutex_unlock(&g->lock);
    uint8_t row, col;
    cursor_get(c, page, &row, &col);
    cursor_set(c, page, row, col);
}

void vid_scroll(struct bios_call *c)
{
    uint16_t *cells = page_cells(c, active_page(c));
    if (cells)
        scroll(cells, reg_hi(c->r.rcx), reg_lo(c->r.rcx), reg_hi(c->r.rdx), reg_lo(c->r.rdx), AL(c),
               AH(c) == 0x06, reg_hi(c->r.rbx));
}

void vid_read_cell(struct bios_call *c)
{
    uint8_t page = reg_hi(c->r.rbx), row, col;
    cursor_get(c, page, &row, &col);
    uint16_t *cells = page_cells(c, page);
    uint16_t cell = cells && row < VGA_ROWS && col < VGA_COLS ? cells[row * VGA_COLS + col] : 0;
    set_16(&c->r.rax, cell);
}

void vid_write_cells(struct bios_call *c)
{
    uint8_t page = reg_hi(c->r.rbx), row, col;
    cursor_get(c, page, &row, &col);
    uint16_t *cells = page_cells(c, page);
    if (!cells || row >= VGA_ROWS || col >= VGA_COLS)
        return;
    unsigned at = row * VGA_COLS + col, n = (uint16_t)c->r.rcx;
    for (unsigned i = 0; i < n && at + i < VGA_CELLS; i++) {
        uint16_t *cell = &cells[at + i];
        uint8_t attr = AH(c) == 0x09 ? reg_lo(c->r.rbx) : (uint8_t)(*cell >> 8);
        *cell = (uint16_t)(attr << 8 | AL(c));
    }
}

void vid_teletype(struct bios_call *c)
{
    teletype(c, active_page(c), AL(c), -1);
    console_echo(c, AL(c));
}

void vid_get_mode(struct bios_call *c)
{
    uint8_t *bda = bios_bda(c->m);
    set_lo(&c->r.rax, bda[BDA_VIDEO_MODE]);
    set_hi(&c->r.rax, VGA_COLS);
    set_hi(&c->r.rbx, bda[BDA_ACTIVE_PAGE]);
}

void vid_ega_info(struct bios_call *c)
{
    if (reg_lo(c->r.rbx) != 0x10) {
        bios_unimplemented(c, 0x86);
        return;
    }
    set_16(&c->r.rbx, 0x0003); /* colour, 256 KiB */
    set_16(&c->r.rcx, 0x0009);
}

void vid_write_string(struct bios_call *c)
{
    uint8_t mode = AL(c), page = reg_hi(c->r.rbx), row0, col0;
    uint16_t n = (uint16_t)c->r.rcx;
    bool attrs = mode & 2;
    const uint8_t *s = bios_mem(c, c->s.es.selector, bios_caller_bp(c), n * (attrs ? 2u : 1u));
    if (!s) {
        c->cf = true;
        return;
    }
    cursor_get(c, page, &row0, &col0);
    cursor_set(c, page, reg_hi(c->r.rdx), reg_lo(c->r.rdx));
    for (unsigned i = 0; i < n; i++) {
        uint8_t ch = attrs ? s[2 * i] : s[i];
        teletype(c, page, ch, attrs ? s[2 * i + 1] : reg_lo(c->r.rbx));
        console_echo(c, ch);
    }
    if (!(mode & 1))
        cursor_set(c, page, row0, col0);
}

void vid_display_code(struct bios_call *c)
{
    if (AL(c) == 0x00)
        set_16(&c->r.rbx, 0x0008); /* VGA with colour analog display */
    set_lo(&c->r.rax, 0x1a);
}
