/* Architectural bit positions used across vmm/ (control registers, EFER, RFLAGS,
 * page-table entries). Plain defines: pagewalk.c, which has no KVM types, uses them. */
#ifndef MINIKVM_X86_BITS_H
#define MINIKVM_X86_BITS_H

#define CR0_PE (1ull << 0)
#define CR0_MP (1ull << 1)
#define CR0_ET (1ull << 4)
#define CR0_NE (1ull << 5)
#define CR0_PG (1ull << 31)

#define CR4_PSE (1ull << 4)
#define CR4_PAE (1ull << 5)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define CR4_LA57 (1ull << 12)

#define EFER_SCE (1ull << 0)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)

#define RFLAGS_TF (1ull << 8)
#define RFLAGS_RF (1ull << 16)
#define RFLAGS_IOPL_SHIFT 12

#define PTE_P (1ull << 0)
#define PTE_RW (1ull << 1)
#define PTE_US (1ull << 2)
#define PTE_PS (1ull << 7)
#define PTE_XD (1ull << 63)

#endif
