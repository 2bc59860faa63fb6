/* The BIOS's VMM side: the table of services (vector, AH, name, handler), the
 * trap that dispatches to it, and what is written into guest memory at start:
 * IVT, BIOS data area, EBDA, ROM (docs/bios.md). */
#include "vmm/bios/bios.h"

#include <errno.h>
#include <string.h>

#include "vmm/bios/bios_priv.h"
#include "vmm/devices/vga.h"
#include "vmm/machine.h"
#include "vmm/util.h"
#include "vmm/x86/bits.h"

extern const uint8_t bios_rom_start[], bios_rom_end[];

#define ANY_AH (-1)
#define BIOS_MEM_NEEDED 0x100000ull /* the ROM ends at 1 MiB */

static const struct bios_service {
    uint8_t vec;
    int ah; /* ANY_AH: every function of the vector */
    const char *name;
    bios_fn fn;
} services[] = {
    { 0x00, ANY_AH, "divide error", boot_exception },
    { 0x06, ANY_AH, "invalid opcode", boot_exception },
    { 0x07, ANY_AH, "no math coprocessor", boot_exception },
    { 0x10, 0x00, "set video mode", vid_set_mode },
    { 0x10, 0x01, "set cursor shape", vid_cursor_shape },
    { 0x10, 0x02, "set cursor position", vid_set_cursor },
    { 0x10, 0x03, "get cursor position and shape", vid_get_cursor },
    { 0x10, 0x05, "select display page", vid_select_page },
    { 0x10, 0x06, "scroll window up", vid_scroll },
    { 0x10, 0x07, "scroll window down", vid_scroll },
    { 0x10, 0x08, "read character and attribute", vid_read_cell },
    { 0x10, 0x09, "write character and attribute", vid_write_cells },
    { 0x10, 0x0a, "write character", vid_write_cells },
    { 0x10, 0x0e, "teletype output", vid_teletype },
    { 0x10, 0x0f, "get video mode", vid_get_mode },
    { 0x10, 0x12, "EGA information (BL=10h)", vid_ega_info },
    { 0x10, 0x13, "write string", vid_write_string },
    { 0x10, 0x1a, "display combination code", vid_display_code },
    { 0x11, ANY_AH, "equipment list", sys_equipment },
    { 0x12, ANY_AH, "conventional memory size", sys_mem_size },
    { 0x13, 0x00, "reset disk", disk_reset },
    { 0x13, 0x01, "status of last operation", disk_status },
    { 0x13, 0x02, "read sectors (CHS)", disk_rw_chs },
    { 0x13, 0x03, "write sectors (CHS)", disk_rw_chs },
    { 0x13, 0x08, "drive parameters", disk_params },
    { 0x13, 0x15, "drive type", disk_type },
    { 0x13, 0x41, "EDD installation check", disk_edd_check },
    { 0x13, 0x42, "extended read (LBA)", disk_rw_lba },
    { 0x13, 0x43, "extended write (LBA)", disk_rw_lba },
    { 0x13, 0x48, "extended drive parameters", disk_edd_params },
    { 0x14, 0x00, "initialise serial port", ser_init },
    { 0x14, 0x01, "send character", ser_send },
    { 0x14, 0x02, "receive character", ser_receive },
    { 0x14, 0x03, "serial port status", ser_status },
    { 0x15, 0x24, "A20 gate (AX=2400h-2403h)", sys_a20 },
    { 0x15, 0x86, "wait CX:DX microseconds", sys_wait },
    { 0x15, 0x88, "extended memory size", sys_ext_mem },
    { 0x15, 0xe8, "memory map (AX=E820h), memory size (AX=E801h)", sys_e8xx },
    { 0x16, 0x00, "read key (waits)", kbd_read },
    { 0x16, 0x01, "check for key", kbd_peek },
    { 0x16, 0x02, "shift flags", kbd_shift_flags },
    { 0x16, 0x10, "read extended key (waits)", kbd_read },
    { 0x16, 0x11, "check for extended key", kbd_peek },
    { 0x16, 0x12, "extended shift flags", kbd_shift_flags },
    { 0x18, ANY_AH, "no bootable disk", boot_failed },
    { 0x19, ANY_AH, "boot the disk", boot_reboot },
    { 0x1a, 0x00, "read tick count", rtc_get_ticks },
    { 0x1a, 0x01, "set tick count", rtc_set_ticks },
    { 0x1a, 0x02, "read RTC time", rtc_get_time },
    { 0x1a, 0x03, "set RTC time (ignored)", rtc_set_ignored },
    { 0x1a, 0x04, "read RTC date", rtc_get_date },
    { 0x1a, 0x05, "set RTC date (ignored)", rtc_set_ignored },
};

/* Vectors that do not trap: hardware interrupts (acknowledged in the ROM), the
 * hooks a PC leaves empty, and pointers to tables. */
