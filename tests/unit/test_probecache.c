/* The probe cache without KVM: the key read from a fake /proc and /sys tree (each
 * source changes its own field, unrelated changes none), the file's path, the
 * format round trip, stale and corrupt files (every truncation, bad values, junk),
 * and which answers may be stored. */
#include "tests/unit/check.h"
#include "vmm/probe/probecache.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmm/util.h"

static char root[64];

static void put_file(const char *rel, const char *text)
{
    char path[256], dir[256];
    snprintf(path, sizeof(path), "%s/%s", root, rel);
    snprintf(dir, sizeof(dir), "%s", path);
    for (char *p = strchr(dir + strlen(root) + 1, '/'); p; p = strchr(p + 1, '/')) {
        *p = '\0';
        mkdir(dir, 0700);
        *p = '/';
    }
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    fputs(text, f);
    fclose(f);
}

static char paths[8][256];

static void src_init(struct probe_key_src *s, const char *build_id)
{
    const char *rel[] = {
        "osrelease", "version", "boot_id", "module", "cpuinfo", "cmdline", "vmm"
    };
    for (size_t i = 0; i < ARRAY_SIZE(rel); i++)
        snprintf(paths[i], sizeof(paths[i]), "%s/%s", root, rel[i]);
    *s = (struct probe_key_src){ paths[0], paths[1], paths[2], paths[3],
                                 paths[4], paths[5], paths[6], build_id };
}

#define CPUINFO(ucode) \
    "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 1\n" \
    "model name\t: AMD EPYC 7B13\nstepping\t: 1\nmicrocode\t: " ucode "\n" \
    "flags\t\t: fpu vme de pse svm\n\nprocessor\t: 1\nmicrocode\t: 0xffff\n"

static void tree_init(void)
{
    put_file("osrelease", "6.1.0-50-amd64\n");
    put_file("version", "#1 SMP PREEMPT_DYNAMIC Debian 6.1.1\n");
    put_file("boot_id", "0f0e0d0c-aaaa\n");
    put_file("module/kvm/parameters/halt_poll_ns", "200000\n");
    put_file("module/kvm_amd/parameters/npt", "Y\n");
    put_file("module/kvm_amd/srcversion", "ABCDEF\n");
    put_file("module/ext4/parameters/x", "1\n");
    put_file("cpuinfo", CPUINFO("0xa0011d1"));
    put_file("cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/vda\n");
    put_file("vmm", "binary");
}

static void key_of(struct probe_key *k)
{
    struct probe_key_src s;
    src_init(&s, "00aa11bb");
    CHECK_INT("key_reads", probecache_key(k, &s), 0);
}

static int field_changes(const struct probe_key *a, const struct probe_key *b)
{
    int which = -1, n = 0;
    for (int f = 0; f < PKEY_FIELDS; f++)
        if (strcmp(a->field[f], b->field[f]) != 0) {
            which = f;
            n++;
        }
    return n == 1 ? which : n == 0 ? -1 : 100 + n;
}

