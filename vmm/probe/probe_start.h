/* The host probe as a start-up takes it: from the probe cache or measured. */
#ifndef MINIKVM_PROBE_START_H
#define MINIKVM_PROBE_START_H

#include <stdbool.h>

#include "vmm/probe/hostprobe.h"

struct probe_start {
    bool irqchip;  /* the run needs the irqchip and AP rows */
    bool refresh;  /* --probe: measure even when the cache holds the answers, then store */
    bool no_cache; /* --no-probe-cache: neither read nor write the cache */
};

/* Fills P; 0, or -errno when the probe cannot run (no usable /dev/kvm). A stale or
 * corrupt cache file, or one that cannot be written, is one line on stderr. */
int hostprobe_start(struct hostprobe *p, const struct probe_start *o);

#endif
