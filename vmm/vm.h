/* The VM: /dev/kvm, the VM fd and guest RAM from gpa 0: one read-write memslot, or
 * several while the debugger keeps pages read-only (slots.h). */
#ifndef MINIKVM_VM_H
#define MINIKVM_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmm/slots.h"

struct vm {
    int kvm_fd;
    int vm_fd;
    int run_size; /* mmap size of struct kvm_run */
    uint8_t *mem;
    uint64_t mem_size;
    bool irqchip;             /* in-kernel PIC/IOAPIC/LAPIC + PIT2 created */
    struct slot_layout slots; /* RAM's memslots now; changed only while no vCPU runs */
    int slot_id[SLOTS_MAX];   /* KVM's slot number of each range */
};

/* Guest RAM above this would need a hole for the PCI/APIC window; we never need it. */
#define VM_MEM_MAX (3ull << 30)

int vm_open(struct vm *vm, uint64_t mem_size);
int vm_create_irqchip(struct vm *vm);
void vm_close(struct vm *vm);

/* Host pointer for [gpa, gpa+len), or NULL when any byte lies outside RAM. */
void *vm_gpa_to_hva(const struct vm *vm, uint64_t gpa, uint64_t len);

/* Makes exactly the NPAGES guest-physical pages in PAGES (page-aligned, any order;
 * sorted in place) read-only to the guest: its writes there exit as KVM_EXIT_MMIO,
 * reads and fetches run. Only while no vCPU is in KVM_RUN. On failure RAM is one
 * read-write slot again and the error is returned. */
int vm_set_readonly_pages(struct vm *vm, uint64_t *pages, int npages);

int vm_irq_line(struct vm *vm, int irq, int level);

#endif
