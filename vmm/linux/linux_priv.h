/* Shared by the files of vmm/linux/ (setup.c, cpu.c, syscall.c, watch.c); private to it. */
#ifndef MINIKVM_LINUX_PRIV_H
#define MINIKVM_LINUX_PRIV_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "vmm/devices/cmos.h"
#include "vmm/devices/i8042.h"
#include "vmm/devices/sysports.h"
#include "vmm/linux/linux.h"

struct machine;

struct linux_machine {
    struct machine *m;
    struct cmos cmos;
    bool cmos_ok;
    struct i8042 kbd;
    struct sysports sys;
    int entry; /* 64 or 32 */
    bool test_break;
    /* SYSCALL completion (syscall.c) */
    bool syscall_fix; /* the host's SYSCALL stays at CPL 3 and no gdb */
    uint64_t pf_bp;   /* #PF handler watched by DR0; 0: none */
    bool stepping;    /* stepping the handler's first instruction */
    uint64_t syscalls_fixed;
    /* the halt watcher (watch.c) */
    pthread_t watch;
    bool watch_started;
    pthread_mutex_t watch_lock;
    pthread_cond_t watch_cond;
    bool watch_stop;
};

/* Starts the thread that ends the run once the kernel has halted for good (cli;
 * hlt after poweroff); not under gdb, where the person decides. */
int linux_watch_start(struct machine *m, struct linux_machine *lx, bool gdb);
void linux_watch_stop(struct linux_machine *lx);
/* syscall.c: KVM_EXIT_DEBUG of the #PF watch (true: handled) and, on any
 * other exit, keeping the watch on the kernel's current handler. */
bool linux_syscall_exit(struct vcpu *v);
/* cpu.c: V stopped at a hlt with interrupts off, by the registers KVM left in
 * the run page at its last exit (sync regs); RIP gets the rip seen. */
struct vcpu;
bool linux_cpu_halted_for_good(struct machine *m, struct vcpu *v, uint64_t *rip);

#endif
