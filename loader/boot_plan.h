/* The loader's product: what to copy where and how to enter the guest.
 * The loader knows image formats only; it never touches KVM. vmm/ turns a plan
 * into guest memory and CPU state. */
#ifndef MINIKVM_BOOT_PLAN_H
#define MINIKVM_BOOT_PLAN_H

#include <stddef.h>
#include <stdint.h>

enum cpu_mode { CPU_MODE_REAL, CPU_MODE_PROTECTED, CPU_MODE_LONG };
enum image_kind { IMAGE_FLAT, IMAGE_ELF32, IMAGE_ELF64 };

#define BOOT_PLAN_MAX_SEGMENTS 16
#define FLAT_DEFAULT_LOAD 0x7c00u

/* One piece of guest memory: bytes [file_off, file_off+filesz) of the image go to
 * guest-physical gpa; the rest up to memsz is zero-filled. Addresses are relative to
 * the guest's memory window (the VMM adds the window base). */
struct boot_segment {
    uint64_t gpa;
    uint64_t file_off;
    uint64_t filesz;
    uint64_t memsz;
};

struct boot_plan {
    enum image_kind kind;
    enum cpu_mode mode;
    uint64_t entry;       /* linear rip; real mode: entered at CS=0 IP=entry (window-relative) */
    uint64_t lowest;      /* lowest gpa any segment touches */
    uint64_t highest;     /* one past the highest gpa any segment touches */
    size_t nseg;
    struct boot_segment seg[BOOT_PLAN_MAX_SEGMENTS];
    uint8_t *image;       /* the whole file, owned by the plan */
    size_t image_len;
};

/* Overrides from the command line; a negative value means "not given". */
struct loader_opts {
    int mode;             /* enum cpu_mode, or -1: decided by content */
    int64_t load_addr;    /* flat images only */
    int64_t entry;
    uint64_t mem_limit;   /* segments must end at or below this; 0: no limit */
};

/* Human-readable reason for a failure, naming the offset/field at fault
 * ("program header 2 at offset 0x78: p_offset+p_filesz 0x2000 past end of file (0x1800)").
 * The caller prefixes the file name and prints it once. */
struct loader_err {
    char msg[256];
};

void loader_opts_init(struct loader_opts *o);

/* Reads PATH and builds a plan. 0 or -errno; on failure err->msg says why. */
int loader_load_file(const char *path, const struct loader_opts *o,
                     struct boot_plan *plan, struct loader_err *err);

/* Same from memory; takes ownership of buf (malloc'd) on success and failure. */
int loader_load_buffer(uint8_t *buf, size_t len, const struct loader_opts *o,
                       struct boot_plan *plan, struct loader_err *err);

void boot_plan_free(struct boot_plan *plan);

const char *cpu_mode_name(enum cpu_mode m);
const char *image_kind_name(enum image_kind k);

#endif
