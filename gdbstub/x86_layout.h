/* What gdb sees of the canonical register block (x86_regs.h): one layout per CPU
 * mode, each with its own target.xml, so gdb reads the guest in its own mode.
 *   x86-64  <architecture>i386:x86-64, the canonical block as it is (66 registers)
 *   i386    <architecture>i386, the 32-bit set in gdb's i386 numbering: eax ecx edx
 *           ebx esp ebp esi edi eip eflags cs..gs, x87, xmm0-7, mxcsr, fs_base,
 *           gs_base, cr0 cr2 cr3 cr4 efer (41 registers)
 *   i8086   the i386 set with <architecture>i8086: gdb disassembles 16-bit code
 * Every description says <osabi>none</osabi> (a bare machine: gdb would otherwise
 * warn about a missing GNU/Linux handler at each switch); the 32-bit ones add
 * <compatible>i386:x86-64</compatible>, so an ELF64 symbol file (a 64-bit kernel that
 * starts in real mode) is accepted while the CPU is in 16- or 32-bit mode.
 * gdb numbers remote registers in document order, so a layout's table order is
 * its register numbering (p/P packets, expedited registers); no regnum attributes.
 * A session keeps one layout per connection (the block must never change size
 * under gdb); rsp_session_set_layout() switches it between stops. */
#ifndef MINIKVM_X86_LAYOUT_H
#define MINIKVM_X86_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "gdbstub/strbuf.h"
#include "gdbstub/x86_regs.h"

enum gdb_arch { GDB_ARCH_I8086, GDB_ARCH_I386, GDB_ARCH_X86_64, GDB_ARCH_COUNT };

struct x86_layout_reg {
    int canon; /* the canonical register it shows (enum x86_gdb_regno) */
    const char *name;
    unsigned bitsize; /* at most the canonical one: the low bytes are shown */
    unsigned offset;  /* in this layout's block */
    const char *type;
    const char *group;
    enum x86_feature feature;
};

struct x86_layout {
    enum gdb_arch arch;
    const char *name;     /* "i8086", "i386", "x86-64": --gdb-arch and messages */
    const char *bfd_arch; /* the <architecture> text */
    int nregs;
    const struct x86_layout_reg *regs;
    unsigned size; /* bytes in the 'g' block */
};

const struct x86_layout *x86_layout_get(enum gdb_arch arch);
/* The layout's register number that shows canonical register CANON, or -1. */
int x86_layout_regno(const struct x86_layout *l, int canon);

/* CANON (GDB_REGS_SIZE bytes) -> OUT (l->size bytes). */
void x86_layout_from_canon(const struct x86_layout *l, const uint8_t *canon, uint8_t *out);
/* IN (l->size bytes) over CANON: each shown register replaces the low bytes of its
 * canonical register; the bytes it does not show (the upper half of rax under
 * i386) keep their value. */
void x86_layout_to_canon(const struct x86_layout *l, const uint8_t *in, uint8_t *canon);
/* One register of the layout: 0, or -EINVAL for a number it does not have. */
int x86_layout_reg_to_canon(const struct x86_layout *l, int regno, const uint8_t *value,
                            uint8_t *canon);

/* The target description of the layout. 0 or -ENOMEM/-ENOSPC from the strbuf. */
int x86_target_xml(struct strbuf *out, const struct x86_layout *l);

#endif
