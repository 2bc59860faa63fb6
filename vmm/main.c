/* vmm: command line and wiring only. */
#include <errno.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loader/boot_plan.h"
#include "vmm/cli.h"
#include "vmm/debug/debug.h"
#include "vmm/devices/blkdev.h"
#include "vmm/devices/hypercall.h"
#include "vmm/layout.h"
#include "vmm/linux/linux.h"
#include "vmm/machine.h"
#include "vmm/multiboot.h"
#include "vmm/probe/probe_start.h"
#include "vmm/util.h"

static void on_kick(int sig)
{
    (void)sig;
}

/* Signals that end the run are taken synchronously by one thread, so no handler
 * touches the machine from an async context. */
struct sigwaiter {
    pthread_t thread;
    sigset_t set;
    struct machine *m;
};

static void *sigwaiter_thread(void *arg)
{
    struct sigwaiter *w = arg;
    for (;;) {
        int sig;
        if (sigwait(&w->set, &sig) != 0)
            continue;
        if (sig == SIGUSR2)
            return NULL;
        fprintf(stderr, "\nvmm: %s, stopping\n", strsignal(sig));
        machine_stop(w->m, sig == SIGINT   ? VMM_STATUS_SIGINT
                           : sig == SIGHUP ? VMM_STATUS_SIGHUP
                                           : VMM_STATUS_SIGTERM);
    }
}

static void lane_name(const char *path, char *out, size_t len)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    snprintf(out, len, "%s", b);
    char *dot = strrchr(out, '.');
    if (dot && dot != out)
        *dot = '\0';
}

static void uart_input_cb(void *arg)
{
    uart8250_input_ready(&((struct machine *)arg)->uart);
}
static void quit_cb(void *arg)
{
    fprintf(stderr, "\r\nvmm: Ctrl-A x, quitting\r\n");
    machine_stop(arg, VMM_STATUS_OK);
}

/* --disk with no IMAGE: the disk's sector 0 is the image, booted by the BIOS. */
static bool disk_boot(const struct options *o)
{
    return o->disk && o->nimages == 1 && o->images[0] == o->disk;
}

/* A multiboot kernel gets --cmdline and --module; anything else refuses them. */
static int prepare_multiboot(struct machine *m, const struct options *o)
{
    int mbi = -1;
    for (int i = 0; i < m->nvcpus; i++) {
        if (!m->vcpus[i].plan.mb.present)
            continue;
        if (mbi >= 0) {
            fprintf(stderr, "vmm: %s: one multiboot kernel per run (%s is one too)\n", o->images[i],
                    o->images[mbi]);
            return -EINVAL;
        }
        mbi = i;
    }
    if (mbi < 0) {
        if (o->linux_image || (!o->cmdline && !o->nmodules))
            return 0;
        fprintf(stderr, "vmm: --cmdline and --module need --linux or a multiboot kernel "
                        "(no image has a multiboot header in its first 8 KiB)\n");
        return -EINVAL;
    }
    char err[300];
    int rc = multiboot_prepare(&m->mb, &m->vcpus[mbi].plan, o->cmdline, o->modules, o->nmodules,
                               err, sizeof(err));
    if (rc < 0)
        fprintf(stderr, "vmm: %s\n", err);
    return rc;
}

static int load_images(struct machine *m, const struct options *o)
{
    struct loader_opts lo;
    loader_opts_init(&lo);
    lo.mode = o->mode;
    lo.load_addr = o->load_addr;
    lo.entry = o->entry;
    lo.mem_limit = o->mem;
    lo.linux_kernel = o->linux_image != NULL;
    lo.linux_entry = o->linux_entry;
    for (int i = 0; i < o->nimages; i++) {
        struct loader_err err = { { 0 } };
        int rc = disk_boot(o) ? loader_load_boot_sector(o->disk, &m->vcpus[i].plan, &err)
                              : loader_load_file(o->images[i], &lo, &m->vcpus[i].plan, &err);
        if (rc < 0) {
            fprintf(stderr, "vmm: %s: %s\n", o->images[i], err.msg[0] ? err.msg : strerror(-rc));
            return rc;
        }
        m->nvcpus = i + 1;
    }
    return prepare_multiboot(m, o);
}

static int copy_segments(struct machine *m, struct vcpu *v, const char *path)
{
    for (size_t s = 0; s < v->plan.nseg; s++) {
        const struct boot_segment *seg = &v->plan.seg[s];
        uint8_t *dst = vm_gpa_to_hva(&m->vm, v->win.base + seg->gpa, seg->memsz);
        if (!dst) {
            fprintf(stderr,
                    "vmm: %s: segment %zu at 0x%llx (0x%llx bytes) lies outside guest memory\n",
                    path, s, (unsigned long long)seg->gpa, (unsigned long long)seg->memsz);
            return -EFAULT;
        }
        memcpy(dst, v->plan.image + seg->file_off, seg->filesz);
        memset(dst + seg->filesz, 0, seg->memsz - seg->filesz);
    }
    return 0;
}

