#include "vmm/devices/blkdev.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmm/pio.h"
#include "vmm/vm.h"

int blkdev_open(struct blkdev *b, const char *path, struct vm *vm, int flags, char *err,
                size_t errlen)
{
    memset(b, 0, sizeof(*b));
    b->fd = -1;
    b->vm = vm;
    b->path = path;
    int rc = pthread_mutex_init(&b->lock, NULL);
    if (rc) {
        snprintf(err, errlen, "%s", strerror(rc));
        return -rc;
    }
    if (!path)
        return 0;
    int fd = open(path, O_RDWR | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        rc = -errno;
        snprintf(err, errlen, "%s", strerror(errno));
        if (fd >= 0)
            close(fd);
        pthread_mutex_destroy(&b->lock);
        return rc;
    }
    const char *why = !S_ISREG(st.st_mode) ? "not a regular file"
                      : st.st_size == 0    ? "the file is empty"
                      : st.st_size % BLKDEV_SECTOR && !(flags & BLKDEV_ANY_SIZE)
                          ? "size is not a whole number of 512-byte sectors"
                          : NULL;
    if (why) {
        snprintf(err, errlen, "%s (%lld bytes)", why, (long long)st.st_size);
        close(fd);
        pthread_mutex_destroy(&b->lock);
        return -EINVAL;
    }
    b->fd = fd;
    b->bytes = (uint64_t)st.st_size;
    b->sectors = (b->bytes + BLKDEV_SECTOR - 1) / BLKDEV_SECTOR;
    return 0;
}

static uint64_t reg_get(const struct blkdev *b, unsigned off, unsigned len)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < len; i++)
        v |= (uint64_t)b->regs[off + i] << (8 * i);
    return v;
}

static void reg_set(struct blkdev *b, unsigned off, unsigned len, uint64_t v)
{
    for (unsigned i = 0; i < len; i++)
        b->regs[off + i] = (uint8_t)(v >> (8 * i));
}

int blkdev_rw(struct blkdev *b, uint64_t sector, uint32_t count, void *buf, bool write)
{
    if (b->fd < 0)
        return -ENODEV;
    if (count == 0 || sector > b->sectors || count > b->sectors - sector)
        return -ERANGE;
    uint64_t off = sector * BLKDEV_SECTOR, len = (uint64_t)count * BLKDEV_SECTOR;
    uint64_t in_file = off >= b->bytes ? 0 : b->bytes - off < len ? b->bytes - off : len;
    uint8_t *p = buf;
    for (uint64_t done = 0; done < in_file;) {
        ssize_t n = write ? pwrite(b->fd, p + done, in_file - done, (off_t)(off + done))
                          : pread(b->fd, p + done, in_file - done, (off_t)(off + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            fprintf(stderr, "vmm: --disk %s: %s of sector %llu failed: %s\n", b->path,
                    write ? "write" : "read", (unsigned long long)sector,
                    n < 0 ? strerror(errno) : "file shrank");
            return -EIO;
        }
        done += (uint64_t)n;
    }
    /* the partial last sector: reads are padded, writes keep the file's size */
    if (!write)
        memset(p + in_file, 0, len - in_file);
    if (write && fsync(b->fd) < 0) {
        fprintf(stderr, "vmm: --disk %s: fsync failed: %s\n", b->path, strerror(errno));
        return -EIO;
    }
    return 0;
}

/* Moves COUNT sectors between the file and guest RAM; every bound is checked
 * before the host pointer is formed. */
static uint8_t blk_transfer(struct blkdev *b, bool write)
{
    uint64_t sector = reg_get(b, BLK_REG_SECTOR, 8);
    uint64_t gpa = reg_get(b, BLK_REG_BUFFER, 4);
    uint64_t count = reg_get(b, BLK_REG_COUNT, 2);
    if (count == 0 || count > BLKDEV_MAX_COUNT || sector > b->sectors ||
        count > b->sectors - sector)
        return BLK_ERR_RANGE;
    uint8_t *buf = vm_gpa_to_hva(b->vm, gpa, count * BLKDEV_SECTOR);
    if (!buf)
        return BLK_ERR_BUFFER;
    return blkdev_rw(b, sector, (uint32_t)count, buf, write) < 0 ? BLK_ERR_IO : BLK_OK;
}

static uint8_t blk_command(struct blkdev *b, uint8_t cmd)
{
    if (b->fd < 0)
        return BLK_ERR_NODISK;
    switch (cmd) {
    case BLK_CMD_READ: return blk_transfer(b, false);
    case BLK_CMD_WRITE: return blk_transfer(b, true);
    case BLK_CMD_FLUSH:
        if (fsync(b->fd) < 0) {
            fprintf(stderr, "vmm: --disk %s: fsync failed: %s\n", b->path, strerror(errno));
            return BLK_ERR_IO;
        }
        return BLK_OK;
    case BLK_CMD_IDENTIFY: reg_set(b, BLK_REG_SECTOR, 8, b->sectors); return BLK_OK;
    default: return BLK_ERR_CMD;
    }
}

int blkdev_io(void *owner, struct io_req *req)
{
    struct blkdev *b = owner;
    unsigned off = (unsigned)(req->addr - BLKDEV_BASE);
    bool run = false;
    uint8_t cmd = 0;
    pthread_mutex_lock(&b->lock);
    for (unsigned i = 0; i < req->size && off + i < BLKDEV_NPORTS; i++) {
        unsigned r = off + i;
        if (!req->write)
            req->data[i] = r == BLK_REG_CMD ? b->status : b->regs[r];
        else if (r == BLK_REG_CMD) {
            run = true; /* after the other bytes of a wide write have landed */
            cmd = req->data[i];
        } else {
            b->regs[r] = req->data[i];
        }
    }
    if (run)
        b->status = blk_command(b, cmd);
    pthread_mutex_unlock(&b->lock);
    return 0;
}

void blkdev_close(struct blkdev *b)
{
    if (b->fd >= 0)
        close(b->fd);
    b->fd = -1;
    pthread_mutex_destroy(&b->lock);
}
