/* The VM: /dev/kvm, the VM fd and one flat slot of guest RAM starting at gpa 0. */
#ifndef MINIKVM_VM_H
#define MINIKVM_VM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vm {
    int kvm_fd;
    int vm_fd;
    int run_size; /* mmap size of struct kvm_run */
    uint8_t *mem;
    uint64_t mem_size;
    bool irqchip; /* in-kernel PIC/IOAPIC/LAPIC + PIT2 created */
};

/* Guest RAM above this would need a hole for the PCI/APIC window; we never need it. */
#define VM_MEM_MAX (3ull << 30)

int vm_open(struct vm *vm, uint64_t mem_size);
int vm_create_irqchip(struct vm *vm);
void vm_close(struct vm *vm);

/* Host pointer for [gpa, gpa+len), or NULL when any byte lies outside RAM. */
void *vm_gpa_to_hva(const struct vm *vm, uint64_t gpa, uint64_t len);

int vm_irq_line(struct vm *vm, int irq, int level);

#endif