static const struct {
    uint8_t first, last;
    uint16_t off; /* from ROM_OFF */
} ivt_special[] = {
    { 0x08, 0x0f, ROM_IRQ_MASTER_OFF }, { 0x70, 0x77, ROM_IRQ_SLAVE_OFF },
    { 0x1b, 0x1c, ROM_IRET_OFF },       { 0x1d, 0x1d, ROM_IRET_OFF },
    { 0x1e, 0x1e, ROM_FDPT_OFF },       { 0x1f, 0x1f, ROM_IRET_OFF },
};

int bios_init(struct bios *b, struct machine *m)
{
    memset(b, 0, sizeof(*b));
    b->m = m;
    b->a20 = true;
    return -pthread_mutex_init(&b->lock, NULL);
}

void bios_destroy(struct bios *b)
{
    pthread_mutex_destroy(&b->lock);
}

uint8_t *bios_bda(struct machine *m)
{
    return vm_gpa_to_hva(&m->vm, BDA_BASE, 0x100);
}

static void put16(uint8_t *p, uint16_t v)
{
    memcpy(p, &v, 2);
}

static void bda_fill(struct bios *b, uint8_t *bda)
{
    memset(bda, 0, 0x100);
    put16(bda + BDA_COM1, 0x3f8);
    /* x87, 80x25 colour, one serial port; a floppy drive when booting one */
    uint16_t equip = 0x0002 | 0x0020 | 0x0200;
    if (b->disk.dev && b->disk.drive == 0x00)
        equip |= 0x0001;
    put16(bda + BDA_EQUIPMENT, equip);
    put16(bda + BDA_MEM_KB, BIOS_CONV_KB);
    put16(bda + BDA_EBDA_SEG, EBDA_BASE >> 4);
    put16(bda + BDA_KBD_HEAD, 0x1e);
    put16(bda + BDA_KBD_TAIL, 0x1e);
    put16(bda + BDA_KBD_START, 0x1e);
    put16(bda + BDA_KBD_END, 0x3e);
    bda[BDA_VIDEO_MODE] = 3;
    put16(bda + BDA_COLUMNS, 80);
    put16(bda + BDA_PAGE_SIZE, 0x1000);
    put16(bda + BDA_CURSOR_SHAPE, 0x0607);
    put16(bda + BDA_CRTC_BASE, 0x3d4);
    bda[BDA_HD_COUNT] = b->disk.dev && b->disk.drive == 0x80;
    bda[BDA_ROWS] = 24;
    bda[BDA_CHAR_HEIGHT] = 16;
}

int bios_install(struct bios *b)
{
    struct machine *m = b->m;
    size_t rom_len = (size_t)(bios_rom_end - bios_rom_start);
    uint8_t *low = vm_gpa_to_hva(&m->vm, 0, BIOS_MEM_NEEDED);
    if (!low || rom_len != ROM_SIZE)
        return -ENOSPC;
    for (unsigned v = 0; v < 256; v++) {
        uint16_t off = ROM_OFF + (uint16_t)(v * ROM_SLOT_SIZE);
        for (size_t i = 0; i < ARRAY_SIZE(ivt_special); i++)
            if (v >= ivt_special[i].first && v <= ivt_special[i].last)
                off = ROM_OFF + ivt_special[i].off;
        put16(low + v * 4, off);
        put16(low + v * 4 + 2, ROM_SEG);
    }
    bda_fill(b, low + BDA_BASE);
    memset(low + EBDA_BASE, 0, 0x400);
    low[EBDA_BASE] = 1; /* its size in KiB */
    memcpy(low + ((uint32_t)ROM_SEG << 4) + ROM_OFF, bios_rom_start, rom_len);
    /* the screen a PC leaves after POST: mode 3, blank, light grey on black */
    uint16_t *text = (uint16_t *)(low + VGA_TEXT_BASE);
    for (unsigned i = 0; i < VGA_TEXT_SIZE / 2; i++)
        text[i] = 0x0720;
    b->present = true;
    bios_tick(b);
    return 0;
}

void *bios_mem(struct bios_call *c, uint16_t seg, uint32_t off, uint32_t len)
{
    return vm_gpa_to_hva(&c->m->vm, ((uint64_t)seg << 4) + off, len);
}

uint16_t bios_caller_bp(const struct bios_call *c)
{
    uint16_t bp;
    memcpy(&bp, c->frame, 2);
    return bp;
}

void bios_end_guest(struct bios_call *c, int status)
{
    c->v->finished = true;
    c->v->exit_status = status;
}

static const char *service_name(uint8_t vec, uint8_t ah)
{
    for (size_t i = 0; i < ARRAY_SIZE(services); i++)
        if (services[i].vec == vec && (services[i].ah == ANY_AH || services[i].ah == ah))
            return services[i].name;
    return NULL;
}

