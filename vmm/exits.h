/* What to do with each KVM exit: one table from exit reason to handler. */
#ifndef MINIKVM_EXITS_H
#define MINIKVM_EXITS_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

enum exit_action {
    EXIT_CONTINUE,  /* back into KVM_RUN */
    EXIT_VCPU_DONE, /* this vCPU has finished (hlt) */
    EXIT_STOP,      /* the run is over (machine_stop was called) */
};

enum exit_action exits_handle(struct vcpu *v);
/* The table has a handler for REASON (under gdb, an unknown exit is a stop instead). */
bool exits_known(uint32_t reason);

#endif
