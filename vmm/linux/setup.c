/* The guest memory a Linux boot needs (zero page, e820, command line, initrd) and
 * the PC devices; the CPU side is in cpu.c. */
#include "vmm/linux/linux.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader/bootparam.h"
#include "vmm/linux/linux_priv.h"
#include "vmm/machine.h"
#include "vmm/util.h"

#define E820_LOW_END LINUX_MPTABLE /* conventional memory, less a 1 KiB EBDA */
#define E820_EBDA_END 0xa0000u
#define E820_BIOS 0xf0000u /* the BIOS area: reserved, as on a PC */
#define HIGH_MEM 0x100000u
#define INITRD_ALIGN 0x1000u
#define HEAP_END 0xfe00u /* setup heap end, relative to the real-mode code */

static void linux_reset(void *arg)
{
    struct machine *m = arg;
    if (m->lx && atomic_load(&m->lx->panicked)) {
        linux_panic_end(m->lx, "it reset");
        return;
    }
    fprintf(stderr, "\nvmm: guest requested reset, stopping\n");
    machine_stop(m, VMM_STATUS_OK);
}

static int linux_register_devices(struct machine *m, struct linux_machine *lx)
{
    int rc = cmos_init(&lx->cmos, m->vm.mem_size);
    if (rc < 0)
        return rc;
    lx->cmos_ok = true;
    i8042_init(&lx->kbd, linux_reset, m);
    sysports_init(&lx->sys, linux_reset, m);
    const struct pio_dev devs[] = {
        { "cmos", CMOS_BASE, CMOS_NPORTS, &lx->cmos, cmos_io },
        { "i8042", I8042_DATA_PORT, 1, &lx->kbd, i8042_io },
        { "i8042", I8042_CMD_PORT, 1, &lx->kbd, i8042_io },
    };
    for (size_t i = 0; i < ARRAY_SIZE(devs); i++)
        if ((rc = pio_register(&m->pio, &devs[i])) < 0)
            return rc;
    for (unsigned i = 0; i < sysports_nports; i++) {
        struct pio_dev d = { "sysports", sysports_ports[i], 1, &lx->sys, sysports_io };
        if ((rc = pio_register(&m->pio, &d)) < 0)
            return rc;
    }
    return 0;
}

static void e820_add(struct boot_params *bp, uint64_t addr, uint64_t size, uint32_t type)
{
    if (bp->e820_entries < E820_MAX_ZEROPAGE)
        bp->e820_table[bp->e820_entries++] = (struct bp_e820_entry){ addr, size, type };
}

static void linux_fill_e820(struct boot_params *bp, uint64_t mem)
{
    e820_add(bp, 0, E820_LOW_END, E820_RAM);
    e820_add(bp, E820_LOW_END, E820_EBDA_END - E820_LOW_END, E820_RESERVED);
    e820_add(bp, E820_BIOS, HIGH_MEM - E820_BIOS, E820_RESERVED);
    e820_add(bp, HIGH_MEM, mem - HIGH_MEM, E820_RAM);
    bp->alt_mem_k = (uint32_t)((mem - HIGH_MEM) >> 10);
}

/* A vmlinux has no setup header: give the kernel the one a 2.15 loader would. */
static void linux_fake_header(struct bp_setup_header *h, const struct boot_linux *k)
{
    h->boot_flag = BP_BOOT_FLAG;
    h->header = BP_HDRS_MAGIC;
    h->version = 0x020f;
    h->kernel_alignment = 0x200000;
    h->relocatable_kernel = 0;
    h->xloadflags = k->xloadflags;
    h->cmdline_size = k->cmdline_size;
    h->initrd_addr_max = k->initrd_addr_max;
    h->pref_address = k->load_addr;
    h->init_size = k->init_size;
}

/* Reads the initrd straight into guest memory, as high as the kernel allows. */
static int linux_load_initrd(struct machine *m, const struct boot_linux *k, const char *path,
                             struct bp_setup_header *h)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        int e = errno;
        fprintf(stderr, "vmm: --initrd %s: %s\n", path, strerror(e));
        if (fd >= 0)
            close(fd);
        return -e;
    }
    uint64_t size = (uint64_t)st.st_size;
    uint64_t top = m->vm.mem_size;
    if ((uint64_t)k->initrd_addr_max + 1 < top)
        top = (uint64_t)k->initrd_addr_max + 1;
    uint64_t floor = k->load_addr + k->init_size;
    uint64_t addr = size <= top ? (top - size) & ~(uint64_t)(INITRD_ALIGN - 1) : 0;
    if (!S_ISREG(st.st_mode) || size == 0 || size > top || addr < floor) {
        fprintf(stderr,
                "vmm: --initrd %s: %s (0x%llx bytes) does not fit between the kernel's "
                "end 0x%llx and 0x%llx (initrd_addr_max 0x%x, RAM 0x%llx): give more --mem\n",
                path,
                !S_ISREG(st.st_mode) ? "not a regular file"
                : size               ? "too big"
                                     : "empty",
                (unsigned long long)size, (unsigned long long)floor, (unsigned long long)top,
                k->initrd_addr_max, (unsigned long long)m->vm.mem_size);
        close(fd);
        return -ENOSPC;
    }
    uint8_t *dst = vm_gpa_to_hva(&m->vm, addr, size);
    size_t done = 0;
    int rc = dst ? util_read_full(fd, dst, size, &done) : -EFAULT;
    close(fd);
    if (rc < 0 || done != size) {
        fprintf(stderr, "vmm: --initrd %s: %s\n", path, rc < 0 ? strerror(-rc) : "file shrank");
        return rc < 0 ? rc : -EIO;
    }
    h->ramdisk_image = (uint32_t)addr;
    h->ramdisk_size = (uint32_t)size;
    return 0;
}

