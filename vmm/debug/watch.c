/* The gdb target on KVM: how a watchpoint sees the guest's writes. Three ways, the
 * first that fits:
 *   - a debug register, where this host's DR7 data breakpoints fire and one is free
 *     (guest_debug.c programs it; 1, 2, 4 or 8 aligned bytes, reads too);
 *   - read-only pages: the pages under the watched bytes become a read-only memslot
 *     (vm_set_readonly_pages), so the guest's writes there exit as KVM_EXIT_MMIO;
 *     the write is done here, the watched bytes compared, and a change is a watch
 *     stop (reads and fetches run at full speed; other writes to the page cost an
 *     exit each);
 *   - step-and-compare: every instruction single-stepped and compared (classify.c).
 * The last two take any alignment and up to DBG_WATCH_MAX_LEN bytes, in any number
 * up to DBG_MAX_HW; `monitor watch` forces one way. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vmm/debug/debug_priv.h"
#include "vmm/util.h"

static const struct {
    const char *word; /* for `monitor watch` */
    const char *what;
} hows[WATCH_HOWS] = {
    [WATCH_DR] = { "dr", "debug register" },
    [WATCH_PAGE] = { "page", "read-only page" },
    [WATCH_STEP] = { "step", "step-and-compare" },
};

/* Why HOW cannot watch [addr, addr+len) for KIND; NULL when it can. */
static const char *cannot(const struct debug *d, enum watch_how how, enum bp_kind kind,
                          uint64_t addr, size_t len)
{
    const struct hostprobe *p = &d->m->probe;
    if (how == WATCH_DR) {
        if (!hostprobe_yes(p, PROBE_WATCHPOINT))
            return "this host's DR7 data breakpoints never fire (vmm --probe)";
        if (debug_dr7_len(len) < 0 || (addr & (len - 1)))
            return "a debug register watches 1, 2, 4 or 8 bytes aligned to their size";
        return NULL;
    }
    if (kind != BP_WRITE)
        return "reads are seen only by a debug register";
    if (len == 0 || len > DBG_WATCH_MAX_LEN)
        return "it compares at most 64 bytes";
    if (how == WATCH_PAGE && !hostprobe_yes(p, PROBE_RO_SLOT))
        return "this host's KVM has no read-only memslots (vmm --probe)";
    return NULL;
}

int debug_watch_choose(struct debug *d, enum bp_kind kind, uint64_t addr, size_t len, int free,
                       enum watch_how *how)
{
    if (d->watch_force >= 0) {
        const char *why = cannot(d, (enum watch_how)d->watch_force, kind, addr, len);
        if (why) {
            fprintf(stderr,
                    "vmm: watchpoint at 0x%llx (%zu bytes) refused: `monitor watch %s` is set "
                    "and %s\n",
                    (unsigned long long)addr, len, hows[d->watch_force].word, why);
            return -EINVAL; /* an error, not "unsupported": gdb would stop sending Z2 */
        }
        *how = (enum watch_how)d->watch_force;
    } else {
        int h = 0;
        while (h < WATCH_HOWS &&
               (cannot(d, (enum watch_how)h, kind, addr, len) || (h == WATCH_DR && free <= 0)))
            h++;
        *how = (enum watch_how)h;
    }
    if (*how == WATCH_PAGE && d->page_broken)
        *how = WATCH_STEP; /* KVM failed on a read-only page earlier in this session */
    if (*how < WATCH_HOWS)
        return 0;
    fprintf(stderr, "vmm: watchpoint at 0x%llx (%zu bytes) refused: %s\n", (unsigned long long)addr,
            len, cannot(d, WATCH_STEP, kind, addr, len));
    /* reads: "unsupported" has gdb say it cannot watch reads here */
    return kind == BP_WRITE ? -EINVAL : -EOPNOTSUPP;
}

bool debug_watch_any(const struct debug *d, enum watch_how how)
{
    for (int i = 0; i < DBG_MAX_HW; i++)
        if (d->hw[i].used && debug_is_watch(d->hw[i].kind) && d->hw[i].how == how)
            return true;
    return false;
}

/* The watched bytes' guest-physical pieces through CPU's page tables: one per page. */
static void watch_translate(struct debug *d, int cpu, struct hwbp *w)
{
    uint64_t at = w->addr;
    size_t left = w->len;
    w->nfrag = 0;
    while (left > 0) {
        size_t in_page = SLOTS_PAGE - (at & (SLOTS_PAGE - 1)), n = left < in_page ? left : in_page;
        uint64_t phys;
        if (w->nfrag == 2 || debug_translate(d, cpu, at, &phys) < 0 ||
            !vm_gpa_to_hva(&d->m->vm, phys, n)) {
            w->nfrag = 0;
            return;
        }
        w->frag[w->nfrag].phys = phys;
        w->frag[w->nfrag++].len = n;
        at += n;
        left -= n;
    }
}

