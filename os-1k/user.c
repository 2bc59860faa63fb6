/* The user side of the system calls, and the image's entry point. */
#include "user.h"

/* SYSCALL itself clobbers RCX (return rip) and R11 (rflags); the kernel's entry
 * also uses R10 as scratch (boot.S). */
static int64_t syscall(int64_t n, int64_t a0, int64_t a1, int64_t a2)
{
    int64_t ret;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(n), "D"(a0), "S"(a1), "d"(a2)
                     : "rcx", "r10", "r11", "memory");
    return ret;
}

void putchar(char ch)
{
    syscall(SYS_PUTCHAR, ch, 0, 0);
}
int getchar(void)
{
    return syscall(SYS_GETCHAR, 0, 0, 0);
}
void yield(void)
{
    syscall(SYS_YIELD, 0, 0, 0);
}
uint64_t uptime(void)
{
    return syscall(SYS_UPTIME, 0, 0, 0);
}
int spawn(int prog)
{
    return syscall(SYS_SPAWN, prog, 0, 0);
}

int readfile(const char *name, char *buf, int len)
{
    return syscall(SYS_READFILE, (int64_t)name, (int64_t)buf, len);
}

int writefile(const char *name, const char *buf, int len)
{
    return syscall(SYS_WRITEFILE, (int64_t)name, (int64_t)buf, len);
}

int listfile(int index, char *name, int len)
{
    return syscall(SYS_LISTFILE, index, (int64_t)name, len);
}

void exit(int status)
{
    syscall(SYS_EXIT, status, 0, 0);
    for (;;)
        ;
}

/* The kernel enters here, at USER_BASE, with the program number in rdi. */
__attribute__((section(".text.start"), noreturn)) void start(int prog)
{
    exit(program_main(prog));
}
