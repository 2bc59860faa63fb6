/* Ending the run when the kernel is done (and, panic.c, when it panicked and did
 * not reset). Without ACPI, Linux's poweroff becomes a
 * halt: "reboot: System halted", then `cli; hlt` forever. With the in-kernel
 * irqchip a hlt never exits to the VMM, so the watcher looks: when no exit has
 * come for a tick, it kicks every vCPU out of KVM_RUN (the kick is an EINTR, which
 * KVM answers by storing the registers in the run page) and checks that each sits
 * at a hlt with interrupts off at the same rip twice running. Nothing but an NMI can wake such
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

/* Kicks V out of KVM_RUN and reads where it is: true when it sits at a hlt with
 * interrupts off (*rip: there). false as well when the kick found it elsewhere or the
 * watcher is told to stop (*stop). */
static bool watch_halted(struct linux_machine *lx, struct vcpu *v, uint64_t *rip, bool *stop)
{
    vcpu_kick(v);
    for (int i = 0; i < WATCH_KICK_WAIT_MS && atomic_load(&v->kicked); i++)
        if (!watch_sleep(lx, 1)) {
            *stop = true;
            return false;
        }
    return !atomic_load(&v->kicked) && linux_cpu_halted_for_good(lx->m, v, rip);
}

static void *watch_thread(void *p)
{
    struct linux_machine *lx = p;
    struct machine *m = lx->m;
    uint64_t last_exits = UINT64_MAX, last_rip[MACHINE_MAX_VCPUS] = { 0 };
    int seen = 0;
    while (watch_sleep(lx, WATCH_TICK_MS) && !atomic_load(&m->stopping)) {
        if (linux_panic_overdue(lx)) {
            linux_panic_end(lx, "it did not reset (panic= of the command line)");
            return NULL;
        }
        uint64_t exits = atomic_load(&m->stats.total);
        if (exits != last_exits || !m->vcpus[0].thread_started) {
            last_exits = exits;
            seen = 0;
            continue;
        }
        /* Every CPU, not just the boot CPU: a panic on one CPU parks the others in
         * cli; hlt (smp_send_stop) while it is still printing its report. */
        bool all = true, same = true, stop = false;
        for (int i = 0; all && i < m->nvcpus; i++) {
            uint64_t rip;
            all = watch_halted(lx, &m->vcpus[i], &rip, &stop);
            same = same && rip == last_rip[i];
            last_rip[i] = rip;
        }
        if (stop)
            return NULL;
        seen = !all ? 0 : same ? seen + 1 : 1;
        if (seen >= WATCH_CONFIRM) {
            fprintf(stderr,
                    "\nvmm: the kernel halted with interrupts off on every CPU, vcpu 0 at rip "
                    "0x%llx (poweroff or halt), stopping\n",
                    (unsigned long long)last_rip[0]);
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
