/* The x86 machinery: GDT, TSS, IDT, the SYSCALL MSRs, the 8259 PIC, the 8254
 * PIT, the 8250 UART and the exception report. */
#include "kernel.h"

#define COM1 0x3f8
#define UART_IER_RDI 0x01
#define UART_LSR_DR 0x01
#define UART_LSR_THRE 0x20
#define UART_MCR_OUT2 0x08 /* routes the UART's interrupt to the PIC on a PC */
#define PIC1 0x20
#define PIC2 0xa0
#define PIC_EOI 0x20
#define PIT_CH0 0x40
#define PIT_MODE 0x43
#define PIT_HZ 1193182
#define IRQ_TIMER 0
#define IRQ_COM1 4
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_SFMASK 0xc0000084
#define HYPERCALL_PORT 0x500 /* the VMM's: AL = 0 exits with status BL */

struct tss {
    uint32_t reserved0;
    uint64_t rsp0, rsp1, rsp2;
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type; /* 0x8e: present, DPL 0, interrupt gate; 0xee: DPL 3 */
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
} __attribute__((packed));

struct table_register {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

/* The VMM's selectors again (kernel.h), plus a TSS at 0x38 (two slots). */
static uint64_t gdt[9] = {
    0,
    0x00cf9a000000ffff, /* 0x08 kernel code, 32-bit (unused) */
    0x00af9a000000ffff, /* 0x10 kernel code, 64-bit */
    0x00cf92000000ffff, /* 0x18 kernel data */
    0x00cffa000000ffff, /* 0x20 user code, 32-bit (SYSRET's layout needs it) */
    0x00cff2000000ffff, /* 0x28 user data */
    0x00affa000000ffff, /* 0x30 user code, 64-bit */
};
struct tss tss; /* boot.S reads RSP0 */
static struct idt_gate idt[IDT_VECTORS];
volatile uint64_t ticks;
static char rx_buf[256];
static unsigned rx_head, rx_count;

static void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

void set_kernel_stack(uint64_t top)
{
    tss.rsp0 = top;
}

void cpu_init(void)
{
    uint64_t base = (uint64_t)&tss;
    tss.iomap_base = sizeof(tss); /* no I/O bitmap: ring 3 gets no ports */
    gdt[SEL_TSS / 8] =
        (sizeof(tss) - 1) | (base & 0xffffff) << 16 | 0x89ul << 40 | (base >> 24 & 0xff) << 56;
    gdt[SEL_TSS / 8 + 1] = base >> 32;
    struct table_register gdtr = { sizeof(gdt) - 1, (uint64_t)gdt };
    /* Reload every segment register from the new table; CS needs a far return. */
    __asm__ volatile("lgdt %0\n\t"
                     "pushq %1\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\tmov %2, %%ds\n\t"
                     "mov %2, %%es\n\t"
                     "mov %2, %%ss\n\t"
                     "ltr %w3"
                     :
                     : "m"(gdtr), "i"(SEL_KCODE), "r"(SEL_KDATA), "r"(SEL_TSS)
                     : "rax", "memory");

    for (int v = 0; v < IDT_VECTORS; v++) {
        uint64_t handler = (uint64_t)trap_stubs + v * TRAP_STUB_SIZE;
        idt[v] = (struct idt_gate){
            .offset_low = handler & 0xffff,
            .selector = SEL_KCODE,
            .type = v == 3 ? 0xee : 0x8e, /* int3 is allowed from ring 3 (boot.S) */
            .offset_mid = handler >> 16 & 0xffff,
            .offset_high = handler >> 32,
        };
    }
    struct table_register idtr = { sizeof(idt) - 1, (uint64_t)idt };
    __asm__ volatile("lidt %0" : : "m"(idtr));

    /* SYSCALL: CS = 0x10, SS = 0x18; SYSRET would use 0x20 + 16 and 0x20 + 8 (RPL 3).
     * IF, TF, DF and AC are cleared on entry. EFER.SCE is set by the VMM. */
    wrmsr(MSR_STAR, (uint64_t)SEL_KCODE << 32 | (uint64_t)0x20 << 48);
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    wrmsr(MSR_SFMASK, 0x40700);
}

/* The PIC's IRQs at vectors 0x20-0x2f, only the timer and COM1 unmasked; the PIT
 * at TICK_HZ; COM1 interrupting when a byte arrives. */
void irq_init(void)
{
    static const uint8_t pic_init[][2] = {
        { PIC1, 0x11 },
        { PIC2, 0x11 }, /* ICW1: edge, cascade, ICW4 follows */
        { PIC1 + 1, IRQ_BASE },
        { PIC2 + 1, IRQ_BASE + 8 },
        { PIC1 + 1, 1 << 2 },
        { PIC2 + 1, 2 }, /* slave on IRQ 2 */
        { PIC1 + 1, 0x01 },
        { PIC2 + 1, 0x01 }, /* 8086 mode */
        { PIC1 + 1, (uint8_t) ~(1 << IRQ_TIMER | 1 << IRQ_COM1) },
        { PIC2 + 1, 0xff },
    };
    for (unsigned i = 0; i < sizeof(pic_init) / sizeof(pic_init[0]); i++)
        outb(pic_init[i][0], pic_init[i][1]);
    uint16_t divisor = PIT_HZ / TICK_HZ;
    outb(PIT_MODE, 0x34); /* channel 0, lo/hi byte, rate generator */
    outb(PIT_CH0, divisor & 0xff);
    outb(PIT_CH0, divisor >> 8);
    outb(COM1 + 4, UART_MCR_OUT2);
    outb(COM1 + 1, UART_IER_RDI);
}

void putchar(char ch)
{
    while (!(inb(COM1 + 5) & UART_LSR_THRE))
        ;
    outb(COM1, ch);
}

/* Moves what the UART holds into rx_buf; what does not fit waits in the UART. */
static void uart_receive(void)
{
    while (rx_count < sizeof(rx_buf) && (inb(COM1 + 5) & UART_LSR_DR)) {
        rx_buf[(rx_head + rx_count) % sizeof(rx_buf)] = inb(COM1);
        rx_count++;
    }
}

int console_getc(void)
{
    uart_receive(); /* also catches bytes whose interrupt has not come yet */
    if (rx_count == 0)
        return -1;
    char ch = rx_buf[rx_head];
    rx_head = (rx_head + 1) % sizeof(rx_buf);
    rx_count--;
    return (uint8_t)ch;
}

void handle_irq(int irq)
{
    if (irq == 7 || irq == 15)
        return; /* spurious (the PIC found nothing to deliver): no EOI */
    if (irq == IRQ_TIMER)
        ticks++;
    else if (irq == IRQ_COM1)
        uart_receive();
    if (irq >= 8)
        outb(PIC2, PIC_EOI);
    outb(PIC1, PIC_EOI);
}

void machine_exit(int status)
{
    __asm__ volatile("outb %%al, %%dx" : : "a"(0), "b"(status), "d"(HYPERCALL_PORT));
    outb(0xf4, status); /* the VMM's debug-exit port, should the hypercall be missing */
    for (;;)
        __asm__ volatile("cli; hlt");
}

static const char *const exception_names[32] = {
    "divide error",
    "debug",
    "NMI",
    "breakpoint",
    "overflow",
    "bound range exceeded",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor overrun",
    "invalid TSS",
    "segment not present",
    "stack fault",
    "general protection",
    "page fault",
    "reserved",
    "x87 error",
    "alignment check",
    "machine check",
    "SIMD error",
    "virtualization",
    "control protection",
};

void report_exception(const struct trap_frame *f)
{
    const char *name =
        f->vector < 32 && exception_names[f->vector] ? exception_names[f->vector] : "reserved";
    printf("\n%s (vector %lu) in %s mode: error=%lx rip=%p cr2=%p\n", name, f->vector,
           (f->cs & 3) ? "user" : "kernel", f->error, (void *)f->rip, (void *)read_cr2());
    printf("  rax=%p rbx=%p rcx=%p rdx=%p\n", (void *)f->rax, (void *)f->rbx, (void *)f->rcx,
           (void *)f->rdx);
    printf("  rsi=%p rdi=%p rbp=%p rsp=%p\n", (void *)f->rsi, (void *)f->rdi, (void *)f->rbp,
           (void *)f->rsp);
    printf("  r8 =%p r9 =%p r10=%p r11=%p\n", (void *)f->r8, (void *)f->r9, (void *)f->r10,
           (void *)f->r11);
    printf("  r12=%p r13=%p r14=%p r15=%p\n", (void *)f->r12, (void *)f->r13, (void *)f->r14,
           (void *)f->r15);
    printf("  cs=%lx ss=%lx rflags=%lx\n", f->cs, f->ss, f->rflags);
}