void bios_unimplemented(struct bios_call *c, uint8_t fail_ah)
{
    struct bios *b = c->b;
    uint8_t ah = AH(c);
    bool first = false;
    pthread_mutex_lock(&b->lock);
    int i;
    for (i = 0; i < b->nunimpl; i++)
        if (b->unimpl[i].vec == c->vec && b->unimpl[i].ah == ah)
            break;
    if (i == b->nunimpl && b->nunimpl < BIOS_UNIMPL_SLOTS) {
        b->unimpl[b->nunimpl++] = (struct bios_unimpl){ .vec = c->vec, .ah = ah };
        first = true;
    }
    if (i < b->nunimpl)
        b->unimpl[i].count++;
    else
        b->unimpl_more++;
    pthread_mutex_unlock(&b->lock);
    if (first) {
        const char *known = service_name(c->vec, ah);
        fprintf(stderr,
                "vmm: vcpu %d (%s): BIOS int %02Xh AH=%02Xh (AX=%04Xh%s%s) is not implemented: "
                "CF set, AH=%02Xh\n",
                c->v->id, c->v->name, c->vec, ah, (unsigned)(c->r.rax & 0xffff), known ? ", " : "",
                known ? known : "", fail_ah);
    }
    set_hi(&c->r.rax, fail_ah);
    c->cf = true;
}

void bios_print_unimplemented(struct bios *b, FILE *f)
{
    pthread_mutex_lock(&b->lock);
    for (int i = 0; i < b->nunimpl; i++)
        fprintf(f, "bios: int %02Xh AH=%02Xh not implemented, called %llu times\n",
                b->unimpl[i].vec, b->unimpl[i].ah, (unsigned long long)b->unimpl[i].count);
    if (b->unimpl_more)
        fprintf(f, "bios: %llu more calls of other unimplemented functions\n",
                (unsigned long long)b->unimpl_more);
    pthread_mutex_unlock(&b->lock);
}

static const struct bios_service *find_service(uint8_t vec, uint8_t ah)
{
    for (size_t i = 0; i < ARRAY_SIZE(services); i++)
        if (services[i].vec == vec && (services[i].ah == ANY_AH || services[i].ah == ah))
            return &services[i];
    return NULL;
}

/* The caller's FLAGS, restored by the ROM's iret, carry CF and ZF back. */
static void frame_set_flags(struct bios_call *c)
{
    uint16_t fl;
    memcpy(&fl, c->frame + 6, 2);
    fl = (uint16_t)((fl & ~RFLAGS_CF) | (c->cf ? RFLAGS_CF : 0));
    if (c->zf >= 0)
        fl = (uint16_t)((fl & ~RFLAGS_ZF) | (c->zf ? RFLAGS_ZF : 0));
    memcpy(c->frame + 6, &fl, 2);
}

int bios_io(void *owner, struct io_req *req)
{
    struct bios *b = owner;
    if (!req->write) {
        memset(req->data, 0xff, req->size);
        return 0;
    }
    struct bios_call c = { .b = b, .m = b->m, .v = req->vcpu, .zf = -1 };
    int rc = vcpu_get_state(c.v, &c.r, &c.s);
    if (rc < 0)
        return rc;
    uint16_t bp = (uint16_t)c.r.rbp;
    uint64_t frame = c.s.ss.base + (c.r.rsp & 0xffff);
    c.frame = vm_gpa_to_hva(&b->m->vm, frame, 8);
    if (!b->present || (bp & BIOS_SIG_MASK) != BIOS_SIG || !c.frame) {
        /* not the ROM's trap: a stray write to the port, like any unknown port */
        exit_stats_unknown(&b->m->stats, BIOS_PORT, false);
        return 0;
    }
    c.vec = (uint8_t)bp;
    bios_tick(b);
    const struct bios_service *svc = find_service(c.vec, AH(&c));
    if (svc)
        svc->fn(&c);
    else
        bios_unimplemented(&c, c.vec == 0x13 ? 0x01 : 0x86);
    frame_set_flags(&c);
    set_16(&c.r.rbp, c.next == BIOS_AGAIN ? (uint16_t)(bp | BIOS_AGAIN) : c.next);
    if (c.sregs_dirty && (rc = vcpu_set_sregs(c.v, &c.s)) < 0)
        return rc;
    return vcpu_set_regs(c.v, &c.r);
}

static void bios_reset(void *arg)
{
    struct machine *m = arg;
    fprintf(stderr, "\nvmm: guest requested reset, stopping\n");
    machine_stop(m, VMM_STATUS_OK);
}

int bios_register_ports(struct bios *b)
{
    struct machine *m = b->m;
    i8042_init(&b->kbd, bios_reset, m);
    sysports_init(&b->sys, bios_reset, m);
    const struct pio_dev devs[] = {
        { "bios", BIOS_PORT, 1, b, bios_io },
        { "i8042", I8042_DATA_PORT, 1, &b->kbd, i8042_io },
        { "i8042", I8042_CMD_PORT, 1, &b->kbd, i8042_io },
    };
    int rc;
    for (size_t i = 0; i < ARRAY_SIZE(devs); i++)
        if ((rc = pio_register(&m->pio, &devs[i])) < 0)
            return rc;
    for (unsigned i = 0; i < sysports_nports; i++) {
        struct pio_dev d = { "sysports", sysports_ports[i], 1, &b->sys, sysports_io };
        if ((rc = pio_register(&m->pio, &d)) < 0)
            return rc;
    }
    return 0;
}
