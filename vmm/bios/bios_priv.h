/* Shared by the BIOS's files: one call being served, register helpers, guest
 * memory by segment:offset, and the service handlers of the table in bios.c. */
#ifndef MINIKVM_BIOS_PRIV_H
#define MINIKVM_BIOS_PRIV_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stdint.h>

#include "vmm/bios/bios.h"
#include "vmm/bios/bios_abi.h"

/* The BIOS data area (segment 0040h) and what the BIOS keeps there */
#define BDA_BASE 0x400u
#define BDA_COM1 0x00
#define BDA_EQUIPMENT 0x10
#define BDA_MEM_KB 0x13
#define BDA_KBD_FLAGS 0x17
#define BDA_KBD_HEAD 0x1a
#define BDA_KBD_TAIL 0x1c
#define BDA_FLOPPY_STATUS 0x41
#define BDA_VIDEO_MODE 0x49
#define BDA_COLUMNS 0x4a
#define BDA_PAGE_SIZE 0x4c
#define BDA_PAGE_START 0x4e
#define BDA_CURSOR 0x50 /* 8 pages: column, row */
#define BDA_CURSOR_SHAPE 0x60
#define BDA_ACTIVE_PAGE 0x62
#define BDA_CRTC_BASE 0x63
#define BDA_TICKS 0x6c
#define BDA_MIDNIGHT 0x70
#define BDA_HD_STATUS 0x74
#define BDA_HD_COUNT 0x75
#define BDA_KBD_START 0x80
#define BDA_KBD_END 0x82
#define BDA_ROWS 0x84
#define BDA_CHAR_HEIGHT 0x85
#define BDA_EBDA_SEG 0x0e
#define EBDA_BASE 0x9fc00u
#define BIOS_CONV_KB 639u /* conventional memory below the 1 KiB EBDA */

/* The registers of one trapped call and what it returns. */
struct bios_call {
    struct bios *b;
    struct machine *m;
    struct vcpu *v;
    struct kvm_regs r;
    struct kvm_sregs s;
    uint8_t *frame; /* the caller's BP, IP, CS, FLAGS on its stack */
    uint8_t vec;
    bool cf;          /* the CF the caller gets */
    int zf;           /* -1: the caller's ZF stays; else the ZF it gets */
    uint16_t next;    /* BP for the trap code: 0, BIOS_AGAIN, BIOS_BOOT */
    bool sregs_dirty; /* a segment register changed (ES of int 13h AH=08h) */
};

typedef void (*bios_fn)(struct bios_call *c);

static inline uint8_t reg_hi(uint64_t r)
{
    return (uint8_t)(r >> 8);
}
static inline uint8_t reg_lo(uint64_t r)
{
    return (uint8_t)r;
}
static inline void set_hi(__u64 *r, uint8_t v)
{
    *r = (*r & ~0xff00ull) | (__u64)v << 8;
}
static inline void set_lo(__u64 *r, uint8_t v)
{
    *r = (*r & ~0xffull) | v;
}
static inline void set_16(__u64 *r, uint16_t v)
{
    *r = (*r & ~0xffffull) | v;
}
static inline void set_32(__u64 *r, uint32_t v)
{
    *r = (*r & ~0xffffffffull) | v;
}
#define AH(c) reg_hi((c)->r.rax)
#define AL(c) reg_lo((c)->r.rax)

/* Guest memory at SEG:OFF for LEN bytes (linear, no wrap at 64 KiB); NULL outside RAM. */
void *bios_mem(struct bios_call *c, uint16_t seg, uint32_t off, uint32_t len);
/* The BIOS data area in guest memory. */
uint8_t *bios_bda(struct machine *m);
uint16_t bios_caller_bp(const struct bios_call *c);
/* The function is not there: CF set, AH = FAIL_AH, one warning per vector and AH,
 * counted for --trace-exits. */
void bios_unimplemented(struct bios_call *c, uint8_t fail_ah);
/* Ends this guest (int 18h, int 19h with nothing to boot, a fault with no handler). */
void bios_end_guest(struct bios_call *c, int status);
uint32_t bios_ticks_now(struct bios *b);
/* Reads sector 0 to 0000:7C00; 0 or -errno. */
int bios_load_boot_sector(struct bios *b);

/* int 10h (video.c) */
void vid_set_mode(struct bios_call *c);
void vid_cursor_shape(struct bios_call *c);
void vid_set_cursor(struct bios_call *c);
void vid_get_cursor(struct bios_call *c);
void vid_select_page(struct bios_call *c);
void vid_scroll(struct bios_call *c);
void vid_read_cell(struct bios_call *c);
void vid_write_cells(struct bios_call *c);
void vid_teletype(struct bios_call *c);
void vid_get_mode(struct bios_call *c);
void vid_ega_info(struct bios_call *c);
void vid_write_string(struct bios_call *c);
void vid_display_code(struct bios_call *c);
/* int 13h (disk.c) */
void disk_reset(struct bios_call *c);
void disk_status(struct bios_call *c);
void disk_rw_chs(struct bios_call *c);
void disk_params(struct bios_call *c);
void disk_type(struct bios_call *c);
void disk_edd_check(struct bios_call *c);
void disk_rw_lba(struct bios_call *c);
void disk_edd_params(struct bios_call *c);
/* int 11h, 12h, 15h (system.c) */
void sys_equipment(struct bios_call *c);
void sys_mem_size(struct bios_call *c);
void sys_a20(struct bios_call *c);
void sys_wait(struct bios_call *c);
void sys_ext_mem(struct bios_call *c);
void sys_e8xx(struct bios_call *c);
/* int 16h (keyboard.c) */
void kbd_read(struct bios_call *c);
void kbd_peek(struct bios_call *c);
void kbd_shift_flags(struct bios_call *c);
/* int 14h (serial.c) */
void ser_init(struct bios_call *c);
void ser_send(struct bios_call *c);
void ser_receive(struct bios_call *c);
void ser_status(struct bios_call *c);
/* int 1Ah (rtc.c) */
void rtc_get_ticks(struct bios_call *c);
void rtc_set_ticks(struct bios_call *c);
void rtc_get_time(struct bios_call *c);
void rtc_get_date(struct bios_call *c);
void rtc_set_ignored(struct bios_call *c);
/* int 18h, 19h, CPU exceptions (boot.c) */
void boot_failed(struct bios_call *c);
void boot_reboot(struct bios_call *c);
void boot_exception(struct bios_call *c);

#endif
