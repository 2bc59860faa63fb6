/* The PC memory map the firmware reports: int 15h E820h in real mode, and the
 * multiboot info's mmap. */
#ifndef MINIKVM_E820_H
#define MINIKVM_E820_H

#include <stdint.h>

#define E820_RAM 1
#define E820_RESERVED 2
#define E820_MAX 6

struct e820_entry {
    uint64_t addr, size;
    uint32_t type;
};

/* The map of MEM bytes of RAM whose last TOP_RESERVED bytes hold the VMM's tables:
 * conventional memory less the EBDA, the BIOS ROM, RAM above 1 MiB. Returns the
 * number of entries (at most E820_MAX). */
int e820_build(uint64_t mem, uint64_t top_reserved, struct e820_entry *out);

#endif
