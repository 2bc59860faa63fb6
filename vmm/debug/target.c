/* The gdb target on KVM, part 1: the all-stop protocol between the stub thread and
 * the vCPU threads, memory access through the guest's page tables, and the target
 * ops table. Registers are in registers.c, breakpoints in breakpoints.c,
 * KVM_SET_GUEST_DEBUG per run in guest_debug.c, debug exits in classify.c. */
#include "vmm/debug/debug_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "vmm/clock.h"
#include "vmm/debug/monitor.h"
#include "vmm/guestmem.h"
#include "vmm/util.h"

#define PARK_WAIT_MS 100 /* re-kick a vCPU that has not parked after this */

static void stop_fd_signal(struct debug *d)
{
    uint64_t one = 1;
    if (write(d->stop_fd, &one, sizeof(one)) < 0) { /* counter saturated: already readable */
    }
}

static void stop_fd_drain(struct debug *d)
{
    uint64_t v;
    if (read(d->stop_fd, &v, sizeof(v)) < 0) { /* EAGAIN: nothing pending */
    }
}

static void kick_all(struct debug *d)
{
    for (int i = 0; i < d->m->nvcpus; i++)
        vcpu_kick(&d->m->vcpus[i]);
}

/* Called with d->lock held. */
static bool all_parked(struct debug *d)
{
    for (int i = 0; i < d->m->nvcpus; i++)
        if (!d->cpu[i].parked && !d->cpu[i].done)
            return false;
    return true;
}

void debug_post_event(struct debug *d, const struct stop_info *ev)
{
    pthread_mutex_lock(&d->lock);
    if (!d->event_ready) {
        d->event = *ev;
        d->event_ready = true;
    }
    d->halt_all = true;
    pthread_cond_broadcast(&d->cond);
    pthread_mutex_unlock(&d->lock);
    kick_all(d);
    stop_fd_signal(d);
}

void debug_wake(struct debug *d)
{
    pthread_mutex_lock(&d->lock);
    pthread_cond_broadcast(&d->cond);
    pthread_mutex_unlock(&d->lock);
}

static void vcpu_stopped(struct debug *d, struct vcpu *v, const struct stop_info *ev)
{
    pthread_mutex_lock(&d->lock);
    d->cpu[v->id].run = DRUN_PARKED;
    pthread_mutex_unlock(&d->lock);
    debug_post_event(d, ev);
}

/* Parks while the machine is stopped or this vCPU has nothing to do; false once
 * the run is over. */
static bool park(struct debug *d, struct dbg_cpu *c)
{
    pthread_mutex_lock(&d->lock);
    for (;;) {
        if (atomic_load(&d->m->stopping)) {
            c->done = true;
            pthread_cond_broadcast(&d->cond);
            pthread_mutex_unlock(&d->lock);
            return false;
        }
        if (atomic_load(&d->interrupt_req))
            d->halt_all = true;
        if (!d->halt_all && c->run != DRUN_PARKED)
            break;
        if (!c->parked) {
            c->parked = true;
            pthread_cond_broadcast(&d->cond);
        }
        pthread_cond_wait(&d->cond, &d->lock);
    }
    c->parked = false;
    pthread_mutex_unlock(&d->lock);
    return true;
}

bool debug_vcpu_gate(struct debug *d, struct vcpu *v)
{
    if (!park(d, &d->cpu[v->id]))
        return false;
    if (debug_apply_guest_debug(d, v) < 0) {
        fprintf(stderr, "vmm: vcpu %d: KVM_SET_GUEST_DEBUG failed: %s\n", v->id, strerror(errno));
        machine_stop(d->m, VMM_STATUS_VCPU_ERROR);
        return false;
    }
    return true;
}

bool debug_vcpu_exit(struct debug *d, struct vcpu *v)
{
    struct stop_info ev = { .cpu = v->id };
    bool resume = false;
    debug_swbp_track(d, v);
    if (!debug_classify_exit(d, v, &ev, &resume))
        return resume;
    vcpu_stopped(d, v, &ev);
    return true;
}

bool debug_guest_stop(struct debug *d, struct vcpu *v, int signal)
{
    if (!gdbstub_connected(d->stub))
        return false;
    struct stop_info ev = { .cpu = v->id, .reason = STOP_SIGNAL, .signal = signal };
    vcpu_stopped(d, v, &ev);
    return true;
}