static void watch_read(struct debug *d, const struct hwbp *w, uint8_t *buf)
{
    for (int i = 0; i < w->nfrag; i++) {
        memcpy(buf, vm_gpa_to_hva(&d->m->vm, w->frag[i].phys, w->frag[i].len), w->frag[i].len);
        buf += w->frag[i].len;
    }
}

void debug_watch_arm(struct debug *d)
{
    uint64_t pages[DBG_MAX_HW * 2];
    int npages = 0;
    int cpu = d->event.cpu >= 0 && d->event.cpu < d->m->nvcpus ? d->event.cpu : 0;
    for (int i = 0; i < DBG_MAX_HW; i++) {
        struct hwbp *w = &d->hw[i];
        if (!w->used || !debug_is_watch(w->kind))
            continue;
        watch_translate(d, cpu, w);
        watch_read(d, w, w->old);
        for (int f = 0; f < w->nfrag && w->how == WATCH_PAGE; f++)
            pages[npages++] = w->frag[f].phys & ~(SLOTS_PAGE - 1);
    }
    int rc = vm_set_readonly_pages(&d->m->vm, pages, npages);
    d->nro_pages = 0;
    if (rc == 0) {
        /* vm_set_readonly_pages sorted them; keep each once */
        for (int i = 0; i < npages; i++)
            if (d->nro_pages == 0 || d->ro_pages[d->nro_pages - 1] != pages[i])
                d->ro_pages[d->nro_pages++] = pages[i];
    } else if (npages > 0) {
        fprintf(stderr,
                "vmm: watchpoints: cannot make %d pages read-only (%s): they are watched by "
                "step-and-compare instead\n",
                npages, strerror(-rc));
        for (int i = 0; i < DBG_MAX_HW; i++)
            if (d->hw[i].used && d->hw[i].how == WATCH_PAGE)
                d->hw[i].how = WATCH_STEP;
    }
    d->narmed = 0;
    for (int i = 0; i < DBG_MAX_HW; i++)
        if (d->hw[i].used && debug_is_watch(d->hw[i].kind))
            d->armed[d->narmed++] = d->hw[i];
}

bool debug_watch_changed(struct debug *d, enum watch_how how, struct stop_info *ev)
{
    bool hit = false;
    /* vCPUs of an SMP guest compare at once; each change is reported once */
    pthread_mutex_lock(&d->lock);
    for (int i = 0; i < DBG_MAX_HW && !hit; i++) {
        struct hwbp *w = &d->hw[i];
        uint8_t now[DBG_WATCH_MAX_LEN];
        if (!w->used || w->how != how || w->kind != BP_WRITE || w->nfrag == 0)
            continue;
        watch_read(d, w, now);
        if (memcmp(now, w->old, w->len) == 0)
            continue;
        memcpy(w->old, now, w->len);
        ev->reason = STOP_WATCH;
        ev->watch_addr = w->addr;
        hit = true;
    }
    pthread_mutex_unlock(&d->lock);
    return hit;
}

bool debug_watch_was_read(struct debug *d, struct hwbp *w)
{
    uint8_t now[DBG_WATCH_MAX_LEN];
    if (w->nfrag == 0)
        return true;
    watch_read(d, w, now);
    if (memcmp(now, w->old, w->len) == 0)
        return true;
    memcpy(w->old, now, w->len);
    return false;
}

static bool page_protected(const struct debug *d, uint64_t gpa)
{
    for (int i = 0; i < d->nro_pages; i++)
        if (d->ro_pages[i] == (gpa & ~(SLOTS_PAGE - 1)))
            return true;
    return false;
}

bool debug_watch_mmio(struct debug *d, struct vcpu *v, struct stop_info *ev, bool *resume)
{
    const struct kvm_run *run = v->run;
    uint64_t gpa = run->mmio.phys_addr;
    uint32_t len = run->mmio.len;
    if (!run->mmio.is_write || len == 0 || len > sizeof(run->mmio.data) || !page_protected(d, gpa))
        return false;
    uint8_t *h = vm_gpa_to_hva(&d->m->vm, gpa, len);
    if (!h)
        return false;
    /* KVM has finished the instruction but for this store: it is the VMM's to do */
    memcpy(h, run->mmio.data, len);
    if (debug_watch_changed(d, WATCH_PAGE, ev))
        return true;
    *resume = true;
    return false;
}

