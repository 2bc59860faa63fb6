/* The file system: a tar archive (ustar) on the VMM's port-I/O disk
 * (vmm/devices/blkdev.h), read whole at boot and written back whole on every
 * change, so a change survives a reboot. */
#include "kernel.h"

#define BLK_SECTOR_PORT 0x510 /* u64, as two 32-bit halves */
#define BLK_BUFFER_PORT 0x518 /* u32 guest-physical address */
#define BLK_COUNT_PORT 0x51c  /* u16 sectors */
#define BLK_CMD_PORT 0x51e    /* write: command; read: status */
#define BLK_READ 1
#define BLK_WRITE 2
#define BLK_IDENTIFY 4
#define BLK_OK 0
#define BLK_NODISK 1
#define SECTOR_SIZE 512
#define MAX_SECTORS_PER_CMD 256

struct tar_header {
    char name[100];
    char mode[8];
    char uid[8];
    char gid[8];
    char size[12];
    char mtime[12];
    char checksum[8];
    char type;
    char linkname[100];
    char magic[6]; /* "ustar\0" (GNU tar: "ustar " and version " \0") */
    char version[2];
    char uname[32];
    char gname[32];
    char devmajor[8];
    char devminor[8];
    char prefix[155];
    char pad[12];
} __attribute__((packed));

struct file files[FILES_MAX];
static uint8_t disk[DISK_MAX] __attribute__((aligned(SECTOR_SIZE)));
static uint64_t disk_bytes; /* how much of the disk the file system uses; 0: no disk */

static int disk_command(int cmd, uint64_t sector, void *buf, unsigned count)
{
    outl(BLK_SECTOR_PORT, (uint32_t)sector);
    outl(BLK_SECTOR_PORT + 4, (uint32_t)(sector >> 32));
    outl(BLK_BUFFER_PORT, (uint32_t)(uint64_t)buf);
    outw(BLK_COUNT_PORT, count);
    outb(BLK_CMD_PORT, cmd);
    return inb(BLK_CMD_PORT);
}

/* Reads or writes the first disk_bytes of the disk, at most 256 sectors a command. */
static int disk_transfer(int cmd)
{
    for (uint64_t s = 0; s < disk_bytes / SECTOR_SIZE; s += MAX_SECTORS_PER_CMD) {
        uint64_t n = disk_bytes / SECTOR_SIZE - s;
        int status = disk_command(cmd, s, disk + s * SECTOR_SIZE,
                                  n < MAX_SECTORS_PER_CMD ? n : MAX_SECTORS_PER_CMD);
        if (status != BLK_OK)
            return status;
    }
    return BLK_OK;
}

static uint64_t oct2int(const char *s, int len)
{
    uint64_t v = 0;
    for (int i = 0; i < len && s[i] >= '0' && s[i] <= '7'; i++)
        v = v * 8 + (s[i] - '0');
    return v;
}

/* LEN-1 octal digits and a NUL, as tar writes numbers. */
static void int2oct(char *s, int len, uint64_t v)
{
    s[len - 1] = '\0';
    for (int i = len - 2; i >= 0; i--, v /= 8)
        s[i] = '0' + v % 8;
}

/* The sum of the header's bytes with the checksum field read as spaces. */
static uint64_t tar_checksum(const struct tar_header *h)
{
    const uint8_t *p = (const uint8_t *)h;
    uint64_t sum = 0;
    for (unsigned i = 0; i < sizeof(*h); i++)
        sum += i >= offsetof(struct tar_header, checksum) && i < offsetof(struct tar_header, type)
                   ? ' '
                   : p[i];
    return sum;
}

