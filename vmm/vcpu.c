#include "vmm/vcpu.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vmm/cpuid.h"
#include "vmm/debug/debug.h"
#include "vmm/exits.h"
#include "vmm/machine.h"
#include "vmm/x86/bits.h"

#define SYNC_WANTED (KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS)

int vcpu_create(struct vcpu *v, struct machine *m, int id)
{
    v->id = id;
    v->m = m;
    v->fd = ioctl(m->vm.vm_fd, KVM_CREATE_VCPU, (unsigned long)id);
    if (v->fd < 0) {
        v->fd = -1;
        return -errno;
    }
    void *run = mmap(NULL, (size_t)m->vm.run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
    if (run == MAP_FAILED)
        return -errno;
    v->run = run;
    int caps = ioctl(m->vm.kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SYNC_REGS);
    if (caps > 0 && (caps & SYNC_WANTED) == SYNC_WANTED) {
        v->sync_regs = true;
        v->run->kvm_valid_regs = SYNC_WANTED;
    }
    return cpuid_setup(v->fd, m->vm.kvm_fd, id, &m->probe);
}

static void *vcpu_thread(void *arg)
{
    struct vcpu *v = arg;
    struct machine *m = v->m;

    history_begin(v);
    while (!atomic_load(&m->stopping)) {
        if (m->dbg && !debug_vcpu_gate(m->dbg, v))
            break;
        if (!m->dbg && history_arm(v) < 0) {
            fprintf(stderr, "vmm: vcpu %d (%s): --history: KVM_SET_GUEST_DEBUG failed: %s\n", v->id,
                    v->name, strerror(errno));
            machine_stop(m, VMM_STATUS_VCPU_ERROR);
            break;
        }
        if (ioctl(v->fd, KVM_RUN, 0) < 0) {
            if (errno == EINTR || errno == EAGAIN) {
                v->run->immediate_exit = 0;
                atomic_store(&v->kicked, false);
                continue;
            }
            fprintf(stderr, "vmm: vcpu %d (%s): KVM_RUN failed: %s\n", v->id, v->name,
                    strerror(errno));
            machine_stop(m, VMM_STATUS_VCPU_ERROR);
            break;
        }
        exit_stats_count(&m->stats, v->run->exit_reason);
        if (m->dbg ? debug_vcpu_exit(m->dbg, v) : history_step_exit(v))
            continue;
        enum exit_action a = exits_handle(v);
        if (a == EXIT_VCPU_DONE) {
            if (m->dbg)
                debug_vcpu_done(m->dbg, v);
            machine_vcpu_done(m, v);
            return NULL;
        }
        if (a == EXIT_STOP)
            break;
    }
    if (m->dbg)
        debug_vcpu_done(m->dbg, v);
    console_flush_lane(&m->con, v->id);
    return NULL;
}

int vcpu_start(struct vcpu *v)
{
    int rc = pthread_create(&v->thread, NULL, vcpu_thread, v);
    if (rc)
        return -rc;
    v->thread_started = true;
    return 0;
}

void vcpu_kick(struct vcpu *v)
{
    if (!v->run || !v->thread_started)
        return;
    /* immediate_exit covers the window before the thread enters KVM_RUN; the
     * signal (handled, not SA_RESTART) pulls it out of a running KVM_RUN. */
    v->run->immediate_exit = 1;
    atomic_store(&v->kicked, true);
    pthread_kill(v->thread, SIGUSR1);
}

void vcpu_join(struct vcpu *v)
{
    if (v->thread_started) {
        pthread_join(v->thread, NULL);
        v->thread_started = false;
    }
}

void vcpu_destroy(struct vcpu *v)
{
    vcpu_join(v);
    if (v->run && v->m)
        munmap(v->run, (size_t)v->m->vm.run_size);
    if (v->fd >= 0)
        close(v->fd);
    v->run = NULL;
    v->fd = -1;
    boot_plan_free(&v->plan);
    history_free(&v->hist);
}

int vcpu_get_regs(struct vcpu *v, struct kvm_regs *r)
{
    if (v->sync_regs) {
        *r = v->run->s.regs.regs;
        return 0;
    }
    return ioctl(v->fd, KVM_GET_REGS, r) < 0 ? -errno : 0;
}

int vcpu_get_state(struct vcpu *v, struct kvm_regs *r, struct kvm_sregs *s)
{
    int rc = vcpu_get_regs(v, r);
    return rc < 0 ? rc : vcpu_get_sregs(v, s);
}

int vcpu_set_regs(struct vcpu *v, const struct kvm_regs *r)
{
    if (v->sync_regs) {
        v->run->s.regs.regs = *r;
        v->run->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
        return 0;
    }
    return ioctl(v->fd, KVM_SET_REGS, r) < 0 ? -errno : 0;
}

int vcpu_get_sregs(struct vcpu *v, struct kvm_sregs *s)
{
    if (v->sync_regs) {
        *s = v->run->s.regs.sregs;
        return 0;
    }
    return ioctl(v->fd, KVM_GET_SREGS, s) < 0 ? -errno : 0;
}

int vcpu_set_sregs(struct vcpu *v, const struct kvm_sregs *s)
{
    if (v->sync_regs) {
        v->run->s.regs.sregs = *s;
        v->run->kvm_dirty_regs |= KVM_SYNC_X86_SREGS;
        return 0;
    }
    return ioctl(v->fd, KVM_SET_SREGS, s) < 0 ? -errno : 0;
}

int vcpu_set_sregs_checked(struct vcpu *v, const struct kvm_sregs *s)
{
    if (ioctl(v->fd, KVM_SET_SREGS, s) < 0)
        return -errno;
    if (v->sync_regs) {
        v->run->s.regs.sregs = *s;
        v->run->kvm_dirty_regs &= ~(uint64_t)KVM_SYNC_X86_SREGS;
    }
    return 0;
}

int vcpu_load_sync(struct vcpu *v)
{
    if (!v->sync_regs)
        return 0;
    if (ioctl(v->fd, KVM_GET_REGS, &v->run->s.regs.regs) < 0 ||
        ioctl(v->fd, KVM_GET_SREGS, &v->run->s.regs.sregs) < 0)
        return -errno;
    return 0;
}

int vcpu_get_msrs(struct vcpu *v, const uint32_t *index, uint64_t *val, int n)
{
    struct {
        struct kvm_msrs hdr;
        struct kvm_msr_entry e[VCPU_MSRS_MAX];
    } req;
    if (n < 1 || n > VCPU_MSRS_MAX)
        return -EINVAL;
    memset(&req, 0, sizeof(req));
    req.hdr.nmsrs = (uint32_t)n;
    for (int i = 0; i < n; i++)
        req.e[i].index = index[i];
    int got = ioctl(v->fd, KVM_GET_MSRS, &req);
    if (got < 0)
        return -errno;
    for (int i = 0; i < got && i < n; i++)
        val[i] = req.e[i].data;
    return got;
}

int vcpu_get_msr(struct vcpu *v, uint32_t index, uint64_t *val)
{
    int got = vcpu_get_msrs(v, &index, val, 1);
    return got < 0 ? got : got == 1 ? 0 : -EIO;
}

int vcpu_set_msr(struct vcpu *v, uint32_t index, uint64_t val)
{
    struct {
        struct kvm_msrs hdr;
        struct kvm_msr_entry e;
    } req = { .hdr.nmsrs = 1, .e.index = index, .e.data = val };
    int rc = ioctl(v->fd, KVM_SET_MSRS, &req);
    return rc < 0 ? -errno : rc == 1 ? 0 : -EIO;
}

enum vcpu_cpu_mode vcpu_mode_of(const struct kvm_sregs *s)
{
    if (!(s->cr0 & CR0_PE))
        return VMODE_REAL;
    if (s->efer & EFER_LMA)
        return s->cs.l ? VMODE_LONG : VMODE_COMPAT;
    return s->cs.db ? VMODE_PROT32 : VMODE_PROT16;
}

uint64_t vcpu_linear_ip(const struct kvm_regs *r, const struct kvm_sregs *s)
{
    return vcpu_mode_of(s) == VMODE_LONG ? r->rip : s->cs.base + r->rip;
}

static const struct {
    const char *name;
    int width;
} mode_info[] = {
    [VMODE_REAL] = { "real mode", 2 },        [VMODE_PROT16] = { "16-bit protected mode", 2 },
    [VMODE_PROT32] = { "protected mode", 4 }, [VMODE_COMPAT] = { "compatibility mode", 4 },
    [VMODE_LONG] = { "long mode", 8 },
};

const char *vcpu_mode_name(enum vcpu_cpu_mode m)
{
    return mode_info[m].name;
}
int vcpu_mode_width(enum vcpu_cpu_mode m)
{
    return mode_info[m].width;
}
