/* Small helpers every module may use (gdbstub/ and loader/ too): no KVM, no state. */
#ifndef MINIKVM_UTIL_H
#define MINIKVM_UTIL_H

#include <stddef.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Reads up to LEN bytes from FD into BUF, going on after short reads and EINTR
 * (read(2) may return less than asked), stopping early only at end of file. 0 with
 * *got the bytes read, or -errno (a read error; *got is what came before it).
 * vmm/util.c, in libcore. */
int util_read_full(int fd, void *buf, size_t len, size_t *got);

#endif
