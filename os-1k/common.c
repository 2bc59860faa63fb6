/* libc-like helpers for both the kernel and the user programs. */
#include "common.h"

/* Ring-0 code is emulated one instruction at a time on some hosts, and a rep'd
 * string instruction costs about one instruction per iteration: so fill and copy
 * eight bytes an iteration where the sizes allow. */
void *memset(void *buf, int c, size_t n)
{
    uint64_t pattern = (uint8_t)c * 0x0101010101010101ul;
    void *d = buf;
    size_t q = n / 8, r = n % 8;
    __asm__ volatile("rep stosq" : "+D"(d), "+c"(q) : "a"(pattern) : "memory");
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(r) : "a"(pattern) : "memory");
    return buf;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    void *d = dst;
    size_t q = n / 8, r = n % 8;
    __asm__ volatile("rep movsq" : "+D"(d), "+S"(src), "+c"(q) : : "memory");
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(r) : : "memory");
    return dst;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int strcmp(const char *s1, const char *s2)
{
    while (*s1 && *s1 == *s2) {
        s1++;
        s2++;
    }
    return *(const uint8_t *)s1 - *(const uint8_t *)s2;
}

int strncmp(const char *s1, const char *s2, size_t n)
{
    for (; n; n--, s1++, s2++)
        if (*s1 != *s2 || !*s1)
            return *(const uint8_t *)s1 - *(const uint8_t *)s2;
    return 0;
}

static void print_unsigned(uint64_t v, unsigned base, int min_digits)
{
    char buf[20];
    int n = 0;
    do {
        buf[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v || n < min_digits);
    while (n)
        putchar(buf[--n]);
}

/* %c %s %d %u %x, with an optional l for 64 bits, and %p (16 hex digits). */
void printf(const char *fmt, ...)
{
    va_list vargs;
    va_start(vargs, fmt);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            putchar(*fmt);
            continue;
        }
        bool wide = fmt[1] == 'l';
        if (wide)
            fmt++;
        switch (*++fmt) {
        case '\0': va_end(vargs); return;
        case 'c': putchar((char)va_arg(vargs, int)); break;
        case 's': {
            const char *s = va_arg(vargs, const char *);
            while (*s)
                putchar(*s++);
            break;
        }
        case 'd': {
            int64_t v = wide ? va_arg(vargs, int64_t) : va_arg(vargs, int);
            if (v < 0)
                putchar('-');
            print_unsigned(v < 0 ? -(uint64_t)v : (uint64_t)v, 10, 1);
            break;
        }
        case 'u':
        case 'x': {
            uint64_t v = wide ? va_arg(vargs, uint64_t) : va_arg(vargs, unsigned);
            print_unsigned(v, *fmt == 'u' ? 10 : 16, 1);
            break;
        }
        case 'p': print_unsigned((uint64_t)va_arg(vargs, void *), 16, 16); break;
        default: putchar(*fmt); break;
        }
    }
    va_end(vargs);
}
