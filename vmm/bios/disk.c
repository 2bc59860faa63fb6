/* int 13h: the --disk image as drive 00h (a floppy-sized image, or --boot floppy)
 * or 80h, by CHS and by the EDD packet calls, through blkdev_rw. */
#include <errno.h>
#include <string.h>

#include "vmm/bios/bios_priv.h"
#include "vmm/devices/blkdev.h"
#include "vmm/machine.h"
#include "vmm/util.h"

enum {
    DISK_OK = 0x00,
    DISK_EPARAM = 0x01, /* bad function or parameter */
    DISK_ENOTFOUND = 0x04,
    DISK_EWRITE = 0x0c, /* unsupported track / write past the image */
    DISK_EFAIL = 0x20,  /* controller failure: the host file failed */
};

static const struct floppy_format {
    uint32_t sectors;
    uint8_t type, heads, spt;
    uint16_t cyls;
} floppies[] = {
    { 320, 1, 1, 8, 40 },  { 360, 1, 1, 9, 40 },   { 640, 1, 2, 8, 40 },   { 720, 1, 2, 9, 40 },
    { 1440, 3, 2, 9, 80 }, { 2400, 2, 2, 15, 80 }, { 2880, 4, 2, 18, 80 }, { 5760, 6, 2, 36, 80 },
};

int bios_set_disk(struct bios *b, struct blkdev *dev, enum bios_boot boot)
{
    struct bios_disk *d = &b->disk;
    uint64_t n = dev->sectors;
    const struct floppy_format *f = NULL;
    for (size_t i = 0; i < ARRAY_SIZE(floppies); i++) {
        bool exact = floppies[i].sectors == n && dev->bytes % 512 == 0;
        bool fits = floppies[i].sectors >= n;
        if ((boot == BIOS_BOOT_AUTO && exact) || (boot == BIOS_BOOT_FLOPPY && fits && !f))
            f = &floppies[i];
    }
    if (boot == BIOS_BOOT_FLOPPY && !f)
        f = &floppies[ARRAY_SIZE(floppies) - 1];
    *d = (struct bios_disk){ .dev = dev };
    if (f) {
        d->drive = 0x00;
        d->floppy_type = f->type;
        d->heads = f->heads;
        d->spt = f->spt;
        d->cyls = (uint32_t)((n + (uint64_t)f->heads * f->spt - 1) / ((uint64_t)f->heads * f->spt));
        if (d->cyls < f->cyls)
            d->cyls = f->cyls;
    } else {
        /* the usual translation of small disks: 16 heads, 63 sectors a track */
        d->drive = 0x80;
        d->heads = 16;
        d->spt = 63;
        uint64_t cyls = (n + 16 * 63 - 1) / (16 * 63);
        d->cyls = cyls > 1024 ? 1024 : cyls ? (uint32_t)cyls : 1;
    }
    return 0;
}

static bool disk_ours(struct bios_call *c)
{
    struct bios_disk *d = &c->b->disk;
    return d->dev && reg_lo(c->r.rdx) == d->drive;
}

/* Ends a call: AH = status, CF = failed, and the status kept for AH=01h. */
static void disk_ret(struct bios_call *c, uint8_t status)
{
    c->b->disk.status = status;
    uint8_t *bda = bios_bda(c->m);
    bda[c->b->disk.drive & 0x80 ? BDA_HD_STATUS : BDA_FLOPPY_STATUS] = status;
    set_hi(&c->r.rax, status);
    c->cf = status != DISK_OK;
}

/* Reads or writes COUNT sectors at LBA with guest buffer BUF; the geometry may
 * reach past the image (rounded up to whole cylinders): those sectors read as zeros. */
static uint8_t transfer(struct bios_call *c, uint64_t lba, uint32_t count, uint8_t *buf, bool write)
{
    struct blkdev *dev = c->b->disk.dev;
    uint64_t total = (uint64_t)c->b->disk.cyls * c->b->disk.heads * c->b->disk.spt;
    if (total < dev->sectors)
        total = dev->sectors;
    if (lba >= total || count > total - lba)
        return DISK_ENOTFOUND;
    uint32_t in_image = lba >= dev->sectors          ? 0
                        : count > dev->sectors - lba ? (uint32_t)(dev->sectors - lba)
                                                     : count;
    if (write && in_image < count)
        return DISK_EWRITE;
    if (in_image) {
        int rc = blkdev_rw(dev, lba, in_image, buf, write);
        if (rc < 0)
            return rc == -ERANGE ? DISK_ENOTFOUND : DISK_EFAIL;
    }
    memset(buf + (size_t)in_image * 512, 0, (size_t)(count - in_image) * 512);
    return DISK_OK;
}

void disk_reset(struct bios_call *c)
{
    disk_ret(c, disk_ours(c) ? DISK_OK : DISK_EPARAM);
}

void disk_status(struct bios_call *c)
{
    uint8_t last = c->b->disk.status;
    set_lo(&c->r.rax, 0);
    disk_ret(c, last);
}