void debug_vcpu_done(struct debug *d, struct vcpu *v)
{
    pthread_mutex_lock(&d->lock);
    d->cpu[v->id].done = true;
    pthread_cond_broadcast(&d->cond);
    pthread_mutex_unlock(&d->lock);
}

int debug_translate(struct debug *d, int cpu, uint64_t linear, uint64_t *phys)
{
    struct kvm_sregs s;
    int rc = vcpu_get_sregs(&d->m->vcpus[cpu], &s);
    return rc < 0 ? rc : guestmem_translate(&d->m->vm, &s, linear, phys);
}

static int access_linear(struct debug *d, int cpu, uint64_t addr, void *buf, size_t len, bool write)
{
    struct kvm_sregs s;
    int rc = vcpu_get_sregs(&d->m->vcpus[cpu], &s);
    return rc < 0 ? rc : guestmem_access(&d->m->vm, &s, addr, buf, len, write, NULL);
}

int debug_read_linear(struct debug *d, int cpu, uint64_t addr, void *buf, size_t len)
{
    return access_linear(d, cpu, addr, buf, len, false);
}

int debug_write_linear(struct debug *d, int cpu, uint64_t addr, const void *buf, size_t len)
{
    return access_linear(d, cpu, addr, (void *)buf, len, true);
}

static int op_read_mem(void *t, int cpu, uint64_t addr, void *buf, size_t len)
{
    return debug_read_linear(t, cpu, addr, buf, len);
}

static int op_write_mem(void *t, int cpu, uint64_t addr, const void *buf, size_t len)
{
    return debug_write_linear(t, cpu, addr, buf, len);
}

/* With d->lock held: wait until every live vCPU has parked, re-kicking stragglers
 * (a kick can land just before KVM_RUN clears immediate_exit). */
static void wait_parked(struct debug *d)
{
    while (!all_parked(d)) {
        struct timespec ts;
        clock_deadline(&ts, PARK_WAIT_MS);
        if (pthread_cond_timedwait(&d->cond, &d->lock, &ts) == ETIMEDOUT) {
            pthread_mutex_unlock(&d->lock);
            kick_all(d);
            pthread_mutex_lock(&d->lock);
        }
    }
}

static int live_cpu(struct debug *d)
{
    for (int i = 0; i < d->m->nvcpus; i++)
        if (!d->cpu[i].done)
            return i;
    return 0;
}

static int op_wait_stop(void *t, struct stop_info *out)
{
    struct debug *d = t;
    pthread_mutex_lock(&d->lock);
    d->halt_all = true;
    wait_parked(d);
    stop_fd_drain(d);
    if (d->event_ready) {
        *out = d->event;
    } else {
        *out = (struct stop_info){ .reason = STOP_SIGNAL, .signal = 2, .cpu = live_cpu(d) };
    }
    d->event_ready = false;
    d->awaiting_stop = false;
    atomic_store(&d->interrupt_req, false);
    for (int i = 0; i < d->m->nvcpus; i++)
        d->cpu[i].run = DRUN_PARKED;
    pthread_mutex_unlock(&d->lock);
    debug_swbp_restore(d);
    return 0;
}

static void op_interrupt(void *t)
{
    struct debug *d = t;
    atomic_store(&d->interrupt_req, true);
    kick_all(d);
    stop_fd_signal(d);
}

/* gdb steps over its own breakpoints (it removes them and steps), and wants a
 * breakpoint still inserted at rip to be hit: so resuming is only releasing. */
