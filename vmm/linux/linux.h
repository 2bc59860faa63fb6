/* Booting Linux (--linux): the machine a kernel expects from a PC boot loader. The
 * zero page (loader/bootparam.h), e820 map, command line and initrd in guest RAM;
 * the 64-bit or 32-bit boot-protocol entry state; the PC ports Linux touches (CMOS,
 * i8042 reset, 0x61/0x80/0x92/0xcf9); SYSCALL completed where the host leaves it
 * at CPL 3; and the end of the run when the kernel powers off or halts for good. Guest-physical layout, all below 1 MiB
 * except the kernel and the initrd:
 *   0x1000 GDT, 0x1080 TSS, 0x2000 PML4, 0x3000 PDPT, 0x4000-0x7fff page directories
 *   (the first 4 GiB identity-mapped in 2 MiB pages), stack below 0x9000,
 *   0x10000 zero page, 0x20000 command line; kernel at its pref_address; initrd
 *   as high as initrd_addr_max and RAM allow. */
#ifndef MINIKVM_LINUX_H
#define MINIKVM_LINUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;
struct vcpu;

/* What the command line says about the Linux boot (main.c fills it from --initrd,
 * --cmdline, --linux-entry, --linux-test-break and --gdb). */
struct linux_opts {
    const char *initrd;  /* NULL: none */
    const char *cmdline; /* NULL: LINUX_DEFAULT_CMDLINE */
    int entry;           /* 64 or 32; 0: 64 */
    bool test_break;     /* a deliberately broken boot (the triple-fault drill) */
    bool gdb;            /* a debugger may attach: it owns the debug registers */
    int smp;             /* CPUs (--smp); 0 or 1: one, and no MP table */
    /* The SYSCALL watch even where SYSCALL works (where it then only ever steps
     * past real page faults): how tests show its debug-register slot on any host. */
    bool force_syscall_watch;
};

#define LINUX_GDT 0x1000u
#define LINUX_TSS 0x1080u
#define LINUX_PML4 0x2000u
#define LINUX_PDPT 0x3000u
#define LINUX_PD 0x4000u
#define LINUX_PD_COUNT 4u
#define LINUX_STACK_TOP 0x9000u
#define LINUX_ZERO_PAGE 0x10000u
#define LINUX_CMDLINE 0x20000u
#define LINUX_CMDLINE_MAX 0x10000u
#define LINUX_DEFAULT_MEM (256ull << 20)
#define LINUX_DEFAULT_CMDLINE "console=ttyS0 earlyprintk=serial"

/* After vm_open and the common devices, before the vCPUs are set up: registers the
 * PC ports, writes the zero page, command line and initrd. Prints its own errors. */
int linux_prepare(struct machine *m, const struct linux_opts *o);
/* The boot-protocol entry state of vCPU V (instead of entry_setup_vcpu). */
int linux_setup_vcpu(struct machine *m, struct vcpu *v);
/* vCPU thread, every exit, before the exit table: with a Linux guest, a SYSCALL
 * the host left at CPL 3 is completed (linux/syscall.c). true: the exit was
 * handled, run on. */
bool linux_on_exit(struct vcpu *v);
/* SYSCALL completion under gdb (syscall.c), where one allocator (vmm/debug/
 * guest_debug.c) shares the four debug registers between gdb and the VMM.
 * linux_syscall_reserved: how many the VMM may hold on a vCPU (0 or 1; 0 where
 * SYSCALL works). linux_syscall_watch, before each run of V in state S: the
 * ring-0 execution breakpoint the VMM needs (*addr, 0: none) and whether this run
 * must single-step past the #PF handler's first instruction with it off.
 * linux_syscall_hit, at that breakpoint: true when it was a half SYSCALL, now
 * finished (V is at LSTAR); otherwise the next run steps past it.
 * linux_syscall_stepped: that step is done. */
struct kvm_sregs;
int linux_syscall_reserved(const struct machine *m);
void linux_syscall_watch(struct vcpu *v, const struct kvm_sregs *s, uint64_t *addr,
                         bool *step_past);
bool linux_syscall_hit(struct vcpu *v);
void linux_syscall_stepped(struct vcpu *v);
/* Before machine_destroy: stops the halt watcher, frees the devices. */
void linux_destroy(struct machine *m);

/* cmdline.c: the command line the kernel gets: USER (or the default), then
 * panic=-1 unless USER sets panic=, nokaslr under gdb unless USER says kaslr, and
 * the switches this host needs (all printed to stderr when added). 0 or -E2BIG. */
struct hostprobe;
int linux_build_cmdline(const char *user, const struct hostprobe *p, bool gdb, char *out,
                        size_t len, bool announce);

#endif
