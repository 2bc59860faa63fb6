/* The host probe's answers cached on disk (docs/host-probe.md, "The probe cache").
 * KVM-free: the key is read from files (/proc, /sys, the VMM binary) and the cache
 * is a text file, so both are unit-tested without /dev/kvm.
 *
 * The answers pick the debugger's and Linux's strategies, so a stale cache is
 * dangerous: the key holds everything that could change them, and any doubt
 * (a changed field, a line that does not parse, a missing row) means probing again. */
#ifndef MINIKVM_PROBECACHE_H
#define MINIKVM_PROBECACHE_H

#include <stdbool.h>
#include <stddef.h>

#include "vmm/probe/hostprobe.h"

#define PROBE_KEY_LEN 192

/* One field per thing that could change the probe's answers; each is one line of
 * printable text. */
enum probe_key_field {
    PKEY_KERNEL, /* release and build version string (uname -r, -v) */
    PKEY_BOOT,   /* boot_id: a reboot may have loaded other modules or parameters */
    PKEY_KVM,    /* the kvm* modules loaded, their srcversion and parameters */
    PKEY_CPU,    /* vendor, family/model/stepping, microcode, the flags */
    PKEY_CMDLINE,
    PKEY_VMM, /* the VMM build: build id, size and mtime of the binary, cache format */
    PKEY_FIELDS
};

struct probe_key {
    char field[PKEY_FIELDS][PROBE_KEY_LEN];
};

/* Where the key is read from; tests point these at files of their own. */
struct probe_key_src {
    const char *osrelease; /* /proc/sys/kernel/osrelease */
    const char *version;   /* /proc/sys/kernel/version */
    const char *boot_id;   /* /proc/sys/kernel/random/boot_id */
    const char *modules;   /* /sys/module */
    const char *cpuinfo;   /* /proc/cpuinfo */
    const char *cmdline;   /* /proc/cmdline */
    const char *exe;       /* /proc/self/exe */
    const char *build_id;  /* the running binary's GNU build id in hex, or "" */
};

/* The real paths of this host. */
void probecache_src_default(struct probe_key_src *src, const char *build_id);
/* Fills every field; a source that cannot be read gives a field saying so (never a
 * silent empty one). -errno only when the VMM binary cannot be stat'ed. */
int probecache_key(struct probe_key *k, const struct probe_key_src *src);
const char *probecache_field_name(enum probe_key_field f);

/* The cache file for key K: DIR/mini-kvm/probe-HASH.txt, DIR being $XDG_CACHE_HOME
 * (if absolute) or $HOME/.cache; HASH names the VMM build, so build trees used side
 * by side keep a file each. -ENOENT when neither variable is usable. */
int probecache_path(const struct probe_key *k, const char *xdg, const char *home, char *buf,
                    size_t len);

enum probecache_verdict {
    PCACHE_HIT,     /* *out holds the cached answers */
    PCACHE_MISS,    /* no file */
    PCACHE_STALE,   /* a key field differs: why names it */
    PCACHE_CORRUPT, /* unreadable or malformed: why says where */
};

/* Parses TEXT (a whole cache file) against key K. */
enum probecache_verdict probecache_parse(const char *text, size_t len, const struct probe_key *k,
                                         struct hostprobe *out, char *why, size_t whylen);
enum probecache_verdict probecache_load(const char *path, const struct probe_key *k,
                                        struct hostprobe *out, char *why, size_t whylen);
/* Writes the file (directory created, mode 0700) through a temporary name and
 * rename, so a reader never sees half a file. 0 or -errno. */
int probecache_store(const char *path, const struct probe_key *k, const struct hostprobe *p);
/* The text probecache_store writes; 0 or -ENOSPC when BUF is too small. */
int probecache_format(const struct probe_key *k, const struct hostprobe *p, char *buf, size_t len);

/* Whether these answers may be cached: no row ended in an error (a transient
 * failure must not stick), and the timed ring-0 row is clearly on one side of its
 * threshold (a noisy sample must not decide for every later start). */
bool probecache_worth_storing(const struct hostprobe *p, char *why, size_t whylen);

#endif