static void test_key(void)
{
    struct probe_key a, b;
    tree_init();
    key_of(&a);
    CHECK_STR("key_kernel", a.field[PKEY_KERNEL],
              "6.1.0-50-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.1");
    CHECK_STR("key_boot", a.field[PKEY_BOOT], "0f0e0d0c-aaaa");
    CHECK_CONTAINS("key_kvm_modules", a.field[PKEY_KVM], "kvm,kvm_amd params=2 #");
    CHECK_CONTAINS("key_cpu", a.field[PKEY_CPU], "AuthenticAMD 25/1/1 ucode 0xa0011d1 flags #");
    CHECK_CONTAINS("key_cpu_name", a.field[PKEY_CPU], "AMD EPYC 7B13");
    CHECK_CONTAINS("key_vmm", a.field[PKEY_VMM], "build-id 00aa11bb size 6 mtime ");
    key_of(&b);
    CHECK_INT("key_same_twice", field_changes(&a, &b), -1);

    static const struct {
        const char *name, *file, *text;
        int field;
    } changes[] = {
        { "key_kernel_release", "osrelease", "6.1.0-51-amd64\n", PKEY_KERNEL },
        { "key_kernel_build", "version", "#2 SMP\n", PKEY_KERNEL },
        { "key_reboot", "boot_id", "11111111\n", PKEY_BOOT },
        { "key_kvm_param", "module/kvm_amd/parameters/npt", "N\n", PKEY_KVM },
        { "key_kvm_srcversion", "module/kvm_amd/srcversion", "FFFFFF\n", PKEY_KVM },
        { "key_kvm_new_param", "module/kvm/parameters/nx_huge_pages", "off\n", PKEY_KVM },
        { "key_kvm_other_module", "module/kvm_intel/parameters/ept", "Y\n", PKEY_KVM },
        { "key_microcode", "cpuinfo", CPUINFO("0xa0011d2"), PKEY_CPU },
        { "key_cmdline", "cmdline", "root=/dev/vda kvm_amd.npt=0\n", PKEY_CMDLINE },
        { "key_vmm_rebuilt", "vmm", "binary, rebuilt", PKEY_VMM },
        { "key_unrelated_module", "module/ext4/parameters/x", "2\n", -1 },
    };
    for (size_t i = 0; i < ARRAY_SIZE(changes); i++) {
        tree_init();
        key_of(&a);
        put_file(changes[i].file, changes[i].text);
        key_of(&b);
        CHECK_INT(changes[i].name, field_changes(&a, &b), changes[i].field);
    }

    /* sources that cannot be read say so; only a missing binary is an error */
    tree_init();
    struct probe_key_src s;
    src_init(&s, "");
    snprintf(paths[4], sizeof(paths[4]), "%s/nonexistent", root);
    snprintf(paths[3], sizeof(paths[3]), "%s/nonexistent", root);
    CHECK_INT("key_missing_sources", probecache_key(&a, &s), 0);
    CHECK_STR("key_cpu_unreadable", a.field[PKEY_CPU], "unreadable");
    CHECK_STR("key_kvm_unreadable", a.field[PKEY_KVM], "unreadable");
    CHECK_CONTAINS("key_no_build_id", a.field[PKEY_VMM], "build-id none");
    snprintf(paths[6], sizeof(paths[6]), "%s/nonexistent", root);
    CHECK_INT("key_missing_binary", probecache_key(&a, &s), -ENOENT);

    /* one field a line, whatever the sources hold */
    tree_init();
    put_file("osrelease", "6.1\r\x1b[31mred\n");
    key_of(&a);
    CHECK_STR("key_no_control_chars", a.field[PKEY_KERNEL],
              "6.1  [31mred #1 SMP PREEMPT_DYNAMIC Debian 6.1.1");
}

static void test_path(void)
{
    struct probe_key a, b;
    char p1[256], p2[256];
    tree_init();
    key_of(&a);
    CHECK_INT("path_xdg", probecache_path(&a, "/x/cache", "/home/u", p1, sizeof(p1)), 0);
    CHECK_CONTAINS("path_xdg_dir", p1, "/x/cache/mini-kvm/probe-");
    CHECK_INT("path_relative_xdg_ignored", probecache_path(&a, "rel", "/home/u", p2, sizeof(p2)),
              0);
    CHECK_CONTAINS("path_home_dir", p2, "/home/u/.cache/mini-kvm/probe-");
    CHECK_INT("path_none", probecache_path(&a, NULL, "", p2, sizeof(p2)), -ENOENT);
    CHECK_INT("path_too_long", probecache_path(&a, "/x", NULL, p2, 10), -ENAMETOOLONG);
    b = a;
    snprintf(b.field[PKEY_KERNEL], PROBE_KEY_LEN, "another kernel");
    probecache_path(&b, "/x/cache", NULL, p2, sizeof(p2));
    CHECK_STR("path_same_build_same_file", p2, p1);
    snprintf(b.field[PKEY_VMM], PROBE_KEY_LEN, "another build");
    probecache_path(&b, "/x/cache", NULL, p2, sizeof(p2));
    CHECK("path_other_build_other_file", strcmp(p1, p2) != 0);
}

