/* The canonical register block: the x86-64 superset the target fills and reads
 * (vmm/debug/registers.c), whatever the guest's mode. gdb sees it through a layout
 * (x86_layout.h): the same block as the x86-64 view, or the 32-bit register set of
 * the i386 and i8086 views, converted by the stub.
 *
 * X86_GDB_REGS below is the single source of truth for the block: the canonical
 * register numbers (which are also gdb's numbers in the x86-64 view), the byte
 * offsets in the block and the run-time table are all generated from it. The
 * order is gdb's own amd64 numbering, feature by feature, so gdb's amd64 code finds
 * every register it knows at the number it expects:
 *
 *   0-15  rax rbx rcx rdx rsi rdi rbp rsp r8..r15   org.gnu.gdb.i386.core
 *   16    rip     17 eflags   18-23 cs ss ds es fs gs (32 bits each)
 *   24-31 st0..st7 (80 bits)  32-39 fctrl fstat ftag fiseg fioff foseg fooff fop
 *   40-55 xmm0..xmm15 (128)   56 mxcsr                org.gnu.gdb.i386.sse
 *   57 fs_base 58 gs_base 59 k_gs_base                org.gnu.gdb.i386.segments
 *   60 cr0 61 cr2 62 cr3 63 cr4 64 cr8 65 efer        org.mini-kvm.x86.sys
 *
 * All values are little-endian. */
#ifndef MINIKVM_X86_REGS_H
#define MINIKVM_X86_REGS_H

#include <stddef.h>
#include <stdint.h>

/* One target.xml <feature> each; the table lists registers grouped by feature. */
enum x86_feature { X86_FEAT_CORE, X86_FEAT_SSE, X86_FEAT_SEGMENTS, X86_FEAT_SYS, X86_FEAT_COUNT };

/* X(ID, name, bitsize, gdb type, group or NULL, feature) */
#define X86_GDB_REGS(X) \
    X(RAX, "rax", 64, "int64", NULL, CORE) \
    X(RBX, "rbx", 64, "int64", NULL, CORE) \
    X(RCX, "rcx", 64, "int64", NULL, CORE) \
    X(RDX, "rdx", 64, "int64", NULL, CORE) \
    X(RSI, "rsi", 64, "int64", NULL, CORE) \
    X(RDI, "rdi", 64, "int64", NULL, CORE) \
    X(RBP, "rbp", 64, "data_ptr", NULL, CORE) \
    X(RSP, "rsp", 64, "data_ptr", NULL, CORE) \
    X(R8, "r8", 64, "int64", NULL, CORE) \
    X(R9, "r9", 64, "int64", NULL, CORE) \
    X(R10, "r10", 64, "int64", NULL, CORE) \
    X(R11, "r11", 64, "int64", NULL, CORE) \
    X(R12, "r12", 64, "int64", NULL, CORE) \
    X(R13, "r13", 64, "int64", NULL, CORE) \
    X(R14, "r14", 64, "int64", NULL, CORE) \
    X(R15, "r15", 64, "int64", NULL, CORE) \
    X(RIP, "rip", 64, "code_ptr", NULL, CORE) \
    X(EFLAGS, "eflags", 32, "i386_eflags", NULL, CORE) \
    X(CS, "cs", 32, "int32", NULL, CORE) \
    X(SS, "ss", 32, "int32", NULL, CORE) \
    X(DS, "ds", 32, "int32", NULL, CORE) \
    X(ES, "es", 32, "int32", NULL, CORE) \
    X(FS, "fs", 32, "int32", NULL, CORE) \
    X(GS, "gs", 32, "int32", NULL, CORE) \
    X(ST0, "st0", 80, "i387_ext", NULL, CORE) \
    X(ST1, "st1", 80, "i387_ext", NULL, CORE) \
    X(ST2, "st2", 80, "i387_ext", NULL, CORE) \
    X(ST3, "st3", 80, "i387_ext", NULL, CORE) \
    X(ST4, "st4", 80, "i387_ext", NULL, CORE) \
    X(ST5, "st5", 80, "i387_ext", NULL, CORE) \
    X(ST6, "st6", 80, "i387_ext", NULL, CORE) \
    X(ST7, "st7", 80, "i387_ext", NULL, CORE) \
    X(FCTRL, "fctrl", 32, "int", "float", CORE) \
    X(FSTAT, "fstat", 32, "int", "float", CORE) \
    X(FTAG, "ftag", 32, "int", "float", CORE) \
    X(FISEG, "fiseg", 32, "int", "float", CORE) \
    X(FIOFF, "fioff", 32, "int", "float", CORE) \
    X(FOSEG, "foseg", 32, "int", "float", CORE) \
    X(FOOFF, "fooff", 32, "int", "float", CORE) \
    X(FOP, "fop", 32, "int", "float", CORE) \
    X(XMM0, "xmm0", 128, "vec128", NULL, SSE) \
    X(XMM1, "xmm1", 128, "vec128", NULL, SSE) \
    X(XMM2, "xmm2", 128, "vec128", NULL, SSE) \
    X(XMM3, "xmm3", 128, "vec128", NULL, SSE) \
    X(XMM4, "xmm4", 128, "vec128", NULL, SSE) \
    X(XMM5, "xmm5", 128, "vec128", NULL, SSE) \
    X(XMM6, "xmm6", 128, "vec128", NULL, SSE) \
    X(XMM7, "xmm7", 128, "vec128", NULL, SSE) \
    X(XMM8, "xmm8", 128, "vec128", NULL, SSE) \
    X(XMM9, "xmm9", 128, "vec128", NULL, SSE) \
    X(XMM10, "xmm10", 128, "vec128", NULL, SSE) \
    X(XMM11, "xmm11", 128, "vec128", NULL, SSE) \
    X(XMM12, "xmm12", 128, "vec128", NULL, SSE) \
    X(XMM13, "xmm13", 128, "vec128", NULL, SSE) \
    X(XMM14, "xmm14", 128, "vec128", NULL, SSE) \
    X(XMM15, "xmm15", 128, "vec128", NULL, SSE) \
    X(MXCSR, "mxcsr", 32, "i386_mxcsr", "vector", SSE) \
    X(FS_BASE, "fs_base", 64, "int", NULL, SEGMENTS) \
    X(GS_BASE, "gs_base", 64, "int", NULL, SEGMENTS) \
    X(K_GS_BASE, "k_gs_base", 64, "int", NULL, SEGMENTS) \
    X(CR0, "cr0", 64, "x86_cr0", NULL, SYS) \
    X(CR2, "cr2", 64, "uint64", NULL, SYS) \
    X(CR3, "cr3", 64, "uint64", NULL, SYS) \
    X(CR4, "cr4", 64, "x86_cr4", NULL, SYS) \
    X(CR8, "cr8", 64, "uint64", NULL, SYS) \
    X(EFER, "efer", 64, "x86_efer", NULL, SYS)

