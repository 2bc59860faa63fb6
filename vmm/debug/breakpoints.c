/* The gdb target on KVM: where a breakpoint is inserted. gdb's Z/z packets land in
 * the tables here; software breakpoints go into guest memory as int3s (swbp.c),
 * hardware breakpoints and watchpoints take debug-register slots that guest_debug.c
 * programs for each run, or, for watchpoints beyond those, are watched through
 * read-only pages or step-and-compare (watch.c). How the host reports what they
 * trigger is classify.c's business. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vmm/debug/debug_priv.h"
#include "vmm/guestmem.h"
#include "vmm/linux/linux.h"
#include "vmm/util.h"
#include "vmm/x86/bits.h"

int debug_dr7_len(size_t len)
{
    static const struct {
        size_t bytes;
        int code;
    } lens[] = { { 1, DR7_LEN_1 }, { 2, DR7_LEN_2 }, { 4, DR7_LEN_4 }, { 8, DR7_LEN_8 } };
    for (size_t i = 0; i < ARRAY_SIZE(lens); i++)
        if (lens[i].bytes == len)
            return lens[i].code;
    return -1;
}

bool debug_is_watch(enum bp_kind k)
{
    return k == BP_WRITE || k == BP_READ || k == BP_ACCESS;
}

/* Whether code at linear ADDR runs in ring 3: the vCPU that stopped is in ring 3 and
 * ADDR is a user page of its address space. (A user page alone says little: kernels,
 * and the VMM's own tables, often map everything user-accessible.) */
static bool user_code(struct debug *d, uint64_t addr)
{
    struct kvm_sregs s;
    struct pw_result r;
    if (vcpu_get_sregs(&d->m->vcpus[d->event.cpu], &s) < 0 || !(s.cr0 & CR0_PG) ||
        (s.cs.selector & 3) != 3)
        return false;
    struct pw_cpu pc = guestmem_pw_cpu(&s);
    return pagewalk(&pc, addr, guestmem_read_phys, &d->m->vm, &r) == 0 && r.user;
}

int debug_insert_bp(void *t, enum bp_kind kind, uint64_t addr, size_t len)
{
    struct debug *d = t;
    if (kind == BP_HW && !hostprobe_yes(&d->m->probe, PROBE_HWBP_RING3) && user_code(d, addr)) {
        /* gdb shows no reason of ours for a refused Z1: the VMM's terminal does */
        fprintf(stderr,
                "vmm: hbreak at 0x%llx refused: it is user (ring-3) code, and this host's debug "
                "registers never fire in ring 3 (vmm --probe); use break there\n",
                (unsigned long long)addr);
        return -EPERM;
    }
    if (kind == BP_SW) {
        for (int i = 0; i < d->nswbp; i++)
            if (d->swbp[i].addr == addr)
                return 0;
        if (d->nswbp == DBG_MAX_SWBP)
            return -ENOSPC;
        d->swbp[d->nswbp++] = (struct swbp){ .addr = addr };
        return 0;
    }
    if (!debug_is_watch(kind) && kind != BP_HW)
        return -EOPNOTSUPP;
    int taken = linux_syscall_reserved(d->m), ours = 0;
    for (int i = 0; i < DBG_MAX_HW; i++)
        ours += d->hw[i].used && d->hw[i].how == WATCH_DR;
    enum watch_how how = WATCH_DR;
    if (debug_is_watch(kind)) {
        int rc = debug_watch_choose(d, kind, addr, len, DBG_HW_SLOTS - ours - taken, &how);
        if (rc < 0)
            return rc;
    }
    if (how == WATCH_DR && ours + taken >= DBG_HW_SLOTS) {
        fprintf(
            stderr, "vmm: %s at 0x%llx refused: the %d debug registers are taken, %d by gdb%s\n",
            kind == BP_HW ? "hbreak" : "watchpoint", (unsigned long long)addr, DBG_HW_SLOTS, ours,
            taken ? " and 1 by the VMM (SYSCALL completion: this host's SYSCALL stays at "
                    "CPL 3, vmm --probe)"
                  : "");
        return -ENOSPC;
    }
    for (int i = 0; i < DBG_MAX_HW; i++)
        if (!d->hw[i].used) {
            d->hw[i] = (struct hwbp){
                .used = true, .kind = kind, .how = how, .addr = addr, .len = kind == BP_HW ? 1 : len
            };
            return 0;
        }
    fprintf(stderr, "vmm: %s at 0x%llx refused: %d hbreaks and watchpoints are set already\n",
            kind == BP_HW ? "hbreak" : "watchpoint", (unsigned long long)addr, DBG_MAX_HW);
    return -ENOSPC;
}

int debug_remove_bp(void *t, enum bp_kind kind, uint64_t addr, size_t len)
{
    struct debug *d = t;
    if (kind == BP_SW) {
        for (int i = 0; i < d->nswbp; i++)
            if (d->swbp[i].addr == addr) {
                d->swbp[i] = d->swbp[--d->nswbp];
                return 0;
            }
        return -ENOENT;
    }
    for (int i = 0; i < DBG_MAX_HW; i++)
        if (d->hw[i].used && d->hw[i].kind == kind && d->hw[i].addr == addr &&
            (kind == BP_HW || d->hw[i].len == len)) {
            d->hw[i].used = false;
            return 0;
        }
    return -ENOENT;
}

void debug_bp_remove_all(struct debug *d)
{
    d->nswbp = 0;
    memset(d->hw, 0, sizeof(d->hw));
}