/* Some guest starts in real mode: it gets the BIOS (not a Linux kernel's setup code). */
static bool wants_bios(const struct machine *m, const struct options *o)
{
    for (int i = 0; i < m->nvcpus && !o->linux_image; i++)
        if (m->vcpus[i].plan.mode == CPU_MODE_REAL)
            return true;
    return false;
}

static int register_devices(struct machine *m, const struct options *o, struct blkdev *disk)
{
    const struct pio_dev devs[] = {
        { "uart8250", UART_COM1_BASE, 8, &m->uart, uart8250_io },
        { "hypercall", HYPERCALL_PORT, 1, m, hypercall_io },
        { "debug-exit", EXITPORT_PORT, 1, m, exitport_io },
        { "blkdev", BLKDEV_BASE, BLKDEV_NPORTS, disk, blkdev_io },
        { "vga", VGA_PORT_BASE, VGA_NPORTS, &m->vga, vga_io },
    };
    /* Linux gets the PC ports of vmm/linux/ and no VGA */
    size_t n = o->linux_image ? ARRAY_SIZE(devs) - 1 : ARRAY_SIZE(devs);
    for (size_t i = 0; i < n; i++) {
        int rc = pio_register(&m->pio, &devs[i]);
        if (rc < 0)
            return rc;
    }
    if (o->disk && disk->fd >= 0)
        bios_set_disk(&m->bios, disk, (enum bios_boot)o->boot);
    if (!wants_bios(m, o))
        return 0;
    int rc = bios_register_ports(&m->bios);
    if (rc == 0 && (rc = bios_install(&m->bios)) == -ENOSPC)
        rc = 0; /* under 1 MiB of RAM: no room for the ROM, the guest runs without a BIOS */
    return rc;
}

/* What firmware leaves in the registers: the boot drive, the multiboot hand-off. */
static int firmware_setup(struct machine *m, const struct options *o, struct vcpu *v)
{
    if (disk_boot(o) && v->id == 0 && m->bios.present)
        return bios_setup_boot_vcpu(&m->bios, v);
    if (!v->plan.mb.present)
        return 0;
    int rc = multiboot_write(&m->mb, &m->vm, &v->win);
    return rc < 0 ? rc : multiboot_setup_vcpu(&m->mb, v);
}

/* --smp: the application processors of a Linux guest, after its boot CPU. With the
 * in-kernel irqchip KVM creates them waiting for INIT/SIPI, so they only need to
 * exist: their threads sit in KVM_RUN until the kernel starts them. They share the
 * boot CPU's window and have no plan of their own. */
static int add_linux_aps(struct machine *m, int ncpus)
{
    for (int i = 1; i < ncpus; i++) {
        struct vcpu *v = &m->vcpus[i];
        v->win = m->vcpus[0].win;
        snprintf(v->name, sizeof(v->name), "cpu%d", i);
        int rc = vcpu_create(v, m, i);
        if (rc == 0)
            rc = entry_setup_lapic(v->fd);
        if (rc == 0)
            rc = vcpu_load_sync(v);
        if (rc < 0) {
            fprintf(stderr, "vmm: --smp %d: vCPU %d setup failed: %s\n", ncpus, i, strerror(-rc));
            return rc;
        }
        m->nvcpus = i + 1;
    }
    return 0;
}