/* Register numbers: GDB_REG_RIP == 16, GDB_REG_CR0 == 60, ... */
enum x86_gdb_regno {
#define X86_REG_NO(id, name, bits, type, group, feat) GDB_REG_##id,
    X86_GDB_REGS(X86_REG_NO)
#undef X86_REG_NO
        GDB_NUM_REGS
};

/* Byte offsets in the 'g' block: GDB_OFF_RIP, GDB_OFF_CR0, ...; GDB_REGS_SIZE is
 * the whole block. Each GDB_OFF_x_LAST is x's last byte, which makes the next
 * enumerator land right after it: the offsets are summed by the compiler. */
enum x86_gdb_regoff {
#define X86_REG_OFF(id, name, bits, type, group, feat) \
    GDB_OFF_##id, GDB_OFF_##id##_LAST = GDB_OFF_##id + (bits) / 8 - 1,
    X86_GDB_REGS(X86_REG_OFF)
#undef X86_REG_OFF
        GDB_REGS_SIZE
};

struct x86_reg_desc {
    const char *name;
    unsigned bitsize;
    unsigned offset;   /* in the 'g' block */
    const char *type;  /* a gdb predefined type or one target.xml defines */
    const char *group; /* NULL: gdb decides from the type */
    enum x86_feature feature;
};

/* Indexed by enum x86_gdb_regno. */
extern const struct x86_reg_desc x86_regs[GDB_NUM_REGS];

/* Size in bytes of register regno, 0 if there is no such register. */
size_t x86_reg_size(int regno);

/* Little-endian load/store of a register of up to 8 bytes in a 'g' block, so
 * callers need not care whether it is 32 or 64 bits wide. Wider registers
 * (st, xmm) are plain byte arrays at x86_regs[regno].offset. */
uint64_t x86_reg_get(const uint8_t *block, int regno);
void x86_reg_set(uint8_t *block, int regno, uint64_t value);

#endif
