/* gdb `monitor` commands: the command table, argument splitting, and the commands
 * that need no descriptor decoding (mode, phys, exits, probe). Runs on the stub
 * thread while every vCPU is parked, so vCPU state is stable while it is read. */
#include "vmm/debug/monitor.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/debug/debug.h"
#include "vmm/debug/monitor_priv.h"
#include "vmm/machine.h"
#include "vmm/util.h"
#include "vmm/x86/pagewalk.h"

#define MON_MAX_ARGS 4 /* the name and its arguments */
#define MON_CMD_MAX 256
#define PHYS_DUMP_MAX 4096u

typedef int (*mon_fn)(struct mon_ctx *c, int argc, char **argv);

struct mon_cmd {
    const char *name;
    const char *args; /* "" or the argument synopsis */
    const char *what;
    int min_args, max_args; /* not counting the name */
    bool needs_vcpu;
    mon_fn fn;
};

static int cmd_help(struct mon_ctx *c, int argc, char **argv);
static int cmd_mode(struct mon_ctx *c, int argc, char **argv);
static int cmd_phys(struct mon_ctx *c, int argc, char **argv);
static int cmd_exits(struct mon_ctx *c, int argc, char **argv);
static int cmd_probe(struct mon_ctx *c, int argc, char **argv);
static int cmd_vga(struct mon_ctx *c, int argc, char **argv);
static int cmd_watch(struct mon_ctx *c, int argc, char **argv);

/* "help" itself is listed by the stub's header, so it has no line of its own here. */
static const struct mon_cmd cmds[] = {
    { "help", "", NULL, 0, 0, false, cmd_help },
    { "regs", "", "segments, descriptor tables, control registers, flags, MSRs", 0, 0, true,
      monitor_cmd_regs },
    { "mode", "", "the selected vCPU's CPU mode, CPL and paging", 0, 0, true, cmd_mode },
    { "pt", "ADDR", "page walk of linear ADDR through the vCPU's CR3", 1, 1, true, monitor_cmd_pt },
    { "gdt", "", "every descriptor in the GDT (first 64)", 0, 0, true, monitor_cmd_gdt },
    { "idt", "[N]", "the IDT's gates (IVT in real mode), or vector N only", 0, 1, true,
      monitor_cmd_idt },
    { "phys", "ADDR LEN", "hex dump of guest-physical memory (LEN up to 4096)", 2, 2, false,
      cmd_phys },
    { "exits", "", "VM exit counts by reason; unknown ports and MMIO", 0, 0, false, cmd_exits },
    { "probe", "", "what this host's KVM does (the --probe table)", 0, 0, false, cmd_probe },
    { "vga", "", "the VGA text screen (80x25 at 0xB8000) and its cursor", 0, 0, false, cmd_vga },
    { "why", "", "why the vCPU triple-faulted: IDT, gates, GDT, page walks, likely causes", 0, 0,
      true, monitor_cmd_why },
    { "watch", "[auto|dr|page|step]",
      "how watchpoints are watched: debug registers, read-only pages, or stepping", 0, 1, false,
      cmd_watch },
    { "history", "[on [N]|off]", "the vCPU's last instructions (on: keep N, default 64)", 0, 2,
      true, monitor_cmd_history },
    /* QEMU's, for scripts written against it (monitor_qemu.c) */
    { "info", "version|registers", "QEMU-compatible: what answers; regs", 1, 1, true,
      monitor_cmd_info },
    { "xp", "[/FMT] ADDR", "QEMU-compatible physical dump, FMT [N][x|d|u][b|h|w|g]", 1, 2, false,
      monitor_cmd_xp },
};
#define NCMDS (ARRAY_SIZE(cmds))

int monitor_parse_u64(const char *s, uint64_t *out)
{
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    /* strtoull would also take a sign, spaces or a second 0x: accept digits only. */
    if (!s[0])
        return -EINVAL;
    for (const char *p = s; *p; p++)
        if (base == 16 ? !isxdigit((unsigned char)*p) : !isdigit((unsigned char)*p))
            return -EINVAL;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, base);
    if (errno || *end)
        return -EINVAL;
    *out = v;
    return 0;
}

