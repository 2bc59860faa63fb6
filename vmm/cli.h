/* The command line, parsed into options; no KVM here. */
#ifndef MINIKVM_CLI_H
#define MINIKVM_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CLI_MAX_IMAGES 16
#define CLI_MAX_MODULES 16

struct options {
    const char *images[CLI_MAX_IMAGES];
    int nimages;
    int mode;            /* enum cpu_mode or -1 */
    int64_t load_addr;   /* -1: default */
    int64_t entry;       /* -1: from the image */
    uint64_t mem;        /* 0: sized for the guests */
    uint64_t timeout_ms; /* 0: none */
    uint64_t trace_cap;  /* --trace-exits lines; 0: off */
    bool probe;
    bool no_probe_cache; /* --no-probe-cache: probe afresh, leave the cache alone */
    bool irqchip;
    const char *gdb; /* --gdb SPEC: serve gdb there */
    bool gdb_nowait;
    int gdb_arch;              /* --gdb-arch: enum gdb_arch, or -1 for auto (the guest's mode) */
    const char *disk;          /* --disk FILE: the port-I/O block device's backing file; with no
                         IMAGE, the disk the BIOS boots */
    int boot;                  /* --boot: enum bios_boot (0 auto, 1 floppy, 2 hd) */
    int vga;                   /* --vga: enum vga_view_mode (0 off, 1 lines, 2 live) */
    bool vga_dump;             /* --vga-dump[=FILE]: the final screen at the end */
    const char *vga_dump_file; /* NULL: stdout */
    const char *modules[CLI_MAX_MODULES]; /* --module FILE[,ARGS] for a multiboot kernel */
    int nmodules;
    bool help;
    /* --linux: boot a bzImage or vmlinux by the Linux boot protocol (vmm/linux.h) */
    const char *linux_image;
    const char *initrd;    /* --initrd FILE */
    const char *cmdline;   /* --cmdline STR (Linux, or a multiboot kernel); NULL: default */
    int linux_entry;       /* --linux-entry 64|32; 0: 64 */
    bool linux_test_break; /* --linux-test-break: a deliberately broken boot (tests) */
    int smp;               /* --smp N: Linux's CPUs (1..CLI_MAX_SMP); 0: one */
    unsigned history;      /* --history N: keep each vCPU's last N instructions; 0: off */
};

#define CLI_MAX_SMP 8
#define CLI_MAX_HISTORY 4096 /* HISTORY_MAX (vmm/forensics/) */

/* 0, or -EINVAL with a one-line reason in err (no "vmm:" prefix). */
int cli_parse(int argc, char **argv, struct options *o, char *err, size_t errlen);
void cli_usage(FILE *f);

int cli_parse_size(const char *s, uint64_t *out);
int cli_parse_u64(const char *s, uint64_t *out);

#endif
