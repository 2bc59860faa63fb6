/* A block device on a few I/O ports, backed by a host file (vmm --disk FILE).
 *
 * Why not virtio-blk: over PCI it needs a PCI bus (configuration space, BARs,
 * capability lists) and over MMIO a virtio-mmio transport, and in both cases
 * virtqueues with descriptor rings and interrupts. The teaching OS only needs to
 * read and write a few sectors, so this device is a handful of registers and a
 * transfer that completes synchronously inside the port write that starts it.
 *
 * Registers (ports 0x510-0x51f, little endian, any access width; guest ABI):
 *   0x510  SECTOR   u64  first sector; two 32-bit writes (0x510 low, 0x514 high)
 *   0x518  BUFFER   u32  guest-physical address of the buffer
 *   0x51c  COUNT    u16  sectors to transfer, 1 to BLKDEV_MAX_COUNT
 *   0x51e  COMMAND  u8   write: BLK_CMD_*; the command runs before the write returns
 *          STATUS   u8   read: BLK_OK or a BLK_ERR_* code for the last command
 * IDENTIFY loads SECTOR with the disk's size in sectors. A write is on the host
 * file (fsync'd) before the port write that started it completes. Without --disk
 * every command answers BLK_ERR_NODISK. */
#ifndef MINIKVM_BLKDEV_H
#define MINIKVM_BLKDEV_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vm;

#define BLKDEV_BASE 0x510
#define BLKDEV_NPORTS 16
#define BLKDEV_SECTOR 512
#define BLKDEV_MAX_COUNT 256

enum blkdev_reg {
    BLK_REG_SECTOR = 0x0,
    BLK_REG_BUFFER = 0x8,
    BLK_REG_COUNT = 0xc,
    BLK_REG_CMD = 0xe
};
enum blkdev_cmd { BLK_CMD_READ = 1, BLK_CMD_WRITE = 2, BLK_CMD_FLUSH = 3, BLK_CMD_IDENTIFY = 4 };
enum blkdev_status {
    BLK_OK = 0,
    BLK_ERR_NODISK = 1, /* no --disk given */
    BLK_ERR_RANGE = 2,  /* sectors past the end of the disk, or a bad COUNT */
    BLK_ERR_BUFFER = 3, /* buffer outside guest RAM */
    BLK_ERR_IO = 4,     /* the host file failed (the VMM prints why) */
    BLK_ERR_CMD = 5,    /* unknown command */
};

struct blkdev {
    pthread_mutex_t lock;
    int fd;           /* -1: no disk */
    uint64_t sectors; /* the last one may be partial (BLKDEV_ANY_SIZE) */
    uint64_t bytes;
    const char *path;
    struct vm *vm;
    uint8_t regs[BLKDEV_NPORTS];
    uint8_t status;
};

/* Opens PATH read-write (PATH NULL: a device with no disk). vm is used only when
 * the guest transfers, so it may still be closed now. FLAGS: BLKDEV_ANY_SIZE takes
 * a file whose size is not a whole number of sectors (a disk the BIOS boots, as
 * QEMU takes floppy images): the part past its end reads as zeros. 0, or -errno
 * with a one-line reason in err (no "vmm:" prefix, no file name). */
#define BLKDEV_ANY_SIZE 1
int blkdev_open(struct blkdev *b, const char *path, struct vm *vm, int flags, char *err,
                size_t errlen);
/* Moves COUNT sectors from SECTOR between the file and BUF (host memory). Reads
 * past the end of the file give zeros; sectors past the disk's end are -ERANGE;
 * a write is fsync'd. 0 or -errno (the VMM has printed why for -EIO). */
int blkdev_rw(struct blkdev *b, uint64_t sector, uint32_t count, void *buf, bool write);
/* The pio handler; owner is the blkdev. */
struct io_req;
int blkdev_io(void *owner, struct io_req *req);
void blkdev_close(struct blkdev *b);

#endif
