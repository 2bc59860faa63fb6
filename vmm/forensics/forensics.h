/* Why a vCPU triple-faulted, and what it ran just before (--history, monitor why,
 * monitor history). why.c checks the state the fault left against the tables the CPU
 * needed to deliver an exception and ranks likely causes in plain words; history.c
 * keeps the last N instructions by single-stepping inside the VMM. */
#ifndef MINIKVM_FORENSICS_H
#define MINIKVM_FORENSICS_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdbstub/strbuf.h"

struct vm;
struct vcpu;

/* The state to explain and where it comes from. */
struct why_state {
    struct kvm_regs r;
    struct kvm_sregs s;
    bool have_events; /* KVM_GET_VCPU_EVENTS answered */
    struct kvm_vcpu_events ev;
    const char *source; /* "the vCPU at the shutdown", "the history's last instruction" */
};

/* The architectural reset state (CS F000, base FFFF0000, rip FFF0): what AMD's KVM
 * leaves in a vCPU after a shutdown, since the VMCB is undefined then. */
bool why_is_reset_state(const struct kvm_regs *r, const struct kvm_sregs *s);

/* The whole explanation: instruction, exception tables, descriptors, page walks,
 * CR2, then "likely causes" ranked. 0, or -ENOMEM when OUT overflowed. */
int why_explain(const struct vm *vm, const struct why_state *st, struct strbuf *out);

/* ---- history.c ---- */

#define HISTORY_MAX 4096
#define HISTORY_BYTES 15

struct history_entry {
    uint64_t seq; /* instructions recorded on this vCPU before this one */
    struct kvm_regs r;
    struct kvm_sregs s; /* for the mode, CS:IP and as forensics' state */
    uint8_t bytes[HISTORY_BYTES];
    uint8_t nbytes; /* readable bytes at rip (0: not mapped) */
};

/* One vCPU's ring of the last CAP instructions about to execute. */
struct history {
    bool on;
    unsigned cap;
    unsigned head; /* next slot to write */
    unsigned count;
    uint64_t seq;
    struct history_entry *e;
};

/* Allocates CAP entries (1..HISTORY_MAX) and turns it on; 0, -EINVAL, -ENOMEM. */
int history_start(struct history *h, unsigned cap);
void history_stop(struct history *h); /* off, entries kept */
void history_free(struct history *h);
/* vCPU thread, stopped before an instruction: records it. */
void history_record(struct history *h, const struct vm *vm, const struct kvm_regs *r,
                    const struct kvm_sregs *s);
/* The newest entry, or NULL. */
const struct history_entry *history_last(const struct history *h);
/* The last N (0: all kept) entries, oldest first, one line each: seq, mode, address
 * (CS:IP in real mode), bytes, registers changed since the entry before. */
void history_print(const struct history *h, unsigned n, struct strbuf *out);

/* vcpu-side glue (history.c). Headless (no gdb; the debug layer does the same in its
 * own plan): history_begin records the first instruction, history_arm single-steps
 * the next run while the history is on, history_step_exit records at each step's
 * exit (true: it was one, run on). */
void history_begin(struct vcpu *v);
void history_record_now(struct vcpu *v); /* V stopped: record where it is */
int history_arm(struct vcpu *v);
bool history_step_exit(struct vcpu *v);
/* The state of V, explained, from its history when the shutdown left a reset
 * state (AMD). */
int forensics_report(struct vcpu *v, struct strbuf *out);

#endif
