/* A small 32-bit protected-mode kernel in C, for gdb: a call chain with arguments
 * (kmain -> sum_to -> add), a global that changes (`watch counter`), a function
 * with inc/dec/pusha/popa (shuffle) for disassembly checks, output on COM1 and the
 * exit status (7) through port 0xf4 (entry.S writes kmain's return value there).
 * Built with gcc -m32 -ffreestanding -O0 -g (see the Makefile), no libc. */

#define COM1 0x3f8
#define LSR_THRE 0x20

int counter; /* changed by kmain and shuffle(): the watchpoint target */

static inline void outb(unsigned short port, unsigned char v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline unsigned char inb(unsigned short port)
{
    unsigned char v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

void serial_putc(char c)
{
    while (!(inb(COM1 + 5) & LSR_THRE))
        ;
    outb(COM1, (unsigned char)c);
}

void serial_puts(const char *s)
{
    while (*s)
        serial_putc(*s++);
}

void serial_putu(unsigned int v)
{
    char buf[12];
    int i = 0;
    do {
        buf[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (i > 0)
        serial_putc(buf[--i]);
}

int add(int a, int b)
{
    return a + b;
}

int sum_to(int n)
{
    int s = 0;
    for (int i = 1; i <= n; i++)
        s = add(s, i);
    return s;
}

/* Saves every register, moves counter up by one with inc/inc/dec, restores them. */
void shuffle(void)
{
    __asm__ volatile("pusha\n\t"
                     "incl %0\n\t"
                     "incl %0\n\t"
                     "decl %0\n\t"
                     "popa"
                     : "+m"(counter)
                     :
                     : "memory");
}

int kmain(void)
{
    serial_puts("c32: hello from C\n");
    int total = sum_to(4);
    serial_puts("c32: sum_to(4) = ");
    serial_putu((unsigned int)total);
    serial_putc('\n');
    counter = total;
    shuffle();
    counter = counter + 100;
    serial_puts("c32: counter = ");
    serial_putu((unsigned int)counter);
    serial_putc('\n');
    return 7;
}