static void sample(struct hostprobe *p)
{
    memset(p, 0, sizeof(*p));
    for (int i = 0; i < PROBE_ROWS; i++)
        p->row[i] = i % 3 == 0 ? PROBE_NO : PROBE_YES;
    p->row[PROBE_IRQCHIP] = p->row[PROBE_AP_START] = PROBE_UNTESTED;
    p->ring0_us_per_insn = 1.625;
    p->probe_ms = 23.5;
    p->done = true;
}

static void test_format(void)
{
    struct probe_key k;
    struct hostprobe p, got;
    char text[16384], why[256];
    tree_init();
    key_of(&k);
    sample(&p);
    CHECK_INT("format", probecache_format(&k, &p, text, sizeof(text)), 0);
    CHECK_INT("format_small_buffer", probecache_format(&k, &p, text, 100), -ENOSPC);
    probecache_format(&k, &p, text, sizeof(text));
    size_t len = strlen(text);
    CHECK_INT("parse_hit", probecache_parse(text, len, &k, &got, why, sizeof(why)), PCACHE_HIT);
    CHECK("parse_rows_equal", memcmp(got.row, p.row, sizeof(p.row)) == 0);
    CHECK("parse_cost", got.ring0_us_per_insn == 1.625);
    CHECK("parse_cached_done", got.cached && got.done);

    struct probe_key other = k;
    snprintf(other.field[PKEY_CPU], PROBE_KEY_LEN, "GenuineIntel 6/85/7");
    CHECK_INT("parse_stale", probecache_parse(text, len, &other, &got, why, sizeof(why)),
              PCACHE_STALE);
    CHECK_STR("parse_stale_why", why, "cpu changed");

    /* every cut short of the whole file is corrupt, never a hit */
    int bad = 0;
    for (size_t cut = 0; cut < len; cut++)
        if (probecache_parse(text, cut, &k, &got, why, sizeof(why)) != PCACHE_CORRUPT)
            bad++;
    CHECK_INT("parse_every_truncation_corrupt", bad, 0);
    probecache_parse(text, len - 4, &k, &got, why, sizeof(why));
    CHECK_CONTAINS("parse_truncated_why", why, "truncated");

    static const struct {
        const char *name, *from, *to, *why;
    } edits[] = {
        { "corrupt_header", "mini-kvm probe cache", "mini-kvm probe cachE", "not a probe cache" },
        { "corrupt_row_value", "row.syscall yes", "row.syscall maybe", "row.syscall is 'maybe'" },
        { "corrupt_row_error", "row.syscall yes", "row.syscall error", "not yes, no or untested" },
        { "corrupt_row_renamed", "row.syscall", "row.sysenter", "expected row.syscall" },
        { "corrupt_number", "probe_ms 23.500", "probe_ms 23.5x", "expected 'probe_ms NUMBER'" },
        { "corrupt_nan", "probe_ms 23.500", "probe_ms nan", "expected 'probe_ms NUMBER'" },
        { "corrupt_end", "\nend\n", "\nEND\n", "expected 'end'" },
        { "corrupt_after_end", "\nend\n", "\nend\nmore\n", "text after 'end'" },
        { "corrupt_key_name", "key.boot", "key.boots", "expected key.boot" },
        { "corrupt_nul", "row.paging32", "row.pag\0ng32", "expected row.paging32" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(edits); i++) {
        char ed[16384];
        const char *at = strstr(text, edits[i].from);
        if (!at) {
            CHECK(edits[i].name, at != NULL);
            continue;
        }
        size_t pre = (size_t)(at - text), fl = strlen(edits[i].from);
        size_t tl = strlen(edits[i].to) + (strcmp(edits[i].name, "corrupt_nul") == 0);
        memcpy(ed, text, pre);
        memcpy(ed + pre, edits[i].to, tl);
        memcpy(ed + pre + tl, at + fl, len - pre - fl);
        size_t elen = len - fl + tl;
        int v = probecache_parse(ed, elen, &k, &got, why, sizeof(why));
        CHECK_INT(edits[i].name, v, PCACHE_CORRUPT);
        CHECK_CONTAINS(edits[i].name, why, edits[i].why);
    }

    char longline[2048];
    memset(longline, 'a', sizeof(longline));
    memcpy(longline, "mini-kvm probe cache\n", 21);
    longline[sizeof(longline) - 1] = '\n';
    CHECK_INT("corrupt_long_line",
              probecache_parse(longline, sizeof(longline), &k, &got, why, sizeof(why)),
              PCACHE_CORRUPT);
    CHECK_INT("corrupt_empty", probecache_parse("", 0, &k, &got, why, sizeof(why)), PCACHE_CORRUPT);

    /* random byte damage: never a crash, and a hit only when the rows still parse */
    srand(13);
    int hits = 0;
    for (int n = 0; n < 2000; n++) {
        char ed[16384];
        memcpy(ed, text, len);
        for (int j = 0; j < 1 + n % 4; j++)
            ed[(size_t)rand() % len] = (char)rand();
        hits += probecache_parse(ed, len, &k, &got, why, sizeof(why)) == PCACHE_HIT;
    }
    CHECK("fuzz_mostly_rejected", hits < 200);
}

static void test_worth(void)
{
    struct hostprobe p;
    char why[160];
    sample(&p);
    CHECK("worth_emulated", probecache_worth_storing(&p, why, sizeof(why)));
    p.ring0_us_per_insn = 0.002;
    CHECK("worth_native", probecache_worth_storing(&p, why, sizeof(why)));
    p.ring0_us_per_insn = -0.147; /* noise on a native host (seen under TCG) */
    CHECK("worth_negative_noise", probecache_worth_storing(&p, why, sizeof(why)));
    p.ring0_us_per_insn = 0.06;
    CHECK("worth_not_near_threshold", !probecache_worth_storing(&p, why, sizeof(why)));
    CHECK_CONTAINS("worth_threshold_why", why, "too near");
    sample(&p);
    p.row[PROBE_HWBP_RING3] = PROBE_ERROR;
    CHECK("worth_not_with_error", !probecache_worth_storing(&p, why, sizeof(why)));
    CHECK_CONTAINS("worth_error_why", why, "hwbp_ring3");
}

static void test_store(void)
{
    struct probe_key k;
    struct hostprobe p, got;
    char path[256], why[256];
    tree_init();
    key_of(&k);
    sample(&p);
    snprintf(path, sizeof(path), "%s/c/mini-kvm/probe-x.txt", root);
    CHECK_INT("load_missing", probecache_load(path, &k, &got, why, sizeof(why)), PCACHE_MISS);
    CHECK_INT("store", probecache_store(path, &k, &p), 0);
    struct stat st;
    char dir[256];
    snprintf(dir, sizeof(dir), "%s/c/mini-kvm", root);
    CHECK_INT("store_dir_private", stat(dir, &st) == 0 ? (int)(st.st_mode & 0777) : -1, 0700);
    CHECK_INT("load_hit", probecache_load(path, &k, &got, why, sizeof(why)), PCACHE_HIT);
    CHECK_INT("load_row", got.row[PROBE_SYSCALL], p.row[PROBE_SYSCALL]);
    CHECK_INT("store_again", probecache_store(path, &k, &p), 0);
    put_file("c/mini-kvm/probe-x.txt", "garbage\n");
    CHECK_INT("load_corrupt", probecache_load(path, &k, &got, why, sizeof(why)), PCACHE_CORRUPT);
    snprintf(path, sizeof(path), "%s/c", root);
    CHECK_INT("load_directory", probecache_load(path, &k, &got, why, sizeof(why)), PCACHE_CORRUPT);
    CHECK_CONTAINS("load_directory_why", why, "cannot read");
    snprintf(path, sizeof(path), "%s/vmm/probe.txt", root); /* a file where a dir must be */
    CHECK("store_fails_cleanly", probecache_store(path, &k, &p) < 0);
}

int main(void)
{
    snprintf(root, sizeof(root), "/tmp/mkvm-probecache.XXXXXX");
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        return 1;
    }
    test_key();
    test_path();
    test_format();
    test_worth();
    test_store();
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", root);
    return CHECK_DONE();
}
