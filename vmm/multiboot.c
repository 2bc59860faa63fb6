#include "vmm/multiboot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader/boot_plan.h"
#include "vmm/bios/e820.h"
#include "vmm/entry.h"
#include "vmm/util.h"
#include "vmm/vcpu.h"
#include "vmm/vm.h"

#define PAGE 0x1000ull
#define HIGH_MEM 0x100000ull
#define MB_LOADER_NAME "mini-kvm"
#define MB_MODULE_MAX (512ull << 20)

/* The info structure's fields (multiboot 1 specification, section 3.3) */
enum {
    MBI_FLAGS = 0,
    MBI_MEM_LOWER = 4,
    MBI_MEM_UPPER = 8,
    MBI_CMDLINE = 16,
    MBI_MODS_COUNT = 20,
    MBI_MODS_ADDR = 24,
    MBI_MMAP_LENGTH = 44,
    MBI_MMAP_ADDR = 48,
    MBI_LOADER_NAME = 64,
    MBI_SIZE = 0x80,
};
enum {
    MBI_HAS_MEM = 1u << 0,
    MBI_HAS_CMDLINE = 1u << 2,
    MBI_HAS_MODS = 1u << 3,
    MBI_HAS_MMAP = 1u << 6,
    MBI_HAS_LOADER_NAME = 1u << 9,
};
#define MBI_MMAP_OFF MBI_SIZE                       /* E820_MAX entries of 24 bytes */
#define MBI_MODS_OFF (MBI_MMAP_OFF + E820_MAX * 24) /* 16 bytes a module */
#define MBI_STRINGS_OFF (MBI_MODS_OFF + MULTIBOOT_MAX_MODULES * 16)

static uint64_t round_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) & ~(a - 1);
}

static int read_module(struct mb_module *mod, const char *spec, char *err, size_t errlen)
{
    const char *comma = strchr(spec, ',');
    size_t plen = comma ? (size_t)(comma - spec) : strlen(spec);
    char path[4096];
    if (plen == 0 || plen >= sizeof(path)) {
        snprintf(err, errlen, "--module '%s': expected FILE or FILE,ARGS", spec);
        return -EINVAL;
    }
    memcpy(path, spec, plen);
    path[plen] = '\0';
    size_t slen = plen + (comma ? strlen(comma) : 0) + 1;
    mod->string = malloc(slen);
    if (!mod->string)
        return -ENOMEM;
    snprintf(mod->string, slen, "%s%s%s", path, comma ? " " : "", comma ? comma + 1 : "");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
        (uint64_t)st.st_size > MB_MODULE_MAX) {
        int e = fd < 0 || errno ? errno : EINVAL;
        snprintf(err, errlen, "--module %s: %s", path,
                 fd >= 0 && !S_ISREG(st.st_mode)                   ? "not a regular file"
                 : fd >= 0 && (uint64_t)st.st_size > MB_MODULE_MAX ? "bigger than 512 MiB"
                                                                   : strerror(e));
        if (fd >= 0)
            close(fd);
        return -EINVAL;
    }
    mod->len = (size_t)st.st_size;
    mod->data = malloc(mod->len ? mod->len : 1);
    size_t got = 0;
    int rc = mod->data ? util_read_full(fd, mod->data, mod->len, &got) : -ENOMEM;
    close(fd);
    if (rc < 0 || got != mod->len) {
        snprintf(err, errlen, "--module %s: %s", path,
                 rc < 0 ? strerror(-rc) : "file shrank while read");
        return -EIO;
    }
    return 0;
}

