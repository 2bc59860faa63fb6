/* Shared by monitor.c (dispatch, simple commands), monitor_regs.c (register
 * decoding), monitor_pt.c (page walk, linear reads), monitor_tables.c (GDT, IDT),
 * monitor_forensics.c (why, history) and monitor_qemu.c (QEMU's commands that
 * scripts send). */
#ifndef MINIKVM_MONITOR_PRIV_H
#define MINIKVM_MONITOR_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdbstub/strbuf.h"
#include "vmm/machine.h"
#include "vmm/util.h"
#include "vmm/x86/pagewalk.h"

/* Lines wrap before this column so that monitor output stays under 100 characters. */
#define MON_WRAP_COL 96

struct mon_ctx {
    struct machine *m;
    struct vcpu *v; /* the selected vCPU; NULL for commands that need none */
    int cpu;
    struct strbuf *out;
};

struct mon_flag {
    uint8_t bit;
    const char *name;
};

/* Hex (0x...) or decimal, nothing else: 0 or -EINVAL. */
int monitor_parse_u64(const char *s, uint64_t *out);

/* Appends " WORD", first starting an indented line when the word would pass
 * MON_WRAP_COL; *line_start is the offset in out where the current line began and
 * moves when a new line is started. */
void monitor_put_word(struct strbuf *out, size_t *line_start, const char *word);
/* monitor_put_word of the name of every set bit in the table, in table order. */
void monitor_put_flags(struct strbuf *out, size_t *line_start, uint64_t val,
                       const struct mon_flag *tab, size_t n);

/* A short description of a descriptor type: "code r/x acc", "64-bit TSS busy". */
void monitor_desc_type(char *buf, size_t len, unsigned type, bool s, bool long_mode);

/* CS.RPL: the architectural CPL once in protected mode; 0 in real mode. */
unsigned monitor_cpl(const struct kvm_sregs *s);
enum pw_kind monitor_paging_kind(const struct kvm_sregs *s);

/* Reads LEN bytes at a linear address of the vCPU (through its page tables when
 * paging is on). 0, or -EFAULT with *fail_linear set to the first bad address. */
int monitor_read_linear(struct mon_ctx *c, const struct kvm_sregs *s, uint64_t linear, void *buf,
                        size_t len, uint64_t *fail_linear);

int monitor_cmd_regs(struct mon_ctx *c, int argc, char **argv);
int monitor_cmd_pt(struct mon_ctx *c, int argc, char **argv);
int monitor_cmd_gdt(struct mon_ctx *c, int argc, char **argv);
int monitor_cmd_idt(struct mon_ctx *c, int argc, char **argv);
int monitor_cmd_info(struct mon_ctx *c, int argc, char **argv);
int monitor_cmd_why(struct mon_ctx *c, int argc, char **argv);
int monitor_cmd_history(struct mon_ctx *c, int argc, char **argv);
int monitor_cmd_xp(struct mon_ctx *c, int argc, char **argv);

#endif