static int linux_write_cmdline(struct machine *m, const struct linux_opts *o,
                               const struct boot_linux *k, struct bp_setup_header *h)
{
    char *buf = malloc(LINUX_CMDLINE_MAX);
    if (!buf)
        return -ENOMEM;
    int rc = linux_build_cmdline(o->cmdline, &m->probe, o->gdb, buf, LINUX_CMDLINE_MAX, true);
    size_t len = rc == 0 ? strlen(buf) : 0;
    if (rc == 0 && len > k->cmdline_size) {
        fprintf(stderr,
                "vmm: --cmdline: %zu bytes with the added switches, the kernel takes at "
                "most %u (cmdline_size)\n",
                len, k->cmdline_size);
        rc = -E2BIG;
    } else if (rc < 0) {
        fprintf(stderr, "vmm: --cmdline: longer than %u bytes\n", LINUX_CMDLINE_MAX - 1);
    } else {
        memcpy(vm_gpa_to_hva(&m->vm, LINUX_CMDLINE, len + 1), buf, len + 1);
        h->cmd_line_ptr = LINUX_CMDLINE;
        fprintf(stderr, "vmm: linux: command line: %s\n", buf);
    }
    free(buf);
    return rc;
}

int linux_prepare(struct machine *m, const struct linux_opts *o)
{
    const struct boot_linux *k = &m->vcpus[0].plan.kernel;
    struct linux_machine *lx = calloc(1, sizeof(*lx));
    if (!lx) {
        fprintf(stderr, "vmm: linux: out of memory\n");
        return -ENOMEM;
    }
    m->lx = lx;
    lx->m = m;
    m->uart.on_tx = linux_panic_tx;
    m->uart.on_tx_arg = lx;
    lx->entry = o->entry ? o->entry : 64;
    lx->test_break = o->test_break;
    lx->syscall_fix =
        o->force_syscall_watch || (m->probe.done && !hostprobe_yes(&m->probe, PROBE_SYSCALL));
    if (o->force_syscall_watch)
        fprintf(stderr, "vmm: linux: MINIKVM_TEST_SYSCALL_WATCH: the SYSCALL watch is on\n");
    int rc = linux_register_devices(m, lx);
    if (rc < 0) {
        fprintf(stderr, "vmm: linux: device setup failed: %s\n", strerror(-rc));
        return rc;
    }
    if (m->vm.mem_size < LINUX_CMDLINE + LINUX_CMDLINE_MAX || m->vm.mem_size < HIGH_MEM * 2) {
        fprintf(stderr, "vmm: linux: --mem must be at least 2 MiB\n");
        return -ENOSPC;
    }
    struct boot_params *bp = vm_gpa_to_hva(&m->vm, LINUX_ZERO_PAGE, sizeof(*bp));
    memset(bp, 0, sizeof(*bp));
    size_t hl = k->hdr_len < sizeof(bp->hdr) ? k->hdr_len : sizeof(bp->hdr);
    memcpy(&bp->hdr, k->hdr, hl);
    if (k->version == 0)
        linux_fake_header(&bp->hdr, k);
    bp->hdr.type_of_loader = BP_LOADER_UNDEFINED;
    bp->hdr.loadflags |= BP_LOADED_HIGH | BP_CAN_USE_HEAP;
    bp->hdr.heap_end_ptr = HEAP_END;
    bp->hdr.code32_start = (uint32_t)k->load_addr;
    linux_fill_e820(bp, m->vm.mem_size);
    if ((rc = linux_write_cmdline(m, o, k, &bp->hdr)) < 0)
        return rc;
    if (o->initrd && (rc = linux_load_initrd(m, k, o->initrd, &bp->hdr)) < 0)
        return rc;
    if (o->smp > 1 && m->probe.done && !hostprobe_yes(&m->probe, PROBE_AP_START)) {
        fprintf(stderr,
                "vmm: linux: --smp %d: this host's KVM does not start a second vCPU by "
                "INIT/SIPI (vmm --probe, row 'INIT/SIPI from the LAPIC starts a second "
                "vCPU'); use --smp 1\n",
                o->smp);
        return -ENOTSUP;
    }
    if (o->smp > 1) {
        size_t room = E820_EBDA_END - LINUX_MPTABLE;
        uint8_t *mp = vm_gpa_to_hva(&m->vm, LINUX_MPTABLE, room);
        if (!mp || (rc = linux_mptable_write(mp, LINUX_MPTABLE, room, o->smp)) < 0) {
            fprintf(stderr, "vmm: linux: --smp %d: no room for the MP table\n", o->smp);
            return -ENOSPC;
        }
    }
    if (lx->test_break && lx->entry == 64) {
        /* The 64-bit entry computes its stack from init_size before it has an IDT:
         * a huge one puts the stack outside the identity map, and the first push
         * faults with nowhere to go: a triple fault a few instructions in. */
        bp->hdr.init_size = 0xfff00000u;
        fprintf(stderr, "vmm: linux: --linux-test-break: zero page init_size corrupted\n");
    }
    if ((rc = linux_watch_start(m, lx, o->gdb)) < 0)
        fprintf(stderr, "vmm: linux: cannot start the halt watcher: %s\n", strerror(-rc));
    return rc;
}

void linux_destroy(struct machine *m)
{
    struct linux_machine *lx = m->lx;
    if (!lx)
        return;
    linux_watch_stop(lx);
    if (lx->cmos_ok)
        cmos_destroy(&lx->cmos);
    free(lx);
    m->lx = NULL;
}
