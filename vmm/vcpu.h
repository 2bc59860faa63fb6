/* One vCPU: its fd, its kvm_run page, its thread and the KVM_RUN loop. */
#ifndef MINIKVM_VCPU_H
#define MINIKVM_VCPU_H

#include <linux/kvm.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "loader/boot_plan.h"
#include "vmm/entry.h"
#include "vmm/forensics/forensics.h"

struct machine;

struct vcpu {
    int id;
    int fd;
    struct kvm_run *run;
    struct machine *m;
    char name[40];
    struct boot_plan plan;
    struct window win;
    bool sync_regs; /* regs/sregs arrive in run->s.regs on every exit */
    pthread_t thread;
    bool thread_started;
    atomic_bool kicked;
    bool finished; /* the guest asked to end (exit hypercall, port 0xf4) */
    int exit_status;
    struct history hist; /* --history / monitor history: vCPU thread, or parked */
};

/* CPU mode as the guest currently runs, for operand widths and messages. */
enum vcpu_cpu_mode { VMODE_REAL, VMODE_PROT16, VMODE_PROT32, VMODE_COMPAT, VMODE_LONG };

int vcpu_create(struct vcpu *v, struct machine *m, int id);
int vcpu_start(struct vcpu *v);
void vcpu_kick(struct vcpu *v);
void vcpu_join(struct vcpu *v);
void vcpu_destroy(struct vcpu *v);

int vcpu_get_regs(struct vcpu *v, struct kvm_regs *r);
int vcpu_set_regs(struct vcpu *v, const struct kvm_regs *r);
/* Both of the above: what most users of a stopped vCPU want. */
int vcpu_get_state(struct vcpu *v, struct kvm_regs *r, struct kvm_sregs *s);
int vcpu_get_sregs(struct vcpu *v, struct kvm_sregs *s);
int vcpu_set_sregs(struct vcpu *v, const struct kvm_sregs *s);
/* KVM_SET_SREGS now, so that a value KVM refuses is an error here (gdb writes). */
int vcpu_set_sregs_checked(struct vcpu *v, const struct kvm_sregs *s);
/* After state was set with ioctls (entry setup): refresh the run page's copy so
 * the accessors above see it. Every other access goes through the accessors. */
int vcpu_load_sync(struct vcpu *v);

/* MSRs through KVM_GET/SET_MSRS. vcpu_get_msrs reads up to VCPU_MSRS_MAX at once and
 * returns how many it read (KVM stops at the first it refuses); the single forms
 * return 0, or -EIO for an MSR the host refuses. */
#define VCPU_MSRS_MAX 32
int vcpu_get_msrs(struct vcpu *v, const uint32_t *index, uint64_t *val, int n);
int vcpu_get_msr(struct vcpu *v, uint32_t index, uint64_t *val);
int vcpu_set_msr(struct vcpu *v, uint32_t index, uint64_t val);

enum vcpu_cpu_mode vcpu_mode_of(const struct kvm_sregs *s);
/* The linear address of the next instruction: CS.base + rip outside long mode. */
uint64_t vcpu_linear_ip(const struct kvm_regs *r, const struct kvm_sregs *s);
const char *vcpu_mode_name(enum vcpu_cpu_mode m);
/* Operand width in bytes the mode defaults to: 2, 4 or 8. */
int vcpu_mode_width(enum vcpu_cpu_mode m);

/* Registers, segments and control registers, for fatal exits. */
void vcpu_dump_state(struct vcpu *v, FILE *f);

#endif
