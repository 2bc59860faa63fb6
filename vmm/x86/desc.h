/* Segment descriptors and IDT/call gates, as the GDT, LDT and IDT hold them in guest
 * memory: decode and encode, no KVM types (unit-tested). Used by the VMM's own GDTs,
 * gdb's segment-register writes, the exception catchers, the Linux SYSCALL fix and
 * the monitor's table dumps. */
#ifndef MINIKVM_X86_DESC_H
#define MINIKVM_X86_DESC_H

#include <stdbool.h>
#include <stdint.h>

/* An 8-byte code, data or system descriptor. limit is in bytes (G applied). */
struct x86_desc {
    uint64_t base; /* 32 bits; a 16-byte system descriptor adds the high half */
    uint32_t limit;
    uint8_t type; /* 4-bit type field */
    bool s;       /* code/data (1) or system (0) */
    uint8_t dpl;
    bool present, l, db, g;
};

/* An interrupt, trap, task or call gate. */
struct x86_gate {
    uint64_t offset; /* the handler's entry (no offset for a task gate) */
    uint16_t sel;
    uint8_t type, dpl, ist;
    bool present;
};

void x86_desc_decode(uint64_t d, struct x86_desc *out);
/* Access byte (P, DPL, S, type) and flags nibble (G, D/B, L, AVL); limit in units of
 * the granularity the flags choose. */
uint64_t x86_desc_encode(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags);

/* Whether a system type is a gate, in the long-mode or legacy type table. */
bool x86_desc_is_gate(unsigned type, bool long_mode);
/* LDT, TSS and call-gate descriptors are 16 bytes in long mode. */
bool x86_desc_is_wide(unsigned type, bool s, bool long_mode);

/* LO and HI are the gate's two quadwords (HI only in long mode). */
void x86_gate_decode(uint64_t lo, uint64_t hi, bool long_mode, struct x86_gate *out);
/* What IDTR points at: the real-mode IVT (4-byte seg:off entries), 8-byte
 * protected-mode gates or 16-byte long-mode gates. */
enum x86_idt_format { IDT_IVT, IDT_PROT, IDT_LONG };
enum x86_idt_format x86_idt_format_of(uint64_t cr0, uint64_t efer);
unsigned x86_idt_entry_size(enum x86_idt_format f);

#endif
