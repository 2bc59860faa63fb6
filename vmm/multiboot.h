/* The multiboot 1 hand-off, as GRUB gives it: the info structure (memory sizes,
 * memory map, command line, boot loader name, modules) in guest memory above the
 * kernel, EAX = 0x2BADB002 and EBX = the info's address. The loader found the
 * header (loader/multiboot.c); this builds what the kernel is given. */
#ifndef MINIKVM_MULTIBOOT_H
#define MINIKVM_MULTIBOOT_H

#include <stddef.h>
#include <stdint.h>

struct boot_plan;
struct vm;
struct vcpu;
struct window;

#define MULTIBOOT_MAX_MODULES 16

struct mb_module {
    char *string; /* "FILE ARGS", as GRUB and QEMU pass it */
    uint8_t *data;
    size_t len;
    uint64_t addr; /* window-relative */
};

struct multiboot_boot {
    int present;
    int nmods;
    struct mb_module mods[MULTIBOOT_MAX_MODULES];
    const char *cmdline;
    uint64_t info_addr; /* window-relative: info, memory map, strings */
    uint64_t info_size;
};

/* Reads the modules (each "FILE" or "FILE,ARGS"), places the info and the modules
 * above the kernel and raises plan->highest over them so the window holds them.
 * 0, or -errno with a one-line reason in err naming the file. */
int multiboot_prepare(struct multiboot_boot *mb, struct boot_plan *plan, const char *cmdline,
                      const char *const *modules, int nmods, char *err, size_t errlen);
/* Writes the info, the strings and the modules into the guest's window. */
int multiboot_write(const struct multiboot_boot *mb, struct vm *vm, const struct window *win);
/* EAX and EBX of the hand-off. */
int multiboot_setup_vcpu(const struct multiboot_boot *mb, struct vcpu *v);
void multiboot_free(struct multiboot_boot *mb);

#endif
