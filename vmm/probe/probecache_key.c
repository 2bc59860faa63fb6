/* The probe cache's key: what could change the probe's answers, read from /proc,
 * /sys and the VMM binary. Long or variable parts (module parameters, CPU flags,
 * the kernel command line) go in as an FNV-1a hash, so each field stays one line. */
#include "vmm/probe/probecache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmm/util.h"

/* Bumped whenever the file format or the meaning of a row changes. */
#define PROBECACHE_FORMAT 1
#define SMALL_FILE 4096
#define CPUINFO_MAX (256 * 1024)

static const char *const field_names[PKEY_FIELDS] = {
    [PKEY_KERNEL] = "kernel", [PKEY_BOOT] = "boot",       [PKEY_KVM] = "kvm",
    [PKEY_CPU] = "cpu",       [PKEY_CMDLINE] = "cmdline", [PKEY_VMM] = "vmm",
};

const char *probecache_field_name(enum probe_key_field f)
{
    return f < PKEY_FIELDS ? field_names[f] : "?";
}

void probecache_src_default(struct probe_key_src *src, const char *build_id)
{
    *src = (struct probe_key_src){
        .osrelease = "/proc/sys/kernel/osrelease",
        .version = "/proc/sys/kernel/version",
        .boot_id = "/proc/sys/kernel/random/boot_id",
        .modules = "/sys/module",
        .cpuinfo = "/proc/cpuinfo",
        .cmdline = "/proc/cmdline",
        .exe = "/proc/self/exe",
        .build_id = build_id ? build_id : "",
    };
}

static uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
    const uint8_t *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

#define FNV_SEED 0xcbf29ce484222325ull

/* Reads at most MAX bytes of PATH into a NUL-terminated malloc'ed buffer. */
static char *slurp(const char *path, size_t max, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    char *buf = malloc(max + 1);
    size_t got = 0;
    if (buf)
        util_read_full(fd, buf, max, &got); /* a read error keeps what came before */
    close(fd);
    if (buf) {
        buf[got] = '\0';
        if (len)
            *len = got;
    }
    return buf;
}

