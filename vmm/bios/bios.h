/* The BIOS a real-mode guest finds (docs/bios.md): an IVT whose vectors lead to
 * stubs in the ROM at F000 (rom.S) that trap to the VMM through BIOS_PORT, the
 * services written in C (one file per interrupt, one table row per function in
 * bios.c), the BIOS data area, and the disk that int 13h reads (--disk). */
#ifndef MINIKVM_BIOS_H
#define MINIKVM_BIOS_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vmm/devices/i8042.h"
#include "vmm/devices/sysports.h"

struct machine;
struct blkdev;
struct vcpu;

/* The disk int 13h serves: the --disk image, as a floppy or a hard disk. */
struct bios_disk {
    struct blkdev *dev;  /* NULL: no disk */
    uint8_t drive;       /* DL: 0x00 floppy, 0x80 hard disk */
    uint8_t floppy_type; /* int 13h AH=08h BL: 1 360K, 3 720K, 2 1.2M, 4 1.44M, 6 2.88M */
    uint32_t cyls, heads, spt;
    uint8_t status; /* of the last int 13h call, for AH=01h */
};

enum bios_boot { BIOS_BOOT_AUTO, BIOS_BOOT_FLOPPY, BIOS_BOOT_HD };

#define BIOS_UNIMPL_SLOTS 32

struct bios_unimpl {
    uint8_t vec, ah;
    uint64_t count;
};

struct bios {
    struct machine *m;
    bool present; /* installed: some guest starts in real mode */
    struct bios_disk disk;
    /* the PC ports boot code pokes: the keyboard controller's A20 dance, port 92h */
    struct i8042 kbd;
    struct sysports sys;
    pthread_mutex_t lock; /* what follows */
    bool a20;
    int64_t tick_adjust; /* int 1Ah AH=01h: the guest's tick count minus the clock's */
    int nunimpl;
    struct bios_unimpl unimpl[BIOS_UNIMPL_SLOTS];
    uint64_t unimpl_more; /* calls of functions past the table's end */
};

int bios_init(struct bios *b, struct machine *m);
void bios_destroy(struct bios *b);
/* Gives int 13h the disk DEV (opened with any size) and its geometry. 0 or -errno. */
int bios_set_disk(struct bios *b, struct blkdev *dev, enum bios_boot boot);
/* Registers the BIOS's trap port and the PC ports (i8042, 61h, 80h, 92h, CF9h). */
int bios_register_ports(struct bios *b);
/* Writes the IVT, the BIOS data area, the EBDA and the ROM into guest memory.
 * 0, or -ENOSPC when guest RAM ends below 1 MiB (no room for the ROM). */
int bios_install(struct bios *b);
/* The entry registers of a disk boot: DL = the boot drive. */
int bios_setup_boot_vcpu(struct bios *b, struct vcpu *v);
/* The trap port's handler; owner is the bios. */
struct io_req;
int bios_io(void *owner, struct io_req *req);
/* Brings the tick count at 0040:006C up to date (18.2 Hz from the host clock). */
void bios_tick(struct bios *b);
/* The unimplemented functions guests called, with counts (--trace-exits). */
void bios_print_unimplemented(struct bios *b, FILE *f);

#endif
