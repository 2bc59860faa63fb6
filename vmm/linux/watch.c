/* Ending the run when the kernel is done (and, panic.c, when it panicked and did
 * not reset). Without ACPI, Linux's poweroff becomes a
 * halt: "reboot: System halted", then `cli; hlt` forever. With the in-kernel
 * irqchip a hlt never exits to the VMM, so the watcher looks: when no exit has
 * come for a tick, it kicks the vCPU out of KVM_RUN (the kick is an EINTR, which
 * KVM answers by storing the registers in the run page) and checks for a hlt with
 * interrupts off at the same rip twice running. Nothing but an NMI can wake such
 * a CPU, so the run ends with status 0. Off under gdb, where the person decides. */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "vmm/clock.h"
#include "vmm/linux/linux_priv.h"
#include "vmm/machine.h"

#define WATCH_TICK_MS 250
#define WATCH_KICK_WAIT_MS 100
#define WATCH_CONFIRM 2

/* Sleeps MS unless told to stop; false: stop. */
static bool watch_sleep(struct linux_machine *lx, long ms)
{
    struct timespec ts;
    clock_deadline(&ts, ms);
    pthread_mutex_lock(&lx->watch_lock);
    while (!lx->watch_stop)
        if (pthread_cond_timedwait(&lx->watch_cond, &lx->watch_lock, &ts) == ETIMEDOUT)
            break;
    bool go = !lx->watch_stop;
    pthread_mutex_unlock(&lx->watch_lock);
    return go;
}

static void *watch_thread(void *p)
{
    struct linux_machine *lx = p;
    struct machine *m = lx->m;
    uint64_t last_exits = UINT64_MAX, last_rip = 0;
    int seen = 0;
    while (watch_sleep(lx, WATCH_TICK_MS) && !atomic_load(&m->stopping)) {
        if (linux_panic_overdue(lx)) {
            linux_panic_end(lx, "it did not reset (panic= of the command line)");
            return NULL;
        }
        struct vcpu *v = &m->vcpus[0];
        uint64_t exits = atomic_load(&m->stats.total);
        if (exits != last_exits || !v->thread_started) {
            last_exits = exits;
            seen = 0;
            continue;
        }
        vcpu_kick(v);
        for (int i = 0; i < WATCH_KICK_WAIT_MS && atomic_load(&v->kicked); i++)
            if (!watch_sleep(lx, 1))
                return NULL;
        uint64_t rip;
        if (atomic_load(&v->kicked) || !linux_cpu_halted_for_good(m, v, &rip)) {
            seen = 0;
            continue;
        }
        seen = rip == last_rip ? seen + 1 : 1;
        last_rip = rip;
        if (seen >= WATCH_CONFIRM) {
            fprintf(stderr,
                    "\nvmm: the kernel halted with interrupts off at rip 0x%llx "
                    "(poweroff or halt), stopping\n",
                    (unsigned long long)rip);
            machine_stop(m, VMM_STATUS_OK);
            return NULL;
        }
    }
    return NULL;
}

int linux_watch_start(struct machine *m, struct linux_machine *lx, bool gdb)
{
    if (gdb)
        return 0;
    int rc = pthread_mutex_init(&lx->watch_lock, NULL);
    if (rc)
        return -rc;
    rc = -clock_cond_init(&lx->watch_cond);
    if (rc) {
        pthread_mutex_destroy(&lx->watch_lock);
        return -rc;
    }
    lx->m = m;
    rc = pthread_create(&lx->watch, NULL, watch_thread, lx);
    if (rc) {
        pthread_cond_destroy(&lx->watch_cond);
        pthread_mutex_destroy(&lx->watch_lock);
        return -rc;
    }
    lx->watch_started = true;
    return 0;
}

void linux_watch_stop(struct linux_machine *lx)
{
    if (!lx->watch_started)
        return;
    pthread_mutex_lock(&lx->watch_lock);
    lx->watch_stop = true;
    pthread_cond_broadcast(&lx->watch_cond);
    pthread_mutex_unlock(&lx->watch_lock);
    pthread_join(lx->watch, NULL);
    lx->watch_started = false;
    pthread_cond_destroy(&lx->watch_cond);
    pthread_mutex_destroy(&lx->watch_lock);
}
