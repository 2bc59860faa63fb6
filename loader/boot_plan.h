/* The loader's product: what to copy where and how to enter the guest.
 * The loader knows image formats only; it never touches KVM. vmm/ turns a plan
 * into guest memory and CPU state. */
#ifndef MINIKVM_BOOT_PLAN_H
#define MINIKVM_BOOT_PLAN_H

#include <stddef.h>
#include <stdint.h>

enum cpu_mode { CPU_MODE_REAL, CPU_MODE_PROTECTED, CPU_MODE_LONG };
enum image_kind { IMAGE_FLAT, IMAGE_ELF32, IMAGE_ELF64, IMAGE_BZIMAGE };

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

/* A Linux kernel (--linux): a bzImage, or a vmlinux ELF64. What the VMM needs to
 * fill the zero page and choose an entry (loader/bootparam.h has the layout). */
#define BOOT_LINUX_HDR_MAX 0x80u /* setup header bytes kept, from offset 0x1f1 */

struct boot_linux {
    int present;                     /* 1: the plan is a Linux kernel */
    uint8_t hdr[BOOT_LINUX_HDR_MAX]; /* the setup header as in the file; zeros for vmlinux */
    uint32_t hdr_len;                /* bytes of hdr the file provided */
    uint16_t version;                /* boot protocol (0x020f = 2.15); 0 for vmlinux */
    uint64_t pm_offset, pm_size;     /* protected-mode kernel in the file (bzImage) */
    uint64_t load_addr;              /* where it is placed (pref_address or 1 MiB) */
    uint32_t init_size;              /* bytes from load_addr the kernel needs to boot */
    uint64_t pref_address;
    uint32_t kernel_alignment;
    int relocatable;
    uint16_t xloadflags;
    uint32_t initrd_addr_max;
    uint32_t cmdline_size;
    uint64_t entry64;   /* 64-bit entry (load_addr + 0x200; vmlinux e_entry) */
    uint64_t entry32;   /* 32-bit entry (code32_start); 0: none */
    uint64_t pvh_entry; /* vmlinux: XEN_ELFNOTE_PHYS32_ENTRY; 0: none */
};

/* A multiboot 1 kernel: the VMM builds the info structure and enters it as GRUB
 * would (EAX = MULTIBOOT_BOOTLOADER_MAGIC, EBX = the info, flat 32-bit, paging off). */
#define MULTIBOOT_HEADER_MAGIC 0x1badb002u
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2badb002u
#define MULTIBOOT_SEARCH 8192u     /* the header lies in the file's first 8 KiB */
#define MULTIBOOT_PAGE_ALIGN 0x1u  /* modules on 4 KiB boundaries */
#define MULTIBOOT_MEMORY_INFO 0x2u /* mem_lower/upper and the memory map */
#define MULTIBOOT_VIDEO_MODE 0x4u  /* a video mode: this loader offers text only */
#define MULTIBOOT_AOUT_KLUDGE 0x10000u

struct boot_multiboot {
    int present;
    uint32_t header_off; /* in the file */
    uint32_t flags;      /* the header's */
};

struct boot_plan {
    enum image_kind kind;
    enum cpu_mode mode;
    uint64_t entry;   /* linear rip; real mode: entered at CS=0 IP=entry (window-relative) */
    uint64_t lowest;  /* lowest gpa any segment touches */
    uint64_t highest; /* one past the highest gpa any segment touches */
    size_t nseg;
    struct boot_segment seg[BOOT_PLAN_MAX_SEGMENTS];
    uint8_t *image; /* the whole file, owned by the plan */
    size_t image_len;
    struct boot_linux kernel; /* filled when the plan is a Linux kernel */
    struct boot_multiboot mb; /* filled when the image has a multiboot header */
};

/* Overrides from the command line; a negative value means "not given". */
struct loader_opts {
    int mode;          /* enum cpu_mode, or -1: decided by content */
    int64_t load_addr; /* flat images only */
    int64_t entry;
    uint64_t mem_limit; /* segments must end at or below this; 0: no limit */
    int linux_kernel;   /* 1: the image is a Linux kernel (bzImage by its "HdrS", or vmlinux) */
    int linux_entry;    /* 64 or 32: which boot protocol entry; 0: 64 */
};

/* Human-readable reason for a failure, naming the offset/field at fault
 * ("program header 2 at offset 0x78: p_offset+p_filesz 0x2000 past end of file (0x1800)").
 * The caller prefixes the file name and prints it once. */
struct loader_err {
    char msg[256];
};

void loader_opts_init(struct loader_opts *o);

/* Reads PATH and builds a plan. 0 or -errno; on failure err->msg says why. */
int loader_load_file(const char *path, const struct loader_opts *o, struct boot_plan *plan,
                     struct loader_err *err);

/* Same from memory; takes ownership of buf (malloc'd) on success and failure. */
int loader_load_buffer(uint8_t *buf, size_t len, const struct loader_opts *o,
                       struct boot_plan *plan, struct loader_err *err);

/* Sector 0 of a disk image (vmm --disk IMG with no image), checked for the 55AA
 * boot signature: a flat real-mode plan at 0x7c00. The image may have any size;
 * a short one reads as zeros past its end. */
int loader_load_boot_sector(const char *path, struct boot_plan *plan, struct loader_err *err);

void boot_plan_free(struct boot_plan *plan);

const char *cpu_mode_name(enum cpu_mode m);
const char *image_kind_name(enum image_kind k);

#endif
