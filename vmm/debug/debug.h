/* The gdb target on KVM: implements gdbstub's target ops and the all-stop protocol
 * between the stub thread and the vCPU threads. */
#ifndef MINIKVM_DEBUG_H
#define MINIKVM_DEBUG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmm/exits.h"

struct debug;
struct machine;
struct strbuf;
struct vcpu;

/* Creates the stub listening on SPEC ("PORT", "HOST:PORT", "unix:PATH"). nowait:
 * the guest runs at once instead of waiting at its first instruction. arch: the
 * register view gdb gets (enum gdb_arch), or -1 to follow the guest's mode. */
int debug_create(struct debug **out, struct machine *m, const char *spec, bool nowait, int arch,
                 char *err, size_t errlen);
int debug_start(struct debug *d);
/* The run is over with STATUS: tell gdb (W), stop the stub thread, release parked vCPUs. */
void debug_finish(struct debug *d, int status);
void debug_destroy(struct debug *d);
/* Wakes parked vCPUs so they see machine->stopping. Any thread. */
void debug_wake(struct debug *d);

/* vCPU thread, before each KVM_RUN: parks while the machine is stopped for gdb and
 * programs the vCPU's debug state. false: the vCPU is to leave its loop. */
bool debug_vcpu_gate(struct debug *d, struct vcpu *v);
/* vCPU thread, after KVM_RUN: true when the exit was the debugger's business. */
bool debug_vcpu_exit(struct debug *d, struct vcpu *v);
/* vCPU thread, while handling an exit: an event of the guest's (a kernel panic)
 * becomes a stop with gdb SIGNAL, seen once V's exit is done. false: no gdb is
 * connected, nothing happened. */
bool debug_guest_stop(struct debug *d, struct vcpu *v, int signal);
/* `monitor watch [auto|dr|page|step]`: how new watchpoints are watched, and how each
 * one is (vmm/debug/watch.c). Stub thread. */
int debug_monitor_watch(struct debug *d, int argc, char **argv, struct strbuf *out);
/* vCPU thread, leaving its loop (halted, or the run is over). */
void debug_vcpu_done(struct debug *d, struct vcpu *v);

#endif