static int op_resume(void *t, const struct resume_req *req)
{
    struct debug *d = t;
    int n = d->m->nvcpus;
    for (int i = 0; i < n && i < req->ncpus; i++)
        if (d->cpu[i].dead && req->cpu[i].action != RESUME_STOP) {
            /* gdb continued a vCPU that cannot run (triple fault): the run ends, and
             * gdb, which waits for a stop, gets the exit */
            pthread_mutex_lock(&d->lock);
            d->awaiting_stop = true;
            pthread_mutex_unlock(&d->lock);
            machine_stop(d->m, d->cpu[i].dead_status);
            return 0;
        }
    debug_swbp_insert(d);
    debug_watch_arm(d);
    pthread_mutex_lock(&d->lock);
    for (int i = 0; i < n; i++) {
        static const enum dbg_run runs[] = {
            [RESUME_STOP] = DRUN_PARKED,
            [RESUME_CONTINUE] = DRUN_CONTINUE,
            [RESUME_STEP] = DRUN_STEP,
            [RESUME_RANGE] = DRUN_RANGE,
        };
        enum resume_action a = i < req->ncpus ? req->cpu[i].action : RESUME_STOP;
        struct dbg_cpu *c = &d->cpu[i];
        c->run = (size_t)a < ARRAY_SIZE(runs) ? runs[a] : DRUN_PARKED;
        if (c->run == DRUN_RANGE) {
            struct kvm_sregs s;
            c->range_start = req->cpu[i].range_start;
            c->range_end = req->cpu[i].range_end;
            c->range_mode = vcpu_get_sregs(&d->m->vcpus[i], &s) == 0 ? (int)vcpu_mode_of(&s) : -1;
            c->range_steps = 0;
        }
    }
    atomic_store(&d->interrupt_req, false);
    d->awaiting_stop = true;
    d->halt_all = false;
    pthread_cond_broadcast(&d->cond);
    pthread_mutex_unlock(&d->lock);
    return 0;
}

/* vCont;r: classify.c steps inside the range with no round trip to gdb. */
static bool op_range_step(void *t)
{
    (void)t;
    return true;
}

static int op_monitor(void *t, int cpu, const char *cmd, struct strbuf *out)
{
    struct debug *d = t;
    return monitor_run(d->m, cpu, cmd, out);
}

static int op_thread_info(void *t, int cpu, char *buf, size_t len)
{
    struct debug *d = t;
    struct vcpu *v = &d->m->vcpus[cpu];
    struct kvm_sregs s;
    if (vcpu_get_sregs(v, &s) < 0)
        return -EIO;
    snprintf(buf, len, "vCPU %d (%s), %s%s", cpu, v->name, vcpu_mode_name(vcpu_mode_of(&s)),
             d->cpu[cpu].done   ? ", halted"
             : d->cpu[cpu].dead ? ", dead"
                                : "");
    return 0;
}

static int op_detach(void *t)
{
    struct debug *d = t;
    debug_bp_remove_all(d);
    debug_watch_arm(d); /* no page stays read-only */
    for (int i = 0; i < d->m->nvcpus; i++)
        if (d->cpu[i].dead) {
            /* nothing can run on after a triple fault: the run ends as without gdb */
            machine_stop(d->m, d->cpu[i].dead_status);
            return 0;
        }
    pthread_mutex_lock(&d->lock);
    for (int i = 0; i < d->m->nvcpus; i++)
        d->cpu[i].run = DRUN_CONTINUE;
    atomic_store(&d->interrupt_req, false);
    d->halt_all = false;
    pthread_cond_broadcast(&d->cond);
    pthread_mutex_unlock(&d->lock);
    return 0;
}

static void op_kill(void *t)
{
    struct debug *d = t;
    machine_end(d->m, VMM_STATUS_KILLED);
}

/* The view that fits the vCPU's mode: 16-bit code (real mode, 16-bit protected mode)
 * as i8086, 32-bit code (also compatibility mode) as i386, 64-bit as x86-64; or the
 * one --gdb-arch fixed. */
static int op_arch(void *t, int cpu)
{
    static const enum gdb_arch by_mode[] = {
        [VMODE_REAL] = GDB_ARCH_I8086,  [VMODE_PROT16] = GDB_ARCH_I8086,
        [VMODE_PROT32] = GDB_ARCH_I386, [VMODE_COMPAT] = GDB_ARCH_I386,
        [VMODE_LONG] = GDB_ARCH_X86_64,
    };
    struct debug *d = t;
    struct kvm_sregs s;
    if (d->arch >= 0)
        return d->arch;
    if (cpu < 0 || cpu >= d->m->nvcpus || vcpu_get_sregs(&d->m->vcpus[cpu], &s) < 0)
        return GDB_ARCH_X86_64;
    return by_mode[vcpu_mode_of(&s)];
}

static const struct gdb_target_ops debug_ops = {
    .read_regs = debug_read_regs,
    .write_regs = debug_write_regs,
    .read_mem = op_read_mem,
    .write_mem = op_write_mem,
    .insert_bp = debug_insert_bp,
    .remove_bp = debug_remove_bp,
    .resume = op_resume,
    .range_step = op_range_step,
    .wait_stop = op_wait_stop,
    .interrupt = op_interrupt,
    .monitor = op_monitor,
    .thread_info = op_thread_info,
    .detach = op_detach,
    .kill = op_kill,
    .arch = op_arch,
};