void fs_init(void)
{
    uint64_t sectors = 0;
    int status = disk_command(BLK_IDENTIFY, 0, NULL, 0);
    if (status == BLK_OK)
        sectors = inl(BLK_SECTOR_PORT) | (uint64_t)inl(BLK_SECTOR_PORT + 4) << 32;
    if (sectors == 0) {
        printf("fs: no disk (%s): files live in memory only\n",
               status == BLK_NODISK ? "run the VMM with --disk FILE" : "the disk does not answer");
        return;
    }
    disk_bytes = sectors * SECTOR_SIZE < DISK_MAX ? sectors * SECTOR_SIZE : DISK_MAX;
    if ((status = disk_transfer(BLK_READ)) != BLK_OK) {
        printf("fs: disk read failed (status %d): starting with no files\n", status);
        disk_bytes = 0;
        return;
    }
    int nfiles = 0;
    for (uint64_t off = 0; off + SECTOR_SIZE <= disk_bytes;) {
        struct tar_header *h = (struct tar_header *)&disk[off];
        if (h->name[0] == '\0')
            break; /* the archive's end: zero blocks */
        uint64_t size = oct2int(h->size, sizeof(h->size));
        if (strncmp(h->magic, "ustar", 5) != 0 ||
            oct2int(h->checksum, sizeof(h->checksum)) != tar_checksum(h) ||
            size > disk_bytes - off - SECTOR_SIZE) {
            printf("fs: corrupt tar header at byte %lu (bad magic, checksum or size): "
                   "starting with no files\n",
                   off);
            memset(files, 0, sizeof(files));
            return;
        }
        bool long_name = h->name[sizeof(h->name) - 1] != '\0';
        h->name[sizeof(h->name) - 1] = '\0';
        if ((h->type != '0' && h->type != '\0') || size > FILE_DATA_MAX || nfiles == FILES_MAX ||
            long_name) {
            printf("fs: skipping %s: not a regular file of at most %d bytes with a short name, "
                   "or too many files\n",
                   h->name, FILE_DATA_MAX);
        } else {
            struct file *file = &files[nfiles++];
            file->in_use = true;
            memcpy(file->name, h->name, sizeof(file->name));
            memcpy(file->data, h + 1, size);
            file->size = size;
            printf("fs: %s (%lu bytes)\n", file->name, size);
        }
        off += SECTOR_SIZE + ALIGN_UP(size, SECTOR_SIZE);
    }
}

/* The archive is rebuilt from files[] and the whole of it written back. */
int fs_flush(void)
{
    if (disk_bytes == 0)
        return 0;
    memset(disk, 0, sizeof(disk));
    uint64_t off = 0;
    for (int i = 0; i < FILES_MAX; i++) {
        struct file *file = &files[i];
        if (!file->in_use)
            continue;
        /* room for this header and data, and the two zero blocks that end an archive */
        if (off + SECTOR_SIZE + ALIGN_UP(file->size, SECTOR_SIZE) + 2 * SECTOR_SIZE > disk_bytes) {
            printf("fs: the disk is full\n");
            return -1;
        }
        struct tar_header *h = (struct tar_header *)&disk[off];
        memcpy(h->name, file->name, sizeof(h->name));
        int2oct(h->mode, sizeof(h->mode), 0644);
        int2oct(h->uid, sizeof(h->uid), 0);
        int2oct(h->gid, sizeof(h->gid), 0);
        int2oct(h->size, sizeof(h->size), file->size);
        int2oct(h->mtime, sizeof(h->mtime), 0);
        h->type = '0';
        memcpy(h->magic, "ustar", 6);
        memcpy(h->version, "00", 2);
        int2oct(h->checksum, 7, tar_checksum(h)); /* six digits, NUL, then a space */
        h->checksum[7] = ' ';
        memcpy(h + 1, file->data, file->size);
        off += SECTOR_SIZE + ALIGN_UP(file->size, SECTOR_SIZE);
    }
    int status = disk_transfer(BLK_WRITE);
    if (status != BLK_OK) {
        printf("fs: disk write failed (status %d)\n", status);
        return -1;
    }
    return 0;
}

/* The file called NAME; with CREATE, a new empty one if there is none (and room). */
struct file *fs_lookup(const char *name, bool create)
{
    struct file *unused = NULL;
    for (int i = 0; i < FILES_MAX; i++) {
        if (files[i].in_use && strcmp(files[i].name, name) == 0)
            return &files[i];
        if (!files[i].in_use && !unused)
            unused = &files[i];
    }
    if (!create || !unused)
        return NULL;
    memset(unused, 0, sizeof(*unused));
    unused->in_use = true;
    memcpy(unused->name, name, strlen(name) + 1);
    return unused;
}
