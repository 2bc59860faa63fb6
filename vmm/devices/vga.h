/* The VGA text screen: 80x25 cells of (character, attribute) at 0xB8000, which is
 * guest RAM (the guest writes it directly; the VMM reads it back), and the CRTC
 * registers at 3D4h/3D5h that hold the hardware cursor and the start address, plus
 * the input status register at 3DAh whose retrace bits toggle so that programs
 * waiting for a retrace go on. */
#ifndef MINIKVM_VGA_H
#define MINIKVM_VGA_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct vm;

#define VGA_COLS 80
#define VGA_ROWS 25
#define VGA_CELLS (VGA_COLS * VGA_ROWS)
#define VGA_TEXT_BASE 0xb8000u
#define VGA_TEXT_SIZE 0x8000u /* 8 pages of 4 KiB */
#define VGA_PORT_BASE 0x3d4
#define VGA_NPORTS 7 /* 3D4h index, 3D5h data, ..., 3DAh input status */
#define VGA_CRTC_REGS 0x19

enum vga_crtc {
    CRTC_CURSOR_START = 0x0a,
    CRTC_CURSOR_END = 0x0b,
    CRTC_START_HI = 0x0c,
    CRTC_START_LO = 0x0d,
    CRTC_CURSOR_HI = 0x0e,
    CRTC_CURSOR_LO = 0x0f,
};

struct vga {
    pthread_mutex_t lock;
    struct vm *vm;
    uint8_t index;
    uint8_t crtc[VGA_CRTC_REGS];
    uint8_t status; /* 3DAh: toggles on each read */
};

int vga_init(struct vga *g, struct vm *vm);
void vga_destroy(struct vga *g);
struct io_req;
int vga_io(void *owner, struct io_req *req);

/* The hardware cursor as a cell index from the start of page 0 (CRTC 0Eh/0Fh). */
uint16_t vga_cursor(struct vga *g);
void vga_set_cursor(struct vga *g, uint16_t cell);
/* The displayed page's cells (start address from CRTC 0Ch/0Dh); NULL when the
 * text memory lies outside guest RAM. */
uint16_t *vga_screen(struct vga *g);
/* Row ROW of CELLS as plain text, trailing blanks cut, NUL-terminated; out holds
 * VGA_COLS + 1 bytes. Bytes outside printable ASCII come out as '.', NUL as ' '. */
void vga_row_text(const uint16_t *cells, int row, char *out);
/* The screen as plain lines up to the last non-blank one; NUMBERED adds "NN|"
 * before each row and a cursor line (gdb's `monitor vga`). */
void vga_dump(struct vga *g, FILE *f, bool numbered);

#endif
