#include "vmm/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gdbstub/x86_layout.h"
#include "loader/boot_plan.h"
#include "vmm/util.h"

#define TRACE_DEFAULT_CAP 1000

int cli_parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s || *s == '-')
        return -EINVAL;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end)
        return -EINVAL;
    *out = v;
    return 0;
}

int cli_parse_size(const char *s, uint64_t *out)
{
    static const struct {
        char suffix;
        int shift;
    } units[] = {
        { 'K', 10 }, { 'k', 10 }, { 'M', 20 }, { 'm', 20 }, { 'G', 30 }, { 'g', 30 },
    };
    if (!s || !*s || *s == '-')
        return -EINVAL;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s)
        return -EINVAL;
    int shift = 0;
    if (*end) {
        size_t i;
        for (i = 0; i < ARRAY_SIZE(units); i++)
            if (units[i].suffix == *end)
                break;
        if (i == ARRAY_SIZE(units) || (end[1] && strcmp(end + 1, "iB") && strcmp(end + 1, "B")))
            return -EINVAL;
        shift = units[i].shift;
    }
    if (shift && v > (~0ull >> shift))
        return -ERANGE;
    *out = (uint64_t)v << shift;
    return 0;
}

struct cli_ctx {
    struct options *o;
    char *err;
    size_t errlen;
};

typedef int (*opt_fn)(struct cli_ctx *c, const char *name, const char *arg);

static int bad(struct cli_ctx *c, const char *name, const char *arg, const char *what)
{
    snprintf(c->err, c->errlen, "%s: '%s' is not %s", name, arg, what);
    return -EINVAL;
}

static int opt_mode(struct cli_ctx *c, const char *name, const char *arg)
{
    static const char *const names[] = {
        [CPU_MODE_REAL] = "real", [CPU_MODE_PROTECTED] = "protected", [CPU_MODE_LONG] = "long"
    };
    for (int i = 0; i < 3; i++)
        if (strcmp(arg, names[i]) == 0) {
            c->o->mode = i;
            return 0;
        }
    return bad(c, name, arg, "a mode (real, protected or long)");
}

/* The register view gdb gets; names as in gdbstub/x86_layout.h. */
static int opt_gdb_arch(struct cli_ctx *c, const char *name, const char *arg)
{
    static const char *const names[] = {
        [GDB_ARCH_I8086] = "i8086", [GDB_ARCH_I386] = "i386", [GDB_ARCH_X86_64] = "x86-64"
    };
    if (strcmp(arg, "auto") == 0) {
        c->o->gdb_arch = -1;
        return 0;
    }
    for (int i = 0; i < (int)ARRAY_SIZE(names); i++)
        if (strcmp(arg, names[i]) == 0) {
            c->o->gdb_arch = i;
            return 0;
        }
    return bad(c, name, arg, "auto, i8086, i386 or x86-64");
}

static int opt_addr(struct cli_ctx *c, const char *name, const char *arg)
{
    uint64_t v;
    if (cli_parse_u64(arg, &v) < 0 || v > 0xffffffffffffull)
        return bad(c, name, arg, "an address (e.g. 0x7c00)");
    if (strcmp(name, "--load") == 0)
        c->o->load_addr = (int64_t)v;
    else
        c->o->entry = (int64_t)v;
    return 0;
}

static int opt_mem(struct cli_ctx *c, const char *name, const char *arg)
{
    uint64_t v;
    if (cli_parse_size(arg, &v) < 0)
        return bad(c, name, arg, "a size (e.g. 64M, 1G, 0x100000)");
    if (v < 0x10000 || v > (3ull << 30) || (v & 0xfff))
        return bad(c, name, arg, "a usable memory size (64K to 3G, a multiple of 4K)");
    c->o->mem = v;
    return 0;
}

static int opt_timeout(struct cli_ctx *c, const char *name, const char *arg)
{
    char *end;
    errno = 0;
    double s = strtod(arg, &end);
    if (errno || end == arg || *end || !(s > 0) || s > 1e7)
        return bad(c, name, arg, "a number of seconds greater than 0 (e.g. 10 or 0.5)");
    c->o->timeout_ms = (uint64_t)(s * 1000.0 + 0.5);
    if (c->o->timeout_ms == 0)
        c->o->timeout_ms = 1;
    return 0;
}

static int opt_trace(struct cli_ctx *c, const char *name, const char *arg)
{
    uint64_t v = TRACE_DEFAULT_CAP;
    if (arg && (cli_parse_u64(arg, &v) < 0 || v == 0))
        return bad(c, name, arg, "a line count greater than 0");
    c->o->trace_cap = v;
    return 0;
}

