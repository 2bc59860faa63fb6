/* What the kernel and the user programs share: types, the system-call numbers,
 * and a few libc-like helpers (common.c). Each side provides its own putchar. */
#pragma once

typedef unsigned char uint8_t;
typedef unsigned short uint16_t;
typedef unsigned int uint32_t;
typedef unsigned long uint64_t;
typedef long int64_t;
typedef uint64_t size_t;
typedef uint64_t uintptr_t;
typedef _Bool bool;
#define true 1
#define false 0
#define NULL ((void *)0)

#define va_list __builtin_va_list
#define va_start __builtin_va_start
#define va_end __builtin_va_end
#define va_arg __builtin_va_arg

#define offsetof(type, member) __builtin_offsetof(type, member)
#define ALIGN_UP(value, align) (((value) + (align)-1) & ~((uint64_t)(align)-1))

/* System calls: number in rax, arguments in rdi, rsi, rdx, result in rax. */
#define SYS_PUTCHAR 1   /* (ch) */
#define SYS_GETCHAR 2   /* () -> byte; waits for input */
#define SYS_EXIT 3      /* (status), never returns */
#define SYS_READFILE 4  /* (name, buf, len) -> bytes read, or -1 */
#define SYS_WRITEFILE 5 /* (name, buf, len) -> bytes written, or -1 */
#define SYS_YIELD 6     /* () */
#define SYS_UPTIME 7    /* () -> timer ticks since boot (TICK_HZ a second) */
#define SYS_LISTFILE 8  /* (index, name buf, len) -> size of file INDEX, or -1 past the end */
#define SYS_SPAWN 9     /* (program) -> its exit status, -1 if killed; waits for it */

#define TICK_HZ 100
#define FILE_NAME_MAX 100 /* the ustar name field */

/* Programs in the user image, selected by the argument its entry gets. */
#define PROG_SHELL 0
#define PROG_CRASH_KERNEL_READ 1
#define PROG_CRASH_PRIVILEGED 2

void *memset(void *buf, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
size_t strlen(const char *s);
int strcmp(const char *s1, const char *s2);
int strncmp(const char *s1, const char *s2, size_t n);
void putchar(char ch);
void printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
