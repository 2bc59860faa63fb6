/* A guest's own int3 where the host does not deliver it (docs/host-probe.md: on some hosts
 * ring-0 int3 is an emulation failure at the int3): put it back on the guest's
 * path as the #BP it would be on hardware. Used with and without gdb. */
#ifndef MINIKVM_INT3_H
#define MINIKVM_INT3_H

#include <stdbool.h>

struct vcpu;

/* The exit is an emulation failure with an int3 byte at rip. */
bool int3_emufail_at_rip(struct vcpu *v);
/* Queues #BP for the guest; advance: rip still points at the int3 (emulation
 * failure), so it is moved past it first, as the CPU would have. 0 or -errno. */
int int3_reflect(struct vcpu *v, bool advance);

#endif