static int opt_gdb(struct cli_ctx *c, const char *name, const char *arg)
{
    if (!*arg)
        return bad(c, name, arg, "a place to listen (PORT, HOST:PORT or unix:PATH)");
    c->o->gdb = arg;
    return 0;
}

static int opt_history(struct cli_ctx *c, const char *name, const char *arg)
{
    uint64_t n;
    if (cli_parse_u64(arg, &n) < 0 || n < 1 || n > CLI_MAX_HISTORY)
        return bad(c, name, arg, "an instruction count from 1 to 4096");
    c->o->history = (unsigned)n;
    return 0;
}

static int opt_disk(struct cli_ctx *c, const char *name, const char *arg)
{
    if (!*arg)
        return bad(c, name, arg, "a file name");
    c->o->disk = arg;
    return 0;
}

static int opt_choice(struct cli_ctx *c, const char *name, const char *arg)
{
    static const struct {
        const char *flag;
        const char *const names[3];
        const char *what;
    } choices[] = {
        { "--boot", { "auto", "floppy", "hd" }, "auto, floppy or hd" },
        { "--vga", { "off", "lines", "live" }, "off, lines or live" },
    };
    for (size_t k = 0; k < ARRAY_SIZE(choices); k++) {
        if (strcmp(name, choices[k].flag))
            continue;
        for (int i = 0; i < 3; i++)
            if (strcmp(arg, choices[k].names[i]) == 0) {
                *(k == 0 ? &c->o->boot : &c->o->vga) = i;
                return 0;
            }
        return bad(c, name, arg, choices[k].what);
    }
    return -EINVAL;
}

static int opt_vga_dump(struct cli_ctx *c, const char *name, const char *arg)
{
    if (arg && !*arg)
        return bad(c, name, arg, "a file name");
    c->o->vga_dump = true;
    c->o->vga_dump_file = arg;
    return 0;
}

static int opt_module(struct cli_ctx *c, const char *name, const char *arg)
{
    if (!*arg || *arg == ',')
        return bad(c, name, arg, "FILE or FILE,ARGS");
    if (c->o->nmodules == CLI_MAX_MODULES) {
        snprintf(c->err, c->errlen, "too many --module (at most %d)", CLI_MAX_MODULES);
        return -EINVAL;
    }
    c->o->modules[c->o->nmodules++] = arg;
    return 0;
}

static int opt_linux(struct cli_ctx *c, const char *name, const char *arg)
{
    struct options *o = c->o;
    if (strcmp(name, "--linux-entry") == 0) {
        if (strcmp(arg, "64") && strcmp(arg, "32"))
            return bad(c, name, arg, "64 or 32");
        o->linux_entry = arg[0] == '6' ? 64 : 32;
    } else if (strcmp(name, "--linux-test-break") == 0) {
        o->linux_test_break = true;
    } else if (strcmp(name, "--cmdline") == 0) {
        o->cmdline = arg;
    } else if (strcmp(name, "--smp") == 0) {
        uint64_t n;
        if (cli_parse_u64(arg, &n) < 0 || n < 1 || n > CLI_MAX_SMP)
            return bad(c, name, arg, "a CPU count from 1 to 8");
        o->smp = (int)n;
    } else if (!*arg) {
        return bad(c, name, arg, "a file name");
    } else if (strcmp(name, "--initrd") == 0) {
        o->initrd = arg;
    } else {
        o->linux_image = arg;
    }
    return 0;
}

/* --linux takes the place of IMAGE and brings its machine: irqchip, 256 MiB. */
static int cli_check_linux(struct options *o, char *err, size_t errlen)
{
    if (!o->linux_image) {
        /* --cmdline alone may be for a multiboot kernel: main checks it once loaded */
        if (o->initrd || o->linux_entry || o->linux_test_break || o->smp) {
            snprintf(err, errlen,
                     "--initrd, --cmdline, --linux-entry, --linux-test-break and --smp "
                     "need --linux");
            return -EINVAL;
        }
        return 0;
    }
    if (o->nimages || o->mode >= 0 || o->load_addr >= 0 || o->entry >= 0 || o->nmodules) {
        snprintf(err, errlen,
                 "--linux boots one kernel: no other IMAGE, --mode, --load, --entry or "
                 "--module");
        return -EINVAL;
    }
    o->images[o->nimages++] = o->linux_image;
    o->irqchip = true;
    if (!o->mem)
        o->mem = 256ull << 20;
    return 0;
}

