/* Everything one run of the VMM owns: the VM, its devices, its vCPUs, and the rule
 * for how the run ends (first reported status wins). */
#ifndef MINIKVM_MACHINE_H
#define MINIKVM_MACHINE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "vmm/bios/bios.h"
#include "vmm/console.h"
#include "vmm/devices/uart8250.h"
#include "vmm/devices/vga.h"
#include "vmm/exitstats.h"
#include "vmm/multiboot.h"
#include "vmm/pio.h"
#include "vmm/probe/hostprobe.h"
#include "vmm/vcpu.h"
#include "vmm/vga_view.h"
#include "vmm/vm.h"

/* One vCPU per image; each gets a console lane for its prefixed output. */
#define MACHINE_MAX_VCPUS 16
_Static_assert(CONSOLE_MAX_LANES >= MACHINE_MAX_VCPUS, "a console lane per vCPU");

/* Exit statuses the VMM itself chooses; a guest may pick any 0-255 through port
 * 0xf4 or the exit hypercall, so these are documented rather than unique. */
enum vmm_status {
    VMM_STATUS_OK = 0,
    VMM_STATUS_USAGE = 2,         /* bad flag or image: nothing ran */
    VMM_STATUS_GUEST_PANIC = 123, /* --linux: the kernel panicked */
    VMM_STATUS_TIMEOUT = 124,     /* --timeout reached, like timeout(1) */
    VMM_STATUS_TRIPLE_FAULT = 125,
    VMM_STATUS_VCPU_ERROR = 126, /* internal error, failed entry, unknown exit, KVM failure */
    VMM_STATUS_SIGHUP = 129,
    VMM_STATUS_SIGINT = 130,
    VMM_STATUS_KILLED = 137, /* gdb sent kill */
    VMM_STATUS_SIGTERM = 143,
};

struct machine {
    struct vm vm;
    struct pio_bus pio;
    struct console con;
    struct uart8250 uart;
    struct hostprobe probe;
    struct vga vga;           /* the text screen at 0xB8000, CRTC ports */
    struct vga_view view;     /* --vga: the screen shown on the host */
    struct bios bios;         /* real-mode guests: IVT, ROM, services (vmm/bios/) */
    struct multiboot_boot mb; /* a multiboot kernel's hand-off */
    int nvcpus;
    struct vcpu vcpus[MACHINE_MAX_VCPUS];

    pthread_mutex_t lock;
    pthread_cond_t cond; /* signalled when a vCPU ends or a stop is requested */
    atomic_bool stopping;
    bool status_set;
    int status;
    int live_vcpus;

    struct exit_stats stats;
    struct debug *dbg;        /* --gdb: the debugger's side of the vCPU loop */
    struct linux_machine *lx; /* --linux: PC devices and boot state (vmm/linux/) */
};

int machine_init(struct machine *m);
/* Ends the run with STATUS unless a status was already chosen; kicks every vCPU. */
void machine_stop(struct machine *m, int status);
/* Ends the run with STATUS even if a guest chose one before: the person's decision
 * (gdb's kill) is the run's status. */
void machine_end(struct machine *m, int status);
/* A vCPU finished on its own (hlt, exit hypercall, port 0xf4): the run ends when
 * the last one does, with the first non-zero status a guest gave, else 0. */
void machine_vcpu_done(struct machine *m, struct vcpu *v);
/* Waits until the run ends or TIMEOUT_MS passes (0: forever); returns the status. */
int machine_wait(struct machine *m, uint64_t timeout_ms, bool *timed_out);
void machine_destroy(struct machine *m);

#endif
