/* The x86 Linux boot protocol's data: the setup header (at file offset 0x1f1 of a
 * bzImage, and at the same offset in the zero page) and the zero page (struct
 * boot_params) a 32- or 64-bit entry finds in esi/rsi. Written from the protocol's
 * documentation (Documentation/x86/boot.rst, zero-page.rst); every offset we rely
 * on is checked below, since a wrong one shows up only as a kernel that misboots. */
#ifndef MINIKVM_BOOTPARAM_H
#define MINIKVM_BOOTPARAM_H

#include <stddef.h>
#include <stdint.h>

#define BP_HDR_OFFSET 0x1f1u      /* setup header, in the file and the zero page */
#define BP_HDRS_MAGIC 0x53726448u /* "HdrS" at 0x202 */
#define BP_BOOT_FLAG 0xaa55u
#define BP_MIN_VERSION 0x0206u /* cmdline_size, 64-bit-safe fields: 2.06 */
#define BP_SECTOR 512u
#define BP_DEFAULT_SETUP_SECTS 4u /* setup_sects 0 means 4 */
#define BP_MAX_SETUP_SECTS 63u    /* boot sector + setup fit in 0x8000 bytes */
#define BP_ENTRY64_OFFSET 0x200u  /* startup_64 relative to the load address */

/* loadflags */
#define BP_LOADED_HIGH 0x01u
#define BP_KASLR_FLAG 0x02u
#define BP_QUIET_FLAG 0x20u
#define BP_KEEP_SEGMENTS 0x40u
#define BP_CAN_USE_HEAP 0x80u
/* xloadflags */
#define BP_XLF_KERNEL_64 0x01u
#define BP_XLF_CAN_BE_LOADED_ABOVE_4G 0x02u

#define BP_LOADER_UNDEFINED 0xffu /* type_of_loader: no assigned id */

#define E820_RAM 1u
#define E820_RESERVED 2u
#define E820_MAX_ZEROPAGE 128u

struct bp_setup_header {
    uint8_t setup_sects;
    uint16_t root_flags;
    uint32_t syssize;
    uint16_t ram_size;
    uint16_t vid_mode;
    uint16_t root_dev;
    uint16_t boot_flag;
    uint16_t jump;
    uint32_t header;
    uint16_t version;
    uint32_t realmode_swtch;
    uint16_t start_sys_seg;
    uint16_t kernel_version;
    uint8_t type_of_loader;
    uint8_t loadflags;
    uint16_t setup_move_size;
    uint32_t code32_start;
    uint32_t ramdisk_image;
    uint32_t ramdisk_size;
    uint32_t bootsect_kludge;
    uint16_t heap_end_ptr;
    uint8_t ext_loader_ver;
    uint8_t ext_loader_type;
    uint32_t cmd_line_ptr;
    uint32_t initrd_addr_max;
    uint32_t kernel_alignment;
    uint8_t relocatable_kernel;
    uint8_t min_alignment;
    uint16_t xloadflags;
    uint32_t cmdline_size;
    uint32_t hardware_subarch;
    uint64_t hardware_subarch_data;
    uint32_t payload_offset;
    uint32_t payload_length;
    uint64_t setup_data;
    uint64_t pref_address;
    uint32_t init_size;
    uint32_t handover_offset;
    uint32_t kernel_info_offset;
} __attribute__((packed));

struct bp_e820_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
} __attribute__((packed));

