/* A multiboot kernel in C, as the OS tutorials write one: check the magic, then
 * print what the boot loader passed (name, command line, memory, the memory map,
 * the modules) to the VGA text screen and to the serial port. Returns the exit
 * status boot.S writes to port 0xf4: 0, or 1 when the magic is wrong. */
#include <stdint.h>

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002
#define COM1 0x3f8

struct multiboot_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
    uint32_t drives_length, drives_addr, config_table, boot_loader_name;
};

struct mmap_entry {
    uint32_t size;
    uint64_t addr, len;
    uint32_t type;
} __attribute__((packed));

struct module {
    uint32_t start, end, string, reserved;
};

static volatile uint16_t *const vga = (uint16_t *)0xb8000;
static int row, col;

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static void putc(char c)
{
    while (!(inb(COM1 + 5) & 0x20))
        ;
    outb(COM1, (uint8_t)c);
    if (c == '\n') {
        row++;
        col = 0;
        return;
    }
    if (row < 25 && col < 80)
        vga[row * 80 + col] = (uint16_t)(0x0a00 | (uint8_t)c); /* light green */
    col++;
}

static void puts(const char *s)
{
    while (*s)
        putc(*s++);
}

static void puthex(uint64_t v)
{
    char buf[19] = "0x";
    int n = 0;
    uint64_t t = v;
    do {
        n++;
        t >>= 4;
    } while (t);
    for (int i = 0; i < n; i++)
        buf[2 + n - 1 - i] = "0123456789abcdef"[(v >> (4 * i)) & 0xf];
    buf[2 + n] = '\0';
    puts(buf);
}

static void putdec(uint32_t v)
{
    char buf[11];
    int i = 10;
    buf[i] = '\0';
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    puts(buf + i);
}

int kmain(uint32_t magic, struct multiboot_info *mbi)
{
    for (int i = 0; i < 80 * 25; i++)
        vga[i] = 0x0720;
    if (magic != MULTIBOOT_BOOTLOADER_MAGIC) {
        puts("bad multiboot magic ");
        puthex(magic);
        putc('\n');
        return 1;
    }
    puts("multiboot: magic ok, flags ");
    puthex(mbi->flags);
    putc('\n');
    if (mbi->flags & (1 << 9)) {
        puts("loader: ");
        puts((const char *)mbi->boot_loader_name);
        putc('\n');
    }
    if (mbi->flags & (1 << 2)) {
        puts("cmdline: ");
        puts((const char *)mbi->cmdline);
        putc('\n');
    }
    if (mbi->flags & 1) {
        puts("mem_lower ");
        putdec(mbi->mem_lower);
        puts(" KiB, mem_upper ");
        putdec(mbi->mem_upper);
        puts(" KiB\n");
    }
    if (mbi->flags & (1 << 6)) {
        uint32_t p = mbi->mmap_addr;
        while (p < mbi->mmap_addr + mbi->mmap_length) {
            const struct mmap_entry *e = (const struct mmap_entry *)p;
            puts("mmap: ");
            puthex(e->addr);
            puts(" len ");
            puthex(e->len);
            puts(" type ");
            putdec(e->type);
            putc('\n');
            p += e->size + 4;
        }
    }
    if (mbi->flags & (1 << 3)) {
        const struct module *m = (const struct module *)mbi->mods_addr;
        for (uint32_t i = 0; i < mbi->mods_count; i++) {
            puts("module: ");
            puts((const char *)m[i].string);
            puts(", ");
            putdec(m[i].end - m[i].start);
            puts(" bytes at ");
            puthex(m[i].start);
            puts((m[i].start & 0xfff) ? " (unaligned)" : " (page-aligned)");
            puts(": ");
            const char *d = (const char *)m[i].start;
            for (uint32_t k = 0; k < m[i].end - m[i].start && d[k] != '\n'; k++)
                putc(d[k]);
            putc('\n');
        }
    }
    puts("kernel: done\n");
    return 0;
}