static int usage(struct mon_ctx *c, const struct mon_cmd *cmd)
{
    if (cmd->max_args == 0)
        strbuf_printf(c->out, "usage: monitor %s (no arguments)\n", cmd->name);
    else
        strbuf_printf(c->out, "usage: monitor %s %s (numbers: 0x... hex or decimal)\n", cmd->name,
                      cmd->args);
    return -EINVAL;
}

static int cmd_help(struct mon_ctx *c, int argc, char **argv)
{
    for (size_t i = 0; i < NCMDS; i++) {
        if (!cmds[i].what)
            continue;
        char syn[32];
        snprintf(syn, sizeof(syn), "%s%s%s", cmds[i].name, cmds[i].args[0] ? " " : "",
                 cmds[i].args);
        strbuf_printf(c->out, "  %-20s %s\n", syn, cmds[i].what);
    }
    return 0;
}

static int cmd_mode(struct mon_ctx *c, int argc, char **argv)
{
    struct kvm_regs r;
    struct kvm_sregs s;
    int rc = vcpu_get_state(c->v, &r, &s);
    if (rc < 0)
        return rc;
    enum vcpu_cpu_mode mode = vcpu_mode_of(&s);
    strbuf_printf(c->out, "vCPU %d: %s", c->cpu, vcpu_mode_name(mode));
    if (mode == VMODE_REAL)
        strbuf_printf(c->out, ", cs:ip %04x:%04x\n", s.cs.selector, (unsigned)(r.rip & 0xffff));
    else if (monitor_paging_kind(&s) == PW_NONE)
        strbuf_printf(c->out, ", CPL %u, paging off\n", monitor_cpl(&s));
    else
        strbuf_printf(c->out, ", CPL %u, paging %s\n", monitor_cpl(&s),
                      pw_kind_name(monitor_paging_kind(&s)));
    return 0;
}

static int cmd_phys(struct mon_ctx *c, int argc, char **argv)
{
    uint64_t addr, len;
    if (monitor_parse_u64(argv[1], &addr) < 0 || monitor_parse_u64(argv[2], &len) < 0 || len == 0) {
        strbuf_printf(c->out,
                      "phys: bad ADDR or LEN ('%.40s' '%.40s'); usage: phys ADDR LEN "
                      "(LEN > 0, 0x... hex or decimal)\n",
                      argv[1], argv[2]);
        return -EINVAL;
    }
    bool capped = len > PHYS_DUMP_MAX;
    if (capped)
        len = PHYS_DUMP_MAX;
    const uint8_t *p = vm_gpa_to_hva(&c->m->vm, addr, len);
    if (!p) {
        strbuf_printf(c->out, "phys: 0x%llx + 0x%llx is outside guest RAM (0x%llx bytes)\n",
                      (unsigned long long)addr, (unsigned long long)len,
                      (unsigned long long)c->m->vm.mem_size);
        return -EFAULT;
    }
    if (capped)
        strbuf_printf(c->out, "phys: LEN capped at %u bytes\n", PHYS_DUMP_MAX);
    for (uint64_t off = 0; off < len; off += 16) {
        unsigned n = len - off < 16 ? (unsigned)(len - off) : 16;
        char line[100], *q = line;
        q += sprintf(q, "%08llx ", (unsigned long long)(addr + off));
        for (unsigned i = 0; i < 16; i++)
            q += i < n ? sprintf(q, "%s%02x", i == 8 ? "  " : " ", p[off + i])
                       : sprintf(q, "%s  ", i == 8 ? "  " : " ");
        q += sprintf(q, "  |");
        for (unsigned i = 0; i < n; i++)
            *q++ = p[off + i] >= 0x20 && p[off + i] < 0x7f ? (char)p[off + i] : '.';
        sprintf(q, "|\n");
        strbuf_puts(c->out, line);
    }
    return 0;
}