int multiboot_prepare(struct multiboot_boot *mb, struct boot_plan *plan, const char *cmdline,
                      const char *const *modules, int nmods, char *err, size_t errlen)
{
    memset(mb, 0, sizeof(*mb));
    mb->present = 1;
    mb->cmdline = cmdline ? cmdline : "";
    if (nmods > MULTIBOOT_MAX_MODULES) {
        snprintf(err, errlen, "--module: at most %d modules", MULTIBOOT_MAX_MODULES);
        return -EINVAL;
    }
    size_t strings = strlen(mb->cmdline) + 1 + sizeof(MB_LOADER_NAME);
    for (int i = 0; i < nmods; i++) {
        int rc = read_module(&mb->mods[i], modules[i], err, errlen);
        mb->nmods = i + 1;
        if (rc < 0)
            return rc;
        strings += strlen(mb->mods[i].string) + 1;
    }
    /* above the kernel and above the BIOS area, as GRUB places them */
    uint64_t at = round_up(plan->highest > HIGH_MEM ? plan->highest : HIGH_MEM, PAGE);
    mb->info_addr = at;
    mb->info_size = round_up(MBI_STRINGS_OFF + strings, PAGE);
    at += mb->info_size;
    for (int i = 0; i < nmods; i++) {
        mb->mods[i].addr = at;
        at = round_up(at + mb->mods[i].len, PAGE);
    }
    if (at > 0xffffffffull) {
        snprintf(err, errlen, "multiboot: the modules end at 0x%llx, above 4 GiB",
                 (unsigned long long)at);
        return -ENOSPC;
    }
    plan->highest = at;
    return 0;
}

static void put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

int multiboot_write(const struct multiboot_boot *mb, struct vm *vm, const struct window *win)
{
    uint8_t *info = vm_gpa_to_hva(vm, win->base + mb->info_addr, mb->info_size);
    if (!info)
        return -EFAULT;
    memset(info, 0, mb->info_size);
    uint32_t base = (uint32_t)mb->info_addr;
    struct e820_entry map[E820_MAX];
    int n = e820_build(win->size, SYSAREA_SIZE, map);
    uint64_t upper = 0;
    for (int i = 0; i < n; i++) {
        uint8_t *e = info + MBI_MMAP_OFF + 24 * i;
        put32(e, 20); /* the size field does not count itself */
        memcpy(e + 4, &map[i].addr, 8);
        memcpy(e + 12, &map[i].size, 8);
        put32(e + 20, map[i].type);
        if (map[i].addr == HIGH_MEM && map[i].type == E820_RAM)
            upper = map[i].size >> 10;
    }
    put32(info + MBI_MEM_LOWER, 639);
    put32(info + MBI_MEM_UPPER, (uint32_t)upper);
    put32(info + MBI_MMAP_LENGTH, (uint32_t)(24 * n));
    put32(info + MBI_MMAP_ADDR, base + MBI_MMAP_OFF);

    uint32_t s = MBI_STRINGS_OFF;
    size_t len = strlen(mb->cmdline) + 1;
    memcpy(info + s, mb->cmdline, len);
    put32(info + MBI_CMDLINE, base + s);
    s += (uint32_t)len;
    memcpy(info + s, MB_LOADER_NAME, sizeof(MB_LOADER_NAME));
    put32(info + MBI_LOADER_NAME, base + s);
    s += sizeof(MB_LOADER_NAME);
    for (int i = 0; i < mb->nmods; i++) {
        const struct mb_module *mod = &mb->mods[i];
        uint8_t *dst = vm_gpa_to_hva(vm, win->base + mod->addr, mod->len ? mod->len : 1);
        if (!dst)
            return -EFAULT;
        memcpy(dst, mod->data, mod->len);
        uint8_t *e = info + MBI_MODS_OFF + 16 * i;
        put32(e, (uint32_t)mod->addr);
        put32(e + 4, (uint32_t)(mod->addr + mod->len));
        len = strlen(mod->string) + 1;
        memcpy(info + s, mod->string, len);
        put32(e + 8, base + s);
        s += (uint32_t)len;
    }
    put32(info + MBI_MODS_COUNT, (uint32_t)mb->nmods);
    put32(info + MBI_MODS_ADDR, base + MBI_MODS_OFF);
    put32(info + MBI_FLAGS,
          MBI_HAS_MEM | MBI_HAS_CMDLINE | MBI_HAS_MODS | MBI_HAS_MMAP | MBI_HAS_LOADER_NAME);
    return 0;
}

int multiboot_setup_vcpu(const struct multiboot_boot *mb, struct vcpu *v)
{
    struct kvm_regs r;
    int rc = vcpu_get_regs(v, &r);
    if (rc < 0)
        return rc;
    r.rax = MULTIBOOT_BOOTLOADER_MAGIC;
    r.rbx = mb->info_addr;
    return vcpu_set_regs(v, &r);
}

void multiboot_free(struct multiboot_boot *mb)
{
    for (int i = 0; i < mb->nmods; i++) {
        free(mb->mods[i].string);
        free(mb->mods[i].data);
    }
    memset(mb, 0, sizeof(*mb));
}