struct boot_params {
    uint8_t screen_info[0x40];   /* 0x000 */
    uint8_t apm_bios_info[0x14]; /* 0x040 */
    uint8_t _pad2[4];
    uint64_t tboot_addr;     /* 0x058 */
    uint8_t ist_info[0x10];  /* 0x060 */
    uint64_t acpi_rsdp_addr; /* 0x070 */
    uint8_t _pad3[8];
    uint8_t hd0_info[0x10];        /* 0x080 */
    uint8_t hd1_info[0x10];        /* 0x090 */
    uint8_t sys_desc_table[0x10];  /* 0x0a0 */
    uint8_t olpc_ofw_header[0x10]; /* 0x0b0 */
    uint32_t ext_ramdisk_image;    /* 0x0c0 */
    uint32_t ext_ramdisk_size;     /* 0x0c4 */
    uint32_t ext_cmd_line_ptr;     /* 0x0c8 */
    uint8_t _pad4[0x70];
    uint32_t cc_blob_address;        /* 0x13c */
    uint8_t edid_info[0x80];         /* 0x140 */
    uint8_t efi_info[0x20];          /* 0x1c0 */
    uint32_t alt_mem_k;              /* 0x1e0 */
    uint32_t scratch;                /* 0x1e4 */
    uint8_t e820_entries;            /* 0x1e8 */
    uint8_t eddbuf_entries;          /* 0x1e9 */
    uint8_t edd_mbr_sig_buf_entries; /* 0x1ea */
    uint8_t kbd_status;              /* 0x1eb */
    uint8_t secure_boot;             /* 0x1ec */
    uint8_t _pad5[2];
    uint8_t sentinel; /* 0x1ef */
    uint8_t _pad6[1];
    struct bp_setup_header hdr; /* 0x1f1 */
    uint8_t _pad7[0x290 - 0x1f1 - sizeof(struct bp_setup_header)];
    uint32_t edd_mbr_sig_buffer[16];                    /* 0x290 */
    struct bp_e820_entry e820_table[E820_MAX_ZEROPAGE]; /* 0x2d0 */
    uint8_t _pad8[0x30];
    uint8_t eddbuf[0x1ec]; /* 0xd00 */
    uint8_t _pad9[0x114];
} __attribute__((packed));

/* Offsets as the protocol documents them; relative to the zero page. */
#define BP_HDR(field) (BP_HDR_OFFSET + offsetof(struct bp_setup_header, field))
_Static_assert(sizeof(struct boot_params) == 4096, "the zero page is one page");
_Static_assert(sizeof(struct bp_e820_entry) == 20, "e820 entries are 20 bytes");
_Static_assert(offsetof(struct boot_params, acpi_rsdp_addr) == 0x070, "acpi_rsdp_addr");
_Static_assert(offsetof(struct boot_params, ext_ramdisk_image) == 0x0c0, "ext_ramdisk_image");
_Static_assert(offsetof(struct boot_params, ext_cmd_line_ptr) == 0x0c8, "ext_cmd_line_ptr");
_Static_assert(offsetof(struct boot_params, cc_blob_address) == 0x13c, "cc_blob_address");
_Static_assert(offsetof(struct boot_params, alt_mem_k) == 0x1e0, "alt_mem_k");
_Static_assert(offsetof(struct boot_params, e820_entries) == 0x1e8, "e820_entries");
_Static_assert(offsetof(struct boot_params, sentinel) == 0x1ef, "sentinel");
_Static_assert(offsetof(struct boot_params, hdr) == BP_HDR_OFFSET, "hdr");
_Static_assert(offsetof(struct boot_params, edd_mbr_sig_buffer) == 0x290, "edd_mbr_sig_buffer");
_Static_assert(offsetof(struct boot_params, e820_table) == 0x2d0, "e820_table");
_Static_assert(offsetof(struct boot_params, eddbuf) == 0xd00, "eddbuf");
_Static_assert(BP_HDR(boot_flag) == 0x1fe, "boot_flag");
_Static_assert(BP_HDR(header) == 0x202, "header");
_Static_assert(BP_HDR(version) == 0x206, "version");
_Static_assert(BP_HDR(type_of_loader) == 0x210, "type_of_loader");
_Static_assert(BP_HDR(loadflags) == 0x211, "loadflags");
_Static_assert(BP_HDR(code32_start) == 0x214, "code32_start");
_Static_assert(BP_HDR(ramdisk_image) == 0x218, "ramdisk_image");
_Static_assert(BP_HDR(ramdisk_size) == 0x21c, "ramdisk_size");
_Static_assert(BP_HDR(heap_end_ptr) == 0x224, "heap_end_ptr");
_Static_assert(BP_HDR(cmd_line_ptr) == 0x228, "cmd_line_ptr");
_Static_assert(BP_HDR(initrd_addr_max) == 0x22c, "initrd_addr_max");
_Static_assert(BP_HDR(kernel_alignment) == 0x230, "kernel_alignment");
_Static_assert(BP_HDR(relocatable_kernel) == 0x234, "relocatable_kernel");
_Static_assert(BP_HDR(xloadflags) == 0x236, "xloadflags");
_Static_assert(BP_HDR(cmdline_size) == 0x238, "cmdline_size");
_Static_assert(BP_HDR(setup_data) == 0x250, "setup_data");
_Static_assert(BP_HDR(pref_address) == 0x258, "pref_address");
_Static_assert(BP_HDR(init_size) == 0x260, "init_size");
_Static_assert(BP_HDR(kernel_info_offset) == 0x268, "kernel_info_offset");

#endif