void disk_rw_chs(struct bios_call *c)
{
    struct bios_disk *d = &c->b->disk;
    uint8_t count = AL(c), sector = reg_lo(c->r.rcx) & 0x3f, head = reg_hi(c->r.rdx);
    uint32_t cyl = reg_hi(c->r.rcx) | (uint32_t)(reg_lo(c->r.rcx) & 0xc0) << 2;
    if (!disk_ours(c) || count == 0 || sector == 0 || sector > d->spt || head >= d->heads ||
        cyl >= d->cyls) {
        set_lo(&c->r.rax, 0);
        disk_ret(c, DISK_EPARAM);
        return;
    }
    uint64_t lba = ((uint64_t)cyl * d->heads + head) * d->spt + sector - 1;
    uint8_t *buf = bios_mem(c, c->s.es.selector, (uint16_t)c->r.rbx, count * 512u);
    uint8_t st = buf ? transfer(c, lba, count, buf, AH(c) == 0x03) : DISK_EPARAM;
    set_lo(&c->r.rax, st == DISK_OK ? count : 0);
    disk_ret(c, st);
}

void disk_params(struct bios_call *c)
{
    struct bios_disk *d = &c->b->disk;
    if (!disk_ours(c)) {
        disk_ret(c, DISK_EPARAM);
        return;
    }
    uint32_t maxcyl = d->cyls - 1;
    set_hi(&c->r.rcx, (uint8_t)maxcyl);
    set_lo(&c->r.rcx, (uint8_t)(d->spt | ((maxcyl >> 2) & 0xc0)));
    set_hi(&c->r.rdx, (uint8_t)(d->heads - 1));
    set_lo(&c->r.rdx, 1); /* drives of this kind */
    set_lo(&c->r.rax, 0);
    if (d->drive == 0x00) {
        set_lo(&c->r.rbx, d->floppy_type);
        /* ES:DI = the diskette parameter table in the ROM */
        c->s.es.selector = ROM_SEG;
        c->s.es.base = (uint64_t)ROM_SEG << 4;
        c->sregs_dirty = true;
        set_16(&c->r.rdi, ROM_OFF + ROM_FDPT_OFF);
    }
    disk_ret(c, DISK_OK);
}

void disk_type(struct bios_call *c)
{
    struct bios_disk *d = &c->b->disk;
    if (!disk_ours(c)) {
        set_hi(&c->r.rax, 0); /* no such drive */
        c->cf = false;
        return;
    }
    if (d->drive == 0x00) {
        set_hi(&c->r.rax, 0x01); /* floppy without change-line */
    } else {
        uint64_t n = (uint64_t)d->cyls * d->heads * d->spt;
        set_16(&c->r.rcx, (uint16_t)(n >> 16));
        set_16(&c->r.rdx, (uint16_t)n);
        set_hi(&c->r.rax, 0x03);
    }
    c->cf = false;
}

void disk_edd_check(struct bios_call *c)
{
    if (!disk_ours(c) || (uint16_t)c->r.rbx != 0x55aa) {
        disk_ret(c, DISK_EPARAM);
        return;
    }
    set_16(&c->r.rbx, 0xaa55);
    set_16(&c->r.rcx, 0x0001); /* the packet calls 42h-44h, 47h, 48h */
    set_hi(&c->r.rax, 0x30);   /* EDD 3.0 */
    c->cf = false;
}

struct dap {
    uint8_t size, zero;
    uint16_t count;
    uint16_t off, seg;
    uint64_t lba;
    uint64_t flat; /* when seg:off is FFFF:FFFF and size >= 24 */
};

void disk_rw_lba(struct bios_call *c)
{
    struct dap *p = bios_mem(c, c->s.ds.selector, (uint16_t)c->r.rsi, 16);
    if (!disk_ours(c) || !p || p->size < 16) {
        disk_ret(c, DISK_EPARAM);
        return;
    }
    struct dap d;
    memcpy(&d, p, 16);
    uint64_t lin = ((uint64_t)d.seg << 4) + d.off;
    if (d.seg == 0xffff && d.off == 0xffff && d.size >= 24) {
        uint8_t *q = bios_mem(c, c->s.ds.selector, (uint16_t)c->r.rsi, 24);
        memcpy(&lin, q + 16, 8);
    }
    uint8_t *buf = d.count ? vm_gpa_to_hva(&c->m->vm, lin, (uint64_t)d.count * 512) : NULL;
    uint8_t st = !d.count ? DISK_OK
                 : buf    ? transfer(c, d.lba, d.count, buf, AH(c) == 0x43)
                          : DISK_EPARAM;
    if (st != DISK_OK)
        p->count = 0; /* blocks transferred */
    disk_ret(c, st);
}

void disk_edd_params(struct bios_call *c)
{
    struct bios_disk *d = &c->b->disk;
    uint8_t *p = bios_mem(c, c->s.ds.selector, (uint16_t)c->r.rsi, 0x1e);
    uint16_t size = 0;
    if (p)
        memcpy(&size, p, 2);
    if (!disk_ours(c) || size < 0x1a) {
        disk_ret(c, DISK_EPARAM);
        return;
    }
    struct __attribute__((packed)) {
        uint16_t size, flags;
        uint32_t cyls, heads, spt;
        uint64_t sectors;
        uint16_t bytes;
        uint32_t dpte;
    } out = { size >= 0x1e ? 0x1e : 0x1a,
              d->drive == 0x00 ? 0x0006 : 0x0002, /* CHS valid; removable */
              d->cyls,
              d->heads,
              d->spt,
              d->dev->sectors,
              512,
              0xffffffff };
    memcpy(p, &out, out.size);
    disk_ret(c, DISK_OK);
}
