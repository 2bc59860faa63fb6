/* Shared by the files of vmm/linux/ (setup.c, cpu.c, syscall.c, watch.c); private to it. */
#ifndef MINIKVM_LINUX_PRIV_H
#define MINIKVM_LINUX_PRIV_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmm/devices/cmos.h"
#include "vmm/devices/i8042.h"
#include "vmm/devices/sysports.h"
#include "vmm/linux/linux.h"
#include "vmm/machine.h"

struct machine;

struct linux_machine {
    struct machine *m;
    struct cmos cmos;
    bool cmos_ok;
    struct i8042 kbd;
    struct sysports sys;
    int entry; /* 64 or 32 */
    bool test_break;
    /* SYSCALL completion (syscall.c), per vCPU */
    bool syscall_fix;                     /* the host's SYSCALL stays at CPL 3 */
    uint64_t pf_bp[MACHINE_MAX_VCPUS];    /* #PF handler watched; 0: none */
    bool stepping[MACHINE_MAX_VCPUS];     /* stepping the handler's first instruction */
    atomic_uint_least64_t syscalls_fixed; /* all vCPUs */
    /* the halt watcher (watch.c) */
    pthread_t watch;
    bool watch_started;
    pthread_mutex_t watch_lock;
    pthread_cond_t watch_cond;
    bool watch_stop;
    /* the panic watch (panic.c): the line being transmitted, under the UART lock */
    char tx_line[256];
    size_t tx_len;
    atomic_bool panicked;
    uint64_t panic_ms; /* CLOCK_MONOTONIC, when the panic line came */
    char panic_msg[200];
};

/* mptable.c: the MP floating pointer and table for NCPUS at DST (guest-physical
 * GPA, ROOM bytes there). 0 or -ENOSPC. */
#define LINUX_MPTABLE 0x9fc00u /* the last KiB of base memory, where Linux looks */
size_t linux_mptable_size(int ncpus);
int linux_mptable_write(uint8_t *dst, uint32_t gpa, size_t room, int ncpus);

/* panic.c. How long a panicked kernel that does not reset may go on printing. */
#define LINUX_PANIC_GRACE_MS 5000
struct vcpu;
void linux_panic_tx(void *arg, struct vcpu *v, uint8_t ch);
bool linux_panic_overdue(struct linux_machine *lx);
/* Ends the run with VMM_STATUS_GUEST_PANIC, saying HOW it ended. */
void linux_panic_end(struct linux_machine *lx, const char *how);

/* Starts the thread that ends the run once the kernel has halted for good (cli;
 * hlt after poweroff); not under gdb, where the person decides. */
int linux_watch_start(struct machine *m, struct linux_machine *lx, bool gdb);
void linux_watch_stop(struct linux_machine *lx);
/* syscall.c, without gdb: KVM_EXIT_DEBUG of the #PF watch (true: handled) and,
 * on any other exit, keeping the watch on the kernel's current handler. (Under gdb
 * the debug layer programs the debug registers: linux.h's linux_syscall_*.) */
bool linux_syscall_exit(struct vcpu *v);
/* cpu.c: V stopped at a hlt with interrupts off, by the registers KVM left in
 * the run page at its last exit (sync regs); RIP gets the rip seen. */
bool linux_cpu_halted_for_good(struct machine *m, struct vcpu *v, uint64_t *rip);

#endif