/* With the emulation failure it reports at CPL 0, KVM queues #UD for the guest; the
 * instruction is to run again, natively, on a writable page: drop it. */
static int drop_queued_ud(struct vcpu *v)
{
    struct kvm_vcpu_events ev;
    if (ioctl(v->fd, KVM_GET_VCPU_EVENTS, &ev) < 0)
        return -errno;
    if (!(ev.exception.injected || ev.exception.pending) || ev.exception.nr != VEC_UD)
        return 0;
    ev.exception.injected = 0;
    ev.exception.pending = 0;
    return ioctl(v->fd, KVM_SET_VCPU_EVENTS, &ev) < 0 ? -errno : 0;
}

bool debug_watch_fallback(struct debug *d, struct vcpu *v)
{
    bool fell = false;
    pthread_mutex_lock(&d->lock);
    if (d->nro_pages > 0 && !d->page_broken) {
        /* KVM takes a memslot change while other vCPUs run; the pages stay in
         * ro_pages, so their writes in flight are still done and compared */
        int rc = vm_set_readonly_pages(&d->m->vm, NULL, 0);
        for (int i = 0; i < DBG_MAX_HW; i++)
            if (d->hw[i].used && d->hw[i].how == WATCH_PAGE)
                d->hw[i].how = WATCH_STEP;
        for (int i = 0; i < d->narmed; i++)
            if (d->armed[i].how == WATCH_PAGE)
                d->armed[i].how = WATCH_STEP;
        d->page_broken = true;
        if (rc == 0 && v->run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION)
            rc = drop_queued_ud(v);
        fell = rc == 0;
        fprintf(stderr,
                "vmm: vcpu %d (%s): KVM failed with a watched page read-only (an instruction its "
                "emulator lacks wrote there, or an exception frame was pushed there, suberror "
                "%u): watchpoints go on by step-and-compare for this session%s\n",
                v->id, v->name, v->run->internal.suberror,
                rc == 0 ? "" : "; but the vCPU cannot run on");
    }
    pthread_mutex_unlock(&d->lock);
    return fell;
}

static void watch_describe(const struct hwbp *w, struct strbuf *out)
{
    static const char *const kinds[] = {
        [BP_WRITE] = "write", [BP_READ] = "read", [BP_ACCESS] = "access"
    };
    strbuf_printf(out, "  0x%llx, %zu bytes, %s: %s", (unsigned long long)w->addr, w->len,
                  kinds[w->kind], hows[w->how].what);
    for (int f = 0; f < w->nfrag && w->how != WATCH_DR; f++)
        strbuf_printf(out, "%s0x%llx+%zu", f ? ", " : " at gpa ",
                      (unsigned long long)w->frag[f].phys, w->frag[f].len);
    if (w->how != WATCH_DR && w->nfrag == 0)
        strbuf_printf(out, " (not mapped at the last resume: not watched)");
    strbuf_printf(out, "\n");
}

int debug_monitor_watch(struct debug *d, int argc, char **argv, struct strbuf *out)
{
    if (argc == 2) {
        int set = -2;
        if (strcmp(argv[1], "auto") == 0)
            set = -1;
        for (int h = 0; h < WATCH_HOWS; h++)
            if (strcmp(argv[1], hows[h].word) == 0)
                set = h;
        if (set == -2) {
            strbuf_printf(out, "watch: usage: watch [auto|dr|page|step]\n");
            return -EINVAL;
        }
        d->watch_force = set;
    }
    const struct hostprobe *p = &d->m->probe;
    if (d->watch_force < 0)
        strbuf_printf(out,
                      "watch: auto: a debug register while one is free (DR7 data breakpoints "
                      "fire here: %s), then read-only pages (read-only memslots: %s), then "
                      "step-and-compare\n",
                      hostprobe_yes(p, PROBE_WATCHPOINT) ? "yes" : "no",
                      hostprobe_yes(p, PROBE_RO_SLOT) ? "yes" : "no");
    else
        strbuf_printf(out, "watch: every new watchpoint by %s\n", hows[d->watch_force].what);
    if (argc == 2)
        strbuf_printf(out, "watch: applies to watchpoints gdb inserts from now on (at the next "
                           "resume, as gdb inserts them anew)\n");
    else if (d->narmed > 0)
        strbuf_printf(out, "watch: the last run's watchpoints:\n");
    for (int i = 0; i < d->narmed && argc == 1; i++)
        watch_describe(&d->armed[i], out);
    return 0;
}
