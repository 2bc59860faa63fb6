/* Guest memory by linear address, through the page tables a vCPU has loaded:
 * what gdb and the monitor commands read and write. */
#ifndef MINIKVM_GUESTMEM_H
#define MINIKVM_GUESTMEM_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vmm/x86/desc.h"
#include "vmm/x86/pagewalk.h"

struct vm;

struct pw_cpu guestmem_pw_cpu(const struct kvm_sregs *s);
/* Reads guest-physical memory for pagewalk(); arg is the struct vm. */
int guestmem_read_phys(void *arg, uint64_t pa, void *buf, size_t len);
int guestmem_translate(const struct vm *vm, const struct kvm_sregs *s, uint64_t linear,
                       uint64_t *phys);
/* All or nothing per page: -EFAULT at the first unmapped page, which *fail (if not
 * NULL) names; pages before it have been copied. */
int guestmem_access(const struct vm *vm, const struct kvm_sregs *s, uint64_t linear, void *buf,
                    size_t len, bool write, uint64_t *fail);
/* The gate of VECTOR as the CPU would find it through IDTR. In real mode the IVT's
 * seg:off becomes a gate whose offset is the linear address seg*16+off. -ERANGE:
 * beyond the IDT limit; -ENOENT: not present; -EFAULT: the table is not mapped. */
int guestmem_idt_gate(const struct vm *vm, const struct kvm_sregs *s, unsigned vector,
                      struct x86_gate *g);

#endif