static int opt_flag(struct cli_ctx *c, const char *name, const char *arg)
{
    if (strcmp(name, "--gdb-nowait") == 0)
        c->o->gdb_nowait = true;
    else if (strcmp(name, "--probe") == 0)
        c->o->probe = true;
    else if (strcmp(name, "--no-probe-cache") == 0)
        c->o->no_probe_cache = true;
    else if (strcmp(name, "--irqchip") == 0)
        c->o->irqchip = true;
    else
        c->o->help = true;
    return 0;
}

enum arg_kind { ARG_NONE, ARG_REQUIRED, ARG_OPTIONAL };

static const struct {
    const char *name;
    enum arg_kind arg;
    opt_fn fn;
    const char *metavar;
    const char *help;
} opt_table[] = {
    { "--mode", ARG_REQUIRED, opt_mode, "MODE",
      "real, protected or long: override the mode the image's format implies" },
    { "--load", ARG_REQUIRED, opt_addr, "ADDR", "load a flat image at ADDR instead of 0x7c00" },
    { "--entry", ARG_REQUIRED, opt_addr, "ADDR",
      "start at ADDR instead of the load address or ELF entry" },
    { "--mem", ARG_REQUIRED, opt_mem, "SIZE",
      "guest RAM (K/M/G suffixes; default: what the guests need, at least 4M)" },
    { "--timeout", ARG_REQUIRED, opt_timeout, "SECONDS",
      "stop the guests after SECONDS and exit with status 124" },
    { "--trace-exits", ARG_OPTIONAL, opt_trace, "[=N]",
      "print one line per VM exit (at most N, default 1000) and a summary" },
    { "--gdb", ARG_REQUIRED, opt_gdb, "[HOST:]PORT",
      "serve gdb there (127.0.0.1 unless HOST; or unix:PATH); the guest waits for gdb" },
    { "--gdb-nowait", ARG_NONE, opt_flag, "",
      "with --gdb: run the guest at once; gdb may attach later" },
    { "--gdb-arch", ARG_REQUIRED, opt_gdb_arch, "ARCH",
      "with --gdb: the register view gdb gets: auto (the guest's mode, followed), i8086, i386 "
      "or x86-64" },
    { "--irqchip", ARG_NONE, opt_flag, "",
      "create the in-kernel PIC/IOAPIC/LAPIC and PIT; UART uses IRQ 4" },
    { "--disk", ARG_REQUIRED, opt_disk, "FILE",
      "back the block device at ports 0x510-0x51f with FILE (read-write); with no IMAGE, "
      "boot FILE's sector 0 like a PC (int 13h reads the rest)" },
    { "--boot", ARG_REQUIRED, opt_choice, "auto|floppy|hd",
      "with --disk and no IMAGE: boot it as drive 00h or 80h (auto: floppy-sized images are "
      "floppies)" },
    { "--vga", ARG_REQUIRED, opt_choice, "off|lines|live",
      "show the VGA text screen: changed rows as 'vga NN: text' lines on stdout, or live "
      "(ANSI) on the terminal with serial output below" },
    { "--vga-dump", ARG_OPTIONAL, opt_vga_dump, "[=FILE]",
      "print the final VGA text screen at the end (to FILE, or stdout)" },
    { "--module", ARG_REQUIRED, opt_module, "FILE[,ARGS]",
      "a multiboot module (repeatable); its string is 'FILE ARGS'" },
    { "--history", ARG_REQUIRED, opt_history, "N",
      "keep each vCPU's last N instructions (single-stepping); shown at a triple fault" },
    { "--linux", ARG_REQUIRED, opt_linux, "FILE",
      "boot a Linux bzImage (or vmlinux) instead of IMAGE; implies --irqchip, --mem 256M" },
    { "--initrd", ARG_REQUIRED, opt_linux, "FILE", "with --linux: the initramfs" },
    { "--cmdline", ARG_REQUIRED, opt_linux, "STR",
      "the kernel command line: --linux (default: console=ttyS0 earlyprintk=serial) or a "
      "multiboot kernel" },
    { "--linux-entry", ARG_REQUIRED, opt_linux, "64|32",
      "with --linux: the boot protocol entry (default 64)" },
    { "--smp", ARG_REQUIRED, opt_linux, "N",
      "with --linux: N CPUs (1-8), found by the kernel in an MP table, started by INIT/SIPI" },
    { "--linux-test-break", ARG_NONE, opt_linux, "",
      "with --linux: break the boot data so it triple-faults early (tests)" },
    { "--probe", ARG_NONE, opt_flag, "",
      "measure what this host's KVM does, print the table, refresh the probe cache and exit" },
    { "--no-probe-cache", ARG_NONE, opt_flag, "",
      "neither read nor write the host probe's cache (~/.cache/mini-kvm): probe afresh" },
    { "--help", ARG_NONE, opt_flag, "", "show this help" },
};
#define NOPTS (ARRAY_SIZE(opt_table))

