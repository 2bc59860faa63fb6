/* The host probe at start-up: the cached answers when the cache's key matches this
 * host and this VMM build, otherwise measured and cached (docs/host-probe.md, "The
 * probe cache"). A stale or corrupt file costs one line on stderr and a new probe. */
#define _GNU_SOURCE
#include "vmm/probe/probe_start.h"

#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vmm/probe/probecache.h"

#define NOTE_ALIGN(n) (((n) + 3u) & ~3u)

struct build_id {
    char hex[2 * 64 + 1];
};

/* The main program's NT_GNU_BUILD_ID note, from its loaded program headers. */
static int find_build_id(struct dl_phdr_info *info, size_t size, void *arg)
{
    struct build_id *b = arg;
    (void)size;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_NOTE)
            continue;
        const uint8_t *p = (const uint8_t *)(info->dlpi_addr + ph->p_vaddr);
        const uint8_t *end = p + ph->p_memsz;
        while (p + sizeof(ElfW(Nhdr)) <= end) {
            const ElfW(Nhdr) *n = (const void *)p;
            const uint8_t *name = p + sizeof(*n);
            const uint8_t *desc = name + NOTE_ALIGN(n->n_namesz);
            if (desc + n->n_descsz > end)
                break;
            if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && memcmp(name, "GNU", 4) == 0 &&
                n->n_descsz <= 64) {
                for (size_t k = 0; k < n->n_descsz; k++)
                    snprintf(b->hex + 2 * k, 3, "%02x", desc[k]);
                return 1;
            }
            p = desc + NOTE_ALIGN(n->n_descsz);
        }
    }
    return 1; /* the first object is the main program: look no further */
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Stores the answers for the next start where they are sound; unsound ones (an
 * error row, a noisy timing) are measured again next time. */
static void store(const char *path, const struct probe_key *k, struct hostprobe *p)
{
    if (!probecache_worth_storing(p, p->uncached, sizeof(p->uncached)))
        return;
    int rc = probecache_store(path, k, p);
    if (rc < 0)
        fprintf(stderr, "vmm: probe cache %s: cannot write: %s (--no-probe-cache avoids it)\n",
                path, strerror(-rc));
}

static int probe_and_store(struct hostprobe *p, const struct probe_start *o, const char *path,
                           const struct probe_key *k)
{
    int rc = hostprobe_run(p, o->irqchip);
    if (rc == 0 && path)
        store(path, k, p);
    return rc;
}

int hostprobe_start(struct hostprobe *p, const struct probe_start *o)
{
    double t0 = now_ms();
    struct probe_key k;
    struct probe_key_src src;
    struct build_id b = { "" };
    char path[4096];
    const char *where = NULL;
    if (!o->no_cache) {
        dl_iterate_phdr(find_build_id, &b);
        probecache_src_default(&src, b.hex);
        if (probecache_key(&k, &src) == 0 &&
            probecache_path(&k, getenv("XDG_CACHE_HOME"), getenv("HOME"), path, sizeof(path)) == 0)
            where = path;
    }
    if (!where || o->refresh)
        return probe_and_store(p, o, where, &k);

    char why[256] = "";
    switch (probecache_load(where, &k, p, why, sizeof(why))) {
    case PCACHE_HIT: break;
    case PCACHE_MISS: return probe_and_store(p, o, where, &k);
    case PCACHE_STALE:
        fprintf(stderr, "vmm: probe cache %s: stale (%s); probing again\n", where, why);
        return probe_and_store(p, o, where, &k);
    case PCACHE_CORRUPT:
        fprintf(stderr, "vmm: probe cache %s: corrupt (%s); probing again\n", where, why);
        return probe_and_store(p, o, where, &k);
    }
    if (o->irqchip && !hostprobe_has_irqchip_rows(p)) {
        /* cached by a start that did not need them: add them and store the whole */
        hostprobe_run_irqchip(p);
        store(where, &k, p);
    }
    p->probe_ms = now_ms() - t0;
    return 0;
}
