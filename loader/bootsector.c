/* Sector 0 of a disk (vmm --disk IMG with no image): what a PC BIOS loads to
 * 0000:7C00, after checking the boot signature 55h AAh at offset 510. */
#include "loader/loader_priv.h"
#include "vmm/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SECTOR 512
#define SIG_OFF 510

int loader_load_boot_sector(const char *path, struct boot_plan *plan, struct loader_err *err)
{
    memset(plan, 0, sizeof *plan);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return loader_fail(err, -errno, "%s", strerror(errno));
    uint8_t *buf = calloc(1, SECTOR);
    if (!buf) {
        close(fd);
        return loader_fail(err, -ENOMEM, "%s", strerror(ENOMEM));
    }
    size_t got = 0;
    int rc = util_read_full(fd, buf, SECTOR, &got);
    close(fd);
    if (rc < 0) {
        free(buf);
        return loader_fail(err, rc, "%s", strerror(-rc));
    }
    if (got == 0) {
        free(buf);
        return loader_fail(err, -EINVAL, "empty file: no sector 0 to boot");
    }
    if (buf[SIG_OFF] != 0x55 || buf[SIG_OFF + 1] != 0xaa) {
        rc = loader_fail(err, -EINVAL,
                         "sector 0 has no boot signature 55AA at offset 510 (found %02X%02X%s)",
                         buf[SIG_OFF], buf[SIG_OFF + 1],
                         got < SECTOR ? ", the file is shorter than a sector" : "");
        free(buf);
        return rc;
    }
    plan->kind = IMAGE_FLAT;
    plan->mode = CPU_MODE_REAL;
    plan->entry = FLAT_DEFAULT_LOAD;
    plan->lowest = FLAT_DEFAULT_LOAD;
    plan->highest = FLAT_DEFAULT_LOAD + SECTOR;
    plan->nseg = 1;
    plan->seg[0] = (struct boot_segment){
        .gpa = FLAT_DEFAULT_LOAD, .file_off = 0, .filesz = SECTOR, .memsz = SECTOR
    };
    plan->image = buf;
    plan->image_len = SECTOR;
    return 0;
}