static int cmd_exits(struct mon_ctx *c, int argc, char **argv)
{
    struct exit_stats *st = &c->m->stats;
    strbuf_printf(c->out, "exits: %llu total\n", (unsigned long long)atomic_load(&st->total));
    for (uint32_t r = 0; r < EXIT_REASON_SLOTS; r++) {
        uint64_t n = atomic_load(&st->by_reason[r]);
        if (!n)
            continue;
        char name[40];
        snprintf(name, sizeof(name), "%s (%u)", exit_reason_name(r), r);
        strbuf_printf(c->out, "  %-24s %12llu\n", name, (unsigned long long)n);
    }
    uint64_t upio = atomic_load(&st->unknown_pio), ummio = atomic_load(&st->unknown_mmio);
    if (upio || ummio)
        strbuf_printf(c->out, "unknown accesses: %llu port, %llu MMIO\n", (unsigned long long)upio,
                      (unsigned long long)ummio);
    pthread_mutex_lock(&st->lock);
    for (int i = 0; i < st->nunknown; i++)
        strbuf_printf(
            c->out, "  unknown %s 0x%llx: %llu times\n", st->unknown[i].mmio ? "MMIO" : "port",
            (unsigned long long)st->unknown[i].addr, (unsigned long long)st->unknown[i].count);
    bool full = st->nunknown == UNKNOWN_SLOTS;
    pthread_mutex_unlock(&st->lock);
    if (full)
        strbuf_printf(c->out, "  (only the first %d distinct addresses are kept)\n", UNKNOWN_SLOTS);
    return 0;
}

/* hostprobe_print writes to a FILE: capture it rather than keep a second formatter. */
static int cmd_probe(struct mon_ctx *c, int argc, char **argv)
{
    if (!c->m->probe.done) {
        strbuf_puts(c->out, "probe: the host probe has not run\n");
        return 0;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return -errno;
    hostprobe_print(&c->m->probe, f);
    int rc = fclose(f) == 0 ? 0 : -errno;
    if (rc == 0 && text)
        strbuf_append(c->out, text, len);
    free(text);
    return rc;
}

/* vga_dump writes to a FILE, as hostprobe_print does. */
static int cmd_watch(struct mon_ctx *c, int argc, char **argv)
{
    return c->m->dbg ? debug_monitor_watch(c->m->dbg, argc, argv, c->out) : -ENODEV;
}

static int cmd_vga(struct mon_ctx *c, int argc, char **argv)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return -errno;
    vga_dump(&c->m->vga, f, true);
    int rc = fclose(f) == 0 ? 0 : -errno;
    if (rc == 0 && text)
        strbuf_append(c->out, text, len);
    free(text);
    return rc;
}

/* Splits CMD in place on spaces and tabs into at most MAX words; -E2BIG when there
 * are more (argv[0] is still the first word, for the usage message). */
static int split_args(char *cmd, char **argv, int max)
{
    int argc = 0;
    char *save = NULL;
    for (char *p = strtok_r(cmd, " \t", &save); p; p = strtok_r(NULL, " \t", &save)) {
        if (argc == max)
            return -E2BIG;
        argv[argc++] = p;
    }
    return argc;
}

static const struct mon_cmd *find_cmd(const char *name)
{
    for (size_t i = 0; i < NCMDS; i++)
        if (strcmp(cmds[i].name, name) == 0)
            return &cmds[i];
    return NULL;
}

int monitor_run(struct machine *m, int cpu, const char *cmd, struct strbuf *out)
{
    char buf[MON_CMD_MAX];
    char *argv[MON_MAX_ARGS];
    struct mon_ctx c = { .m = m, .cpu = cpu < 0 ? 0 : cpu, .out = out };

    size_t n = strlen(cmd);
    if (n >= sizeof(buf)) {
        strbuf_printf(out, "monitor: command too long (%zu characters, at most %zu)\n", n,
                      sizeof(buf) - 1);
        return -EINVAL;
    }
    memcpy(buf, cmd, n + 1);
    int argc = split_args(buf, argv, MON_MAX_ARGS);
    if (argc == 0)
        return cmd_help(&c, 0, argv);
    const struct mon_cmd *mc = find_cmd(argv[0]);
    if (!mc) {
        strbuf_printf(out, "unknown monitor command '%.60s' (try 'monitor help')\n", argv[0]);
        return -ENOENT;
    }
    if (argc < 0 || argc - 1 < mc->min_args || argc - 1 > mc->max_args)
        return usage(&c, mc);
    if (mc->needs_vcpu) {
        if (c.cpu >= m->nvcpus) {
            strbuf_printf(out, "%s: no vCPU %d (this machine has %d)\n", mc->name, c.cpu,
                          m->nvcpus);
            return -EINVAL;
        }
        c.v = &m->vcpus[c.cpu];
    }
    return mc->fn(&c, argc, argv);
}