/* DISK was opened by main (its errors are usage errors, status 2); it is wired in here. */
static int build_machine(struct machine *m, const struct options *o, struct blkdev *disk)
{
    struct boot_plan plans[MACHINE_MAX_VCPUS];
    struct window wins[MACHINE_MAX_VCPUS];
    for (int i = 0; i < m->nvcpus; i++)
        plans[i] = m->vcpus[i].plan;
    uint64_t mem;
    char err[256];
    int rc = layout_windows(plans, m->nvcpus, o->mem, wins, &mem, err, sizeof(err));
    if (rc < 0) {
        fprintf(stderr, "vmm: %s\n", err);
        return rc;
    }
    rc = vm_open(&m->vm, mem);
    if (rc < 0) {
        fprintf(stderr, "vmm: /dev/kvm: cannot create a VM with %llu MiB: %s\n",
                (unsigned long long)(mem >> 20), strerror(-rc));
        return rc;
    }
    if (o->irqchip && (rc = vm_create_irqchip(&m->vm)) < 0) {
        fprintf(stderr, "vmm: --irqchip: KVM_CREATE_IRQCHIP/PIT2 failed: %s\n", strerror(-rc));
        return rc;
    }
    rc = console_init(&m->con, STDOUT_FILENO, STDIN_FILENO, m->nvcpus > 1);
    if (rc == 0)
        rc = uart8250_init(&m->uart, &m->con, &m->vm);
    if (rc == 0)
        rc = vga_init(&m->vga, &m->vm);
    if (rc == 0)
        rc = register_devices(m, o, disk);
    if (rc < 0) {
        fprintf(stderr, "vmm: device setup failed: %s\n", strerror(-rc));
        return rc;
    }
    if (o->linux_image) {
        const struct linux_opts lo = { .initrd = o->initrd,
                                       .cmdline = o->cmdline,
                                       .entry = o->linux_entry,
                                       .test_break = o->linux_test_break,
                                       .smp = o->smp,
                                       /* tests: the kvm_pvm SYSCALL watch on any host */
                                       .force_syscall_watch =
                                           getenv("MINIKVM_TEST_SYSCALL_WATCH") != NULL,
                                       .gdb = o->gdb != NULL };
        if ((rc = linux_prepare(m, &lo)) < 0)
            return rc;
    }
    m->con.on_input = uart_input_cb;
    m->con.on_quit = quit_cb;
    m->con.cb_arg = m;

    for (int i = 0; i < m->nvcpus; i++) {
        struct vcpu *v = &m->vcpus[i];
        v->win = wins[i];
        lane_name(o->images[i], v->name, sizeof(v->name));
        console_set_lane(&m->con, i, v->name);
        if ((rc = copy_segments(m, v, o->images[i])) < 0)
            return rc;
        bool lnx = v->plan.kernel.present;
        rc = lnx ? 0 : entry_build_tables(&m->vm, &v->win, v->plan.mode);
        if (rc == 0)
            rc = vcpu_create(v, m, i);
        if (rc == 0)
            rc = lnx ? linux_setup_vcpu(m, v) : entry_setup_vcpu(v->fd, &v->plan, &v->win);
        if (rc == 0 && m->vm.irqchip)
            rc = entry_setup_lapic(v->fd);
        if (rc == 0)
            rc = vcpu_load_sync(v);
        if (rc == 0)
            rc = firmware_setup(m, o, v);
        if (rc < 0) {
            fprintf(stderr, "vmm: %s: vCPU %d setup failed: %s\n", o->images[i], i, strerror(-rc));
            return rc;
        }
    }
    return add_linux_aps(m, o->smp);
}

static void dump_screen(struct machine *m, const char *path)
{
    FILE *f = path ? fopen(path, "w") : stdout;
    if (!f) {
        fprintf(stderr, "vmm: --vga-dump %s: %s\n", path, strerror(errno));
        return;
    }
    vga_dump(&m->vga, f, false);
    if (path)
        fclose(f);
    else
        fflush(f);
}

static int run_machine(struct machine *m, const struct options *o)
{
    int rc = 0;
    if (o->gdb) {
        char err[256] = "";
        rc = debug_create(&m->dbg, m, o->gdb, o->gdb_nowait, o->gdb_arch, err, sizeof(err));
        if (rc < 0) {
            fprintf(stderr, "vmm: --gdb %s: %s\n", o->gdb, err[0] ? err : strerror(-rc));
            return VMM_STATUS_USAGE;
        }
        rc = debug_start(m->dbg);
    }
    if (rc == 0)
        rc = console_start_input(&m->con);
    if (rc == 0)
        rc = vga_view_start(&m->view, m, (enum vga_view_mode)o->vga);
    for (int i = 0; rc == 0 && o->history && i < m->nvcpus; i++)
        if ((rc = history_start(&m->vcpus[i].hist, o->history)) < 0)
            fprintf(stderr, "vmm: --history %u: %s\n", o->history, strerror(-rc));
    /* all counted before any starts: a guest that ends at once must not end the run */
    m->live_vcpus = m->nvcpus;
    for (int i = 0; rc == 0 && i < m->nvcpus; i++)
        rc = vcpu_start(&m->vcpus[i]);
    if (rc < 0) {
        fprintf(stderr, "vmm: cannot start threads: %s\n", strerror(-rc));
        machine_stop(m, VMM_STATUS_VCPU_ERROR);
    }
    bool timed_out;
    int status = machine_wait(m, o->timeout_ms, &timed_out);
    if (timed_out) {
        fprintf(stderr, "vmm: timeout after %.3g s, stopping\n", (double)o->timeout_ms / 1000.0);
        machine_stop(m, VMM_STATUS_TIMEOUT);
        status = m->status;
    }
    if (m->dbg)
        debug_finish(m->dbg, status);
    for (int i = 0; i < m->nvcpus; i++)
        vcpu_join(&m->vcpus[i]);
    vga_view_stop(&m->view);
    console_close(&m->con);
    if (o->vga_dump)
        dump_screen(m, o->vga_dump_file);
    if (m->dbg) {
        debug_destroy(m->dbg);
        m->dbg = NULL;
    }
    if (o->trace_cap) {
        exit_stats_print(&m->stats, stderr);
        bios_print_unimplemented(&m->bios, stderr);
        char note[160] = "";
        if (m->probe.cached)
            snprintf(note, sizeof(note), " (from the probe cache)");
        else if (m->probe.uncached[0])
            snprintf(note, sizeof(note), " (not cached: %s)", m->probe.uncached);
        fprintf(stderr, "startup: host probe %.1f ms%s\n", m->probe.probe_ms, note);
    }
    return status;
}