/* Control characters would break the file's one-field-a-line format. */
static void set_field(struct probe_key *k, enum probe_key_field f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_field(struct probe_key *k, enum probe_key_field f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(k->field[f], PROBE_KEY_LEN, fmt, ap);
    va_end(ap);
    for (char *c = k->field[f]; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = ' ';
}

/* The first line of a small file, or "unreadable". */
static void first_line(const char *path, char *out, size_t len)
{
    char *s = slurp(path, SMALL_FILE, NULL);
    if (!s) {
        snprintf(out, len, "unreadable");
        return;
    }
    s[strcspn(s, "\n")] = '\0';
    snprintf(out, len, "%s", s);
    free(s);
}

static void key_kernel(struct probe_key *k, const struct probe_key_src *src)
{
    char rel[64], ver[128];
    first_line(src->osrelease, rel, sizeof(rel));
    first_line(src->version, ver, sizeof(ver));
    set_field(k, PKEY_KERNEL, "%s %s", rel, ver);
}

/* Hashes every readable file of DIR (one level), names and contents, in name order;
 * the count of files hashed. */
static int hash_dir(const char *dir, uint64_t *h)
{
    struct dirent **ents;
    int n = scandir(dir, &ents, NULL, alphasort);
    if (n < 0)
        return 0;
    int hashed = 0;
    for (int i = 0; i < n; i++) {
        char path[512];
        if (ents[i]->d_name[0] != '.' &&
            (size_t)snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name) < sizeof(path)) {
            size_t len;
            char *s = slurp(path, SMALL_FILE, &len);
            *h = fnv1a(*h, ents[i]->d_name, strlen(ents[i]->d_name) + 1);
            if (s) {
                *h = fnv1a(*h, s, len + 1);
                hashed++;
            }
            free(s);
        }
        free(ents[i]);
    }
    free(ents);
    return hashed;
}

static int kvm_module(const struct dirent *e)
{
    return strcmp(e->d_name, "kvm") == 0 || strncmp(e->d_name, "kvm_", 4) == 0;
}

/* The kvm* modules (kvm, kvm_intel, kvm_amd, kvm_pvm, ...): names listed, their
 * srcversion and parameters hashed. Built-in modules show up in /sys/module too. */
static void key_kvm(struct probe_key *k, const struct probe_key_src *src)
{
    struct dirent **ents;
    int n = scandir(src->modules, &ents, kvm_module, alphasort);
    if (n < 0) {
        set_field(k, PKEY_KVM, "unreadable");
        return;
    }
    char names[PROBE_KEY_LEN] = "";
    size_t used = 0;
    uint64_t h = FNV_SEED;
    int params = 0;
    for (int i = 0; i < n; i++) {
        char path[512];
        const char *name = ents[i]->d_name;
        used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s", i ? "," : "", name);
        if (used >= sizeof(names))
            used = sizeof(names) - 1;
        h = fnv1a(h, name, strlen(name) + 1);
        snprintf(path, sizeof(path), "%s/%s/srcversion", src->modules, name);
        char srcv[64];
        first_line(path, srcv, sizeof(srcv));
        h = fnv1a(h, srcv, strlen(srcv) + 1);
        snprintf(path, sizeof(path), "%s/%s/parameters", src->modules, name);
        params += hash_dir(path, &h);
        free(ents[i]);
    }
    free(ents);
    set_field(k, PKEY_KVM, "%s params=%d #%016llx", n ? names : "none", params,
              (unsigned long long)h);
}

/* The value of "NAME<tabs>: value" in the first processor's block of cpuinfo. */
static void cpuinfo_get(const char *text, const char *name, char *out, size_t len)
{
    size_t nlen = strlen(name);
    snprintf(out, len, "-");
    for (const char *line = text; *line;) {
        const char *eol = strchr(line, '\n');
        size_t llen = eol ? (size_t)(eol - line) : strlen(line);
        if (llen == 0)
            return; /* the end of the first processor's block */
        if (strncmp(line, name, nlen) == 0 &&
            (line[nlen] == '\t' || line[nlen] == ' ' || line[nlen] == ':')) {
            const char *v = memchr(line, ':', llen);
            if (v) {
                v++;
                while (*v == ' ')
                    v++;
                size_t vlen = llen - (size_t)(v - line);
                snprintf(out, len, "%.*s", (int)vlen, v);
            }
            return;
        }
        line += llen + (eol ? 1 : 0);
    }
}

static void key_cpu(struct probe_key *k, const struct probe_key_src *src)
{
    char *text = slurp(src->cpuinfo, CPUINFO_MAX, NULL);
    if (!text) {
        set_field(k, PKEY_CPU, "unreadable");
        return;
    }
    char vendor[32], family[16], model[16], stepping[16], micro[32], name[64], flags[4096];
    cpuinfo_get(text, "vendor_id", vendor, sizeof(vendor));
    cpuinfo_get(text, "cpu family", family, sizeof(family));
    cpuinfo_get(text, "model", model, sizeof(model));
    cpuinfo_get(text, "stepping", stepping, sizeof(stepping));
    cpuinfo_get(text, "microcode", micro, sizeof(micro));
    cpuinfo_get(text, "model name", name, sizeof(name));
    cpuinfo_get(text, "flags", flags, sizeof(flags));
    free(text);
    set_field(k, PKEY_CPU, "%s %s/%s/%s ucode %s flags #%016llx %s", vendor, family, model,
              stepping, micro, (unsigned long long)fnv1a(FNV_SEED, flags, strlen(flags)), name);
}

static void key_cmdline(struct probe_key *k, const struct probe_key_src *src)
{
    size_t len;
    char *s = slurp(src->cmdline, SMALL_FILE, &len);
    if (!s) {
        set_field(k, PKEY_CMDLINE, "unreadable");
        return;
    }
    set_field(k, PKEY_CMDLINE, "#%016llx", (unsigned long long)fnv1a(FNV_SEED, s, len));
    free(s);
}

static int key_vmm(struct probe_key *k, const struct probe_key_src *src)
{
    struct stat st;
    if (stat(src->exe, &st) < 0)
        return -errno;
    set_field(k, PKEY_VMM, "format %d rows %d build-id %s size %lld mtime %lld.%09ld",
              PROBECACHE_FORMAT, PROBE_ROWS, src->build_id[0] ? src->build_id : "none",
              (long long)st.st_size, (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
    return 0;
}

int probecache_key(struct probe_key *k, const struct probe_key_src *src)
{
    memset(k, 0, sizeof(*k));
    key_kernel(k, src);
    first_line(src->boot_id, k->field[PKEY_BOOT], PROBE_KEY_LEN);
    key_kvm(k, src);
    key_cpu(k, src);
    key_cmdline(k, src);
    return key_vmm(k, src);
}

int probecache_path(const struct probe_key *k, const char *xdg, const char *home, char *buf,
                    size_t len)
{
    const char *vmm = k->field[PKEY_VMM];
    unsigned long long h = fnv1a(FNV_SEED, vmm, strlen(vmm));
    int n;
    if (xdg && xdg[0] == '/')
        n = snprintf(buf, len, "%s/mini-kvm/probe-%016llx.txt", xdg, h);
    else if (home && home[0] == '/')
        n = snprintf(buf, len, "%s/.cache/mini-kvm/probe-%016llx.txt", home, h);
    else
        return -ENOENT;
    return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}
