/* Reading an image, telling its format by content, and applying the command-line
 * overrides to whatever plan the format back-end produced. */
#include "loader/loader_priv.h"

#include "vmm/util.h"
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Nothing we boot is anywhere near this; a bigger file is a mistake (a disk image,
 * /dev/zero), and refusing it early beats exhausting host memory. */
#define LOADER_MAX_IMAGE (1ull << 30)
#define LOADER_READ_CHUNK (64u * 1024)

int loader_fail(struct loader_err *err, int rc, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return rc;
}

void loader_opts_init(struct loader_opts *o)
{
    *o = (struct loader_opts){ .mode = -1, .load_addr = -1, .entry = -1, .mem_limit = 0 };
}

void boot_plan_free(struct boot_plan *plan)
{
    if (!plan)
        return;
    free(plan->image);
    memset(plan, 0, sizeof *plan);
}

const char *cpu_mode_name(enum cpu_mode m)
{
    static const char *const names[] = {
        [CPU_MODE_REAL] = "real",
        [CPU_MODE_PROTECTED] = "protected",
        [CPU_MODE_LONG] = "long",
    };
    return (unsigned)m < ARRAY_SIZE(names) ? names[m] : "?";
}

const char *image_kind_name(enum image_kind k)
{
    static const char *const names[] = {
        [IMAGE_FLAT] = "flat",
        [IMAGE_ELF32] = "ELF32",
        [IMAGE_ELF64] = "ELF64",
        [IMAGE_BZIMAGE] = "bzImage",
    };
    return (unsigned)k < ARRAY_SIZE(names) ? names[k] : "?";
}

static int loader_too_big(struct loader_err *err)
{
    return loader_fail(err, -EFBIG,
                       "file too big: images over 0x%llx bytes (1 GiB) are "
                       "refused",
                       LOADER_MAX_IMAGE);
}

/* Reads until EOF: st_size is only a hint (pipes, /proc files, files still growing). */
static int loader_read_fd(int fd, size_t hint, uint8_t **out, size_t *outlen,
                          struct loader_err *err)
{
    size_t cap = hint ? hint + 1 : LOADER_READ_CHUNK, len = 0;
    uint8_t *buf = malloc(cap);
    if (!buf)
        return loader_fail(err, -ENOMEM, "%s", strerror(ENOMEM));
    for (;;) {
        if (len == cap) {
            if (len > LOADER_MAX_IMAGE) {
                free(buf);
                return loader_too_big(err);
            }
            size_t ncap = cap * 2 > LOADER_MAX_IMAGE + 1 ? LOADER_MAX_IMAGE + 1 : cap * 2;
            uint8_t *nbuf = realloc(buf, ncap);
            if (!nbuf) {
                free(buf);
                return loader_fail(err, -ENOMEM, "%s", strerror(ENOMEM));
            }
            buf = nbuf;
            cap = ncap;
        }
        size_t n;
        int rc = util_read_full(fd, buf + len, cap - len, &n);
        if (rc < 0) {
            free(buf);
            return loader_fail(err, rc, "%s", strerror(-rc));
        }
        len += n;
        if (len < cap)
            break; /* end of file */
    }
    if (len > LOADER_MAX_IMAGE) {
        free(buf);
        return loader_too_big(err);
    }
    *out = buf;
    *outlen = len;
    return 0;
}

int loader_load_file(const char *path, const struct loader_opts *o, struct boot_plan *plan,
                     struct loader_err *err)
{
    memset(plan, 0, sizeof *plan);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        if (e == EISDIR)
            return loader_fail(err, -EISDIR, "is a directory");
        return loader_fail(err, -e, "%s", strerror(e));
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int e = errno;
        close(fd);
        return loader_fail(err, -e, "%s", strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return loader_fail(err, -EISDIR, "is a directory");
    }
    size_t hint = 0;
    if (S_ISREG(st.st_mode)) {
        if ((unsigned long long)st.st_size > LOADER_MAX_IMAGE) {
            close(fd);
            return loader_too_big(err);
        }
        hint = (size_t)st.st_size;
    }
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc = loader_read_fd(fd, hint, &buf, &len, err);
    close(fd);
    if (rc)
        return rc;
    return loader_load_buffer(buf, len, o, plan, err);
}

static int loader_is_elf(const uint8_t *buf, size_t len)
{
    return len >= SELFMAG && memcmp(buf, ELFMAG, SELFMAG) == 0;
}

static int loader_dispatch(const uint8_t *buf, size_t len, const struct loader_opts *o,
                           struct boot_plan *plan, struct loader_err *err)
{
    if (len == 0)
        return loader_fail(err, -EINVAL, "empty file");
    if (o->mode < -1 || o->mode > CPU_MODE_LONG)
        return loader_fail(err, -EINVAL, "cpu mode %d out of range", o->mode);

    int rc;
    /* Only when asked: a flat image may hold "HdrS" at 0x202 by chance. */
    if (o->linux_kernel) {
        if (o->linux_entry != 0 && o->linux_entry != 32 && o->linux_entry != 64)
            return loader_fail(err, -EINVAL, "linux entry %d is not 32 or 64", o->linux_entry);
        if (loader_is_elf(buf, len))
            return vmlinux_load(buf, len, o, plan, err);
        return bzimage_load(buf, len, o, plan, err);
    }
    long mb = o->mode < 0 ? multiboot_find(buf, len) : -1; /* --mode: a plain image */
    if (mb >= 0) {
        rc = multiboot_load(buf, len, (size_t)mb, o, plan, err);
        if (rc)
            return rc;
    } else if (loader_is_elf(buf, len)) {
        rc = elf_load(buf, len, o, 0, plan, err);
        if (rc)
            return rc;
        if (o->mode >= 0)
            plan->mode = (enum cpu_mode)o->mode;
    } else {
        enum cpu_mode mode = o->mode >= 0 ? (enum cpu_mode)o->mode : CPU_MODE_REAL;
        rc = flat_load(buf, len, o, mode, plan, err);
        if (rc)
            return rc;
        plan->mode = mode;
    }
    if (o->entry >= 0)
        plan->entry = (uint64_t)o->entry;
    if (plan->mode == CPU_MODE_REAL && plan->entry >= REAL_MODE_LIMIT)
        return loader_fail(err, -EINVAL,
                           "entry 0x%llx is beyond the 1 MiB (0x100000) real "
                           "mode can address",
                           (unsigned long long)plan->entry);
    return 0;
}

int loader_load_buffer(uint8_t *buf, size_t len, const struct loader_opts *o,
                       struct boot_plan *plan, struct loader_err *err)
{
    struct loader_opts defaults;
    if (!o) {
        loader_opts_init(&defaults);
        o = &defaults;
    }
    memset(plan, 0, sizeof *plan);
    int rc =
        buf ? loader_dispatch(buf, len, o, plan, err) : loader_fail(err, -EINVAL, "empty file");
    if (rc) {
        free(buf);
        memset(plan, 0, sizeof *plan);
        return rc;
    }
    plan->image = buf;
    plan->image_len = len;
    return 0;
}
