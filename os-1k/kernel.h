/* The kernel's shared declarations. Assembly (boot.S) includes the constants. */
#pragma once

/* GDT selectors: the VMM's layout, kept so that SYSCALL/SYSRET's fixed order
 * (kernel code, kernel data; user code32, user data, user code64) holds. */
#define SEL_KCODE 0x10
#define SEL_KDATA 0x18
#define SEL_UDATA (0x28 | 3)
#define SEL_UCODE (0x30 | 3)
#define SEL_TSS 0x38

#define IRQ_BASE 0x20 /* the PIC's IRQ 0-15 arrive as vectors 0x20-0x2f */
#define IDT_VECTORS 0x30
#define VEC_SYSCALL 0x80 /* not a gate: how boot.S labels a SYSCALL that reached CPL 0 */
#define TRAP_STUB_SIZE 16

#define USER_BASE 0x40000000 /* user space is the second GiB; the first is the kernel's */
#define USER_STACK_TOP 0x80000000
#define USER_STACK_SIZE (4 * 4096)

#ifndef __ASSEMBLER__
#include "common.h"

#define PAGE_SIZE 4096
#define LARGE_PAGE_SIZE (2ul << 20)
#define PTE_P (1ul << 0)
#define PTE_W (1ul << 1)
#define PTE_U (1ul << 2)
#define PTE_PS (1ul << 7)
#define PTE_ADDR 0x000ffffffffff000ul

#define RFLAGS_IF (1ul << 9)
#define RFLAGS_USER 0xdd5ul /* CF PF AF ZF SF TF DF OF: what user code may set */

#define PROCS_MAX 8 /* user processes; procs[0] is the idle process */
#define KSTACK_SIZE 8192

#define FILES_MAX 8
#define FILE_DATA_MAX 1024
#define DISK_MAX (16 * 1024) /* the part of the disk the file system uses */

#define PANIC(fmt, ...) \
    do { \
        printf("PANIC: %s:%d: " fmt "\n", __FILE__, __LINE__, ##__VA_ARGS__); \
        machine_exit(1); \
    } while (0)

/* What boot.S saves on every trap, interrupt and system call, lowest address first. */
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU (or boot.S for SYSCALL) */
};

enum proc_state { PROC_UNUSED, PROC_RUNNABLE, PROC_EXITED };

struct process {
    int pid; /* its index in procs[]; 0 is idle */
    enum proc_state state;
    int exit_status;
    uint64_t sp;         /* kernel stack pointer saved by switch_context */
    uint64_t kstack_top; /* where traps from user mode start (TSS.RSP0) */
    uint64_t *pml4;      /* its page tables (physical = virtual in the kernel) */
};

struct file {
    bool in_use;
    char name[FILE_NAME_MAX];
    char data[FILE_DATA_MAX];
    size_t size;
};

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}
static inline void outw(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}
static inline void outl(uint16_t port, uint32_t v)
{
    __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}
static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint32_t inl(uint16_t port)
{
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}
static inline uint64_t read_cr2(void)
{
    uint64_t v;
    __asm__ volatile("mov %%cr2, %0" : "=r"(v));
    return v;
}
static inline void write_cr3(uint64_t v)
{
    __asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

/* boot.S */
extern char trap_stubs[], syscall_entry[], syscall_bp_return[], user_entry[];
void switch_context(uint64_t *prev_sp, uint64_t *next_sp);

/* cpu.c: descriptor tables, interrupt controller, timer, serial port */
extern volatile uint64_t ticks;
void cpu_init(void);
void irq_init(void);
void set_kernel_stack(uint64_t top);
void handle_irq(int irq);
int console_getc(void);
void report_exception(const struct trap_frame *f);
__attribute__((noreturn)) void machine_exit(int status);

/* memory.c */
extern uint64_t *kernel_pml4;
void paging_init(void);
uint64_t alloc_page(void);
void map_page(uint64_t *pml4, uint64_t va, uint64_t pa, uint64_t flags);
uint64_t *new_address_space(void);
void free_address_space(uint64_t *pml4);
bool user_range_ok(uint64_t *pml4, uint64_t va, size_t len, bool write);

/* fs.c */
extern struct file files[FILES_MAX];
void fs_init(void);
struct file *fs_lookup(const char *name, bool create);
int fs_flush(void);

/* kernel.c; kernel_main and trap_handler are boot.S's way in */
extern struct process procs[PROCS_MAX + 1];
extern struct process *current_proc;
void kernel_main(void);
void trap_handler(struct trap_frame *f);
void yield(void);
#endif