int main(int argc, char **argv)
{
    struct options o;
    char err[256];
    if (cli_parse(argc, argv, &o, err, sizeof(err)) < 0) {
        fprintf(stderr, "vmm: %s\n", err);
        return VMM_STATUS_USAGE;
    }
    if (o.help) {
        cli_usage(stdout);
        return 0;
    }

    static struct machine m; /* large (console buffers); main's own state */
    if (machine_init(&m) < 0) {
        fprintf(stderr, "vmm: out of memory\n");
        return VMM_STATUS_VCPU_ERROR;
    }
    m.stats.trace_cap = o.trace_cap;
    if (o.probe) {
        const struct probe_start ps = { .irqchip = true,
                                        .refresh = true,
                                        .no_cache = o.no_probe_cache };
        int rc = hostprobe_start(&m.probe, &ps);
        hostprobe_print(&m.probe, stdout);
        if (m.probe.uncached[0])
            fprintf(stderr, "vmm: probe cache: not written (%s)\n", m.probe.uncached);
        return rc < 0 ? VMM_STATUS_VCPU_ERROR : 0;
    }
    if (o.disk && o.nimages == 0 && !o.linux_image)
        o.images[o.nimages++] = o.disk; /* booted by the BIOS: disk_boot() */
    if (bios_init(&m.bios, &m) < 0 || load_images(&m, &o) < 0) {
        machine_destroy(&m);
        return VMM_STATUS_USAGE;
    }
    /* a missing initrd is bad input like a missing image: say so before building */
    if (o.initrd && access(o.initrd, R_OK) != 0) {
        fprintf(stderr, "vmm: --initrd %s: %s\n", o.initrd, strerror(errno));
        machine_destroy(&m);
        return VMM_STATUS_USAGE;
    }
    struct blkdev disk;
    if (blkdev_open(&disk, o.disk, &m.vm, disk_boot(&o) ? BLKDEV_ANY_SIZE : 0, err, sizeof(err)) <
        0) {
        fprintf(stderr, "vmm: --disk %s: %s\n", o.disk, err);
        machine_destroy(&m);
        return VMM_STATUS_USAGE;
    }
    const struct probe_start ps = { .irqchip = o.irqchip, .no_cache = o.no_probe_cache };
    int rc = hostprobe_start(&m.probe, &ps);
    if (rc < 0) {
        fprintf(stderr, "vmm: /dev/kvm: %s\n", strerror(-rc));
        blkdev_close(&disk);
        machine_destroy(&m);
        return VMM_STATUS_VCPU_ERROR;
    }

    struct sigaction sa = { .sa_handler = on_kick };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct sigwaiter sw = { .m = &m };
    sigemptyset(&sw.set);
    sigaddset(&sw.set, SIGINT);
    sigaddset(&sw.set, SIGTERM);
    sigaddset(&sw.set, SIGHUP);
    sigaddset(&sw.set, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &sw.set, NULL);
    bool sw_started = pthread_create(&sw.thread, NULL, sigwaiter_thread, &sw) == 0;

    int status;
    if (build_machine(&m, &o, &disk) < 0) {
        console_close(&m.con);
        status = VMM_STATUS_VCPU_ERROR;
    } else {
        status = run_machine(&m, &o);
    }
    if (sw_started) {
        pthread_kill(sw.thread, SIGUSR2);
        pthread_join(sw.thread, NULL);
    }
    blkdev_close(&disk);
    linux_destroy(&m);
    multiboot_free(&m.mb);
    bios_destroy(&m.bios);
    vga_destroy(&m.vga);
    machine_destroy(&m);
    return status;
}