int debug_create(struct debug **out, struct machine *m, const char *spec, bool nowait, int arch,
                 char *err, size_t errlen)
{
    struct debug *d = calloc(1, sizeof(*d));
    if (!d)
        return -ENOMEM;
    d->m = m;
    d->nowait = nowait;
    d->spec = spec;
    d->arch = arch;
    d->halt_all = !nowait;
    for (int i = 0; i < m->nvcpus; i++)
        d->cpu[i].run = nowait ? DRUN_CONTINUE : DRUN_PARKED;
    int caps = ioctl(m->vm.kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SET_GUEST_DEBUG2);
    d->dbg2_caps = caps > 0 ? (uint32_t)caps : 0;
    d->watch_force = -1;
    pthread_mutex_init(&d->lock, NULL);
    clock_cond_init(&d->cond);
    d->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    int rc =
        d->stop_fd < 0 ? -errno : gdbstub_create(&d->stub, &debug_ops, d, m->nvcpus, d->stop_fd);
    if (rc == 0)
        rc = gdbstub_listen(d->stub, spec, err, errlen);
    else
        snprintf(err, errlen, "cannot create the gdb stub: %s", strerror(-rc));
    if (rc < 0) {
        debug_destroy(d);
        return rc;
    }
    *out = d;
    return 0;
}

static void *stub_thread(void *arg)
{
    struct debug *d = arg;
    int rc = gdbstub_run(d->stub, !d->nowait);
    if (rc < 0)
        fprintf(stderr, "vmm: gdb stub stopped: %s\n", strerror(-rc));
    if (rc != GDBSTUB_END_SHUTDOWN && !atomic_load(&d->m->stopping))
        machine_stop(d->m, rc == GDBSTUB_END_KILLED ? VMM_STATUS_KILLED : VMM_STATUS_VCPU_ERROR);
    pthread_mutex_lock(&d->lock);
    d->finished = true;
    pthread_cond_broadcast(&d->cond);
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

int debug_start(struct debug *d)
{
    int port = gdbstub_port(d->stub);
    const char *wait = d->nowait ? "" : ", guest waits at its first instruction";
    if (port > 0)
        fprintf(stderr, "vmm: gdb stub listening on port %d%s\n", port, wait);
    else
        fprintf(stderr, "vmm: gdb stub listening on %s%s\n", d->spec, wait);
    int rc = pthread_create(&d->stub_thread, NULL, stub_thread, d);
    if (rc)
        return -rc;
    d->stub_started = true;
    return 0;
}

/* How long a connected gdb may take to collect the exit (W) before the stub is shut
 * down under it: generous, since it is only spent when the machine is loaded. */
#define FINISH_WAIT_MS 10000

void debug_finish(struct debug *d, int status)
{
    struct stop_info ev = { .reason = STOP_EXITED, .exit_code = status & 0xff, .cpu = live_cpu(d) };
    pthread_mutex_lock(&d->lock);
    d->event = ev;
    d->event_ready = true;
    pthread_cond_broadcast(&d->cond);
    struct timespec ts;
    clock_deadline(&ts, FINISH_WAIT_MS);
    stop_fd_signal(d);
    while (d->stub_started && !d->finished && d->awaiting_stop && gdbstub_connected(d->stub))
        if (pthread_cond_timedwait(&d->cond, &d->lock, &ts) == ETIMEDOUT)
            break;
    pthread_mutex_unlock(&d->lock);
    if (d->stub_started) {
        gdbstub_shutdown(d->stub);
        pthread_join(d->stub_thread, NULL);
        d->stub_started = false;
    }
}

void debug_destroy(struct debug *d)
{
    if (!d)
        return;
    if (d->stub_started) {
        gdbstub_shutdown(d->stub);
        pthread_join(d->stub_thread, NULL);
    }
    if (d->stub)
        gdbstub_destroy(d->stub);
    if (d->stop_fd >= 0)
        close(d->stop_fd);
    pthread_cond_destroy(&d->cond);
    pthread_mutex_destroy(&d->lock);
    free(d);
}
