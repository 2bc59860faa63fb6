/* The one home for x86 architectural constants: control registers, EFER, RFLAGS,
 * page-table entries and page-fault error codes, debug registers, MSR numbers,
 * exception vectors and the opcode bytes the VMM writes or recognises. Plain
 * defines, no KVM types: the KVM-free code (page walk, descriptor decode) uses them
 * as well as vmm/. Values are from the Intel SDM / AMD APM. */
#ifndef MINIKVM_X86_BITS_H
#define MINIKVM_X86_BITS_H

#define CR0_PE (1ull << 0)
#define CR0_MP (1ull << 1)
#define CR0_ET (1ull << 4)
#define CR0_NE (1ull << 5)
#define CR0_WP (1ull << 16)
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

#define RFLAGS_CF (1ull << 0)
#define RFLAGS_FIXED (1ull << 1) /* reads as 1 */
#define RFLAGS_ZF (1ull << 6)
#define RFLAGS_TF (1ull << 8)
#define RFLAGS_IF (1ull << 9)
#define RFLAGS_RF (1ull << 16)
#define RFLAGS_VM (1ull << 17)
#define RFLAGS_IOPL_SHIFT 12

#define PTE_P (1ull << 0)
#define PTE_RW (1ull << 1)
#define PTE_US (1ull << 2)
#define PTE_PS (1ull << 7)
#define PTE_XD (1ull << 63)

/* Page-fault error code */
#define PF_EC_P (1u << 0) /* protection violation (else: not present) */
#define PF_EC_W (1u << 1)
#define PF_EC_U (1u << 2) /* the access came from CPL 3 */
#define PF_EC_I (1u << 4) /* instruction fetch */

/* Debug registers: DR6 status, DR7 control (slot N = DR0..DR3) */
#define DR6_B(n) (1u << (n)) /* slot n matched */
#define DR6_B_MASK 0xfu
#define DR6_BS (1u << 14)            /* single step */
#define DR7_L(n) (1ull << (2 * (n))) /* local enable of slot n */
#define DR7_RW_SHIFT(n) (16 + 4 * (n))
#define DR7_LEN_SHIFT(n) (18 + 4 * (n))
#define DR7_LE_GE 0x300ull /* exact breakpoint match, as the SDM recommends */
enum { DR7_RW_EXEC = 0, DR7_RW_WRITE = 1, DR7_RW_IO = 2, DR7_RW_ACCESS = 3 };
enum { DR7_LEN_1 = 0, DR7_LEN_2 = 1, DR7_LEN_8 = 2, DR7_LEN_4 = 3 };
#define DR_SLOTS 4

/* MSRs */
#define MSR_SYSENTER_CS 0x174u
#define MSR_SYSENTER_ESP 0x175u
#define MSR_SYSENTER_EIP 0x176u
#define MSR_PAT 0x277u
#define MSR_EFER 0xc0000080u
#define MSR_STAR 0xc0000081u
#define MSR_LSTAR 0xc0000082u
#define MSR_CSTAR 0xc0000083u
#define MSR_SFMASK 0xc0000084u
#define MSR_FS_BASE 0xc0000100u
#define MSR_GS_BASE 0xc0000101u
#define MSR_KERNEL_GS_BASE 0xc0000102u

/* Exception vectors */
enum {
    VEC_DE = 0,
    VEC_DB = 1,
    VEC_NMI = 2,
    VEC_BP = 3,
    VEC_OF = 4,
    VEC_BR = 5,
    VEC_UD = 6,
    VEC_NM = 7,
    VEC_DF = 8,
    VEC_TS = 10,
    VEC_NP = 11,
    VEC_SS = 12,
    VEC_GP = 13,
    VEC_PF = 14,
};

/* Opcode bytes */
#define OP_INT3 0xccu
#define OP_HLT 0xf4u

#endif
