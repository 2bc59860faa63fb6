#include "vmm/machine.h"

#include "vmm/clock.h"
#include "vmm/debug/debug.h"

#include <errno.h>
#include <string.h>
#include <time.h>

int machine_init(struct machine *m)
{
    memset(m, 0, sizeof(*m));
    m->vm.kvm_fd = m->vm.vm_fd = -1;
    int rc = pthread_mutex_init(&m->lock, NULL);
    if (rc)
        return -rc;
    rc = clock_cond_init(&m->cond);
    if (rc)
        return rc;
    exit_stats_init(&m->stats);
    return 0;
}

static void stop(struct machine *m, int status, bool force)
{
    pthread_mutex_lock(&m->lock);
    if (!m->status_set || force) {
        m->status = status;
        m->status_set = true;
    }
    atomic_store(&m->stopping, true);
    pthread_cond_broadcast(&m->cond);
    pthread_mutex_unlock(&m->lock);
    for (int i = 0; i < m->nvcpus; i++)
        vcpu_kick(&m->vcpus[i]);
    if (m->dbg)
        debug_wake(m->dbg);
}

void machine_stop(struct machine *m, int status)
{
    stop(m, status, false);
}

void machine_end(struct machine *m, int status)
{
    stop(m, status, true);
}

void machine_vcpu_done(struct machine *m, struct vcpu *v)
{
    console_flush_lane(&m->con, v->id);
    pthread_mutex_lock(&m->lock);
    /* the first guest to end with a non-zero status decides the VMM's status */
    if (v->exit_status && !m->status_set) {
        m->status = v->exit_status;
        m->status_set = true;
    }
    if (--m->live_vcpus == 0) {
        if (!m->status_set) {
            m->status = VMM_STATUS_OK;
            m->status_set = true;
        }
        atomic_store(&m->stopping, true);
    }
    pthread_cond_broadcast(&m->cond);
    pthread_mutex_unlock(&m->lock);
}

int machine_wait(struct machine *m, uint64_t timeout_ms, bool *timed_out)
{
    struct timespec dl;
    clock_deadline(&dl, (long)timeout_ms);
    *timed_out = false;
    pthread_mutex_lock(&m->lock);
    while (!atomic_load(&m->stopping)) {
        if (timeout_ms == 0) {
            pthread_cond_wait(&m->cond, &m->lock);
        } else if (pthread_cond_timedwait(&m->cond, &m->lock, &dl) == ETIMEDOUT) {
            *timed_out = true;
            break;
        }
    }
    pthread_mutex_unlock(&m->lock);
    return m->status;
}

void machine_destroy(struct machine *m)
{
    for (int i = 0; i < m->nvcpus; i++)
        vcpu_destroy(&m->vcpus[i]);
    m->nvcpus = 0;
    vm_close(&m->vm);
    pthread_cond_destroy(&m->cond);
    pthread_mutex_destroy(&m->lock);
}