int cli_parse(int argc, char **argv, struct options *o, char *err, size_t errlen)
{
    memset(o, 0, sizeof(*o));
    o->mode = -1;
    o->gdb_arch = -1;
    o->load_addr = o->entry = -1;
    struct cli_ctx c = { o, err, errlen };
    bool images_only = false;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (images_only || a[0] != '-' || strcmp(a, "-") == 0) {
            if (o->nimages == CLI_MAX_IMAGES) {
                snprintf(err, errlen, "too many images (at most %d)", CLI_MAX_IMAGES);
                return -EINVAL;
            }
            o->images[o->nimages++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            images_only = true;
            continue;
        }
        if (strcmp(a, "-h") == 0)
            a = "--help";
        const char *eq = strchr(a, '=');
        size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
        size_t k;
        for (k = 0; k < NOPTS; k++)
            if (strlen(opt_table[k].name) == nlen && strncmp(opt_table[k].name, a, nlen) == 0)
                break;
        if (k == NOPTS) {
            snprintf(err, errlen, "unknown option '%s' (see --help)", a);
            return -EINVAL;
        }
        const char *arg = eq ? eq + 1 : NULL;
        if (opt_table[k].arg == ARG_NONE && arg) {
            snprintf(err, errlen, "%s takes no value", opt_table[k].name);
            return -EINVAL;
        }
        if (opt_table[k].arg == ARG_REQUIRED && !arg) {
            if (i + 1 >= argc) {
                snprintf(err, errlen, "%s needs a value (%s)", opt_table[k].name,
                         opt_table[k].metavar);
                return -EINVAL;
            }
            arg = argv[++i];
        }
        int rc = opt_table[k].fn(&c, opt_table[k].name, arg);
        if (rc < 0)
            return rc;
    }
    if (cli_check_linux(o, err, errlen) < 0)
        return -EINVAL;
    if (o->gdb_nowait && !o->gdb) {
        snprintf(err, errlen, "--gdb-nowait needs --gdb");
        return -EINVAL;
    }
    if (o->gdb_arch >= 0 && !o->gdb) {
        snprintf(err, errlen, "--gdb-arch needs --gdb");
        return -EINVAL;
    }
    if (o->boot && (!o->disk || o->nimages)) {
        snprintf(err, errlen, "--boot needs --disk and no IMAGE (it says how the disk boots)");
        return -EINVAL;
    }
    if (!o->help && !o->probe && o->nimages == 0 && !o->disk) {
        snprintf(err, errlen, "no image given (see --help)");
        return -EINVAL;
    }
    return 0;
}

void cli_usage(FILE *f)
{
    fprintf(f,
            "usage: vmm [options] IMAGE...\n"
            "       vmm [options] --disk DISK\n"
            "Runs each IMAGE on its own vCPU (flat binary: real mode at 0000:7C00, with a BIOS;\n"
            "ELF32: protected mode; ELF64: long mode; a multiboot header: as GRUB boots it), or\n"
            "boots DISK like a PC; serial output on stdout, the guest's status as exit status.\n\n"
            "options:\n");
    for (size_t k = 0; k < NOPTS; k++) {
        char left[40];
        snprintf(left, sizeof(left), "%s%s%s", opt_table[k].name,
                 opt_table[k].arg == ARG_REQUIRED ? " " : "", opt_table[k].metavar);
        fprintf(f, "  %-22s %s\n", left, opt_table[k].help);
    }
    fprintf(f,
            "\nexit status: the guest's (port 0xf4 or exit hypercall; 0 when every vCPU halts),\n"
            "  2 bad option or image, 123 Linux kernel panic, 124 timeout, 125 triple fault, 126 "
            "vCPU error\n"
            "  (internal error, failed entry, unknown exit), 137 gdb kill, 129/130/143 "
            "SIGHUP/SIGINT/SIGTERM.\n\n"
            "examples:\n"
            "  vmm build/guests/real/hello.bin\n"
            "  vmm --disk build/guests/bios/hello.bin --vga-dump\n"
            "  vmm --cmdline 'quiet' --module initrd.img build/guests/multiboot/kernel.elf\n"
            "  vmm --timeout 5 --trace-exits=20 build/guests/long/hello64.elf\n"
            "  vmm build/guests/real/counter.bin build/guests/real/hello.bin   (two vCPUs)\n"
            "  vmm --gdb 1234 build/guests/real/hello.bin   then: gdb -ex 'target remote :1234'\n");
}
