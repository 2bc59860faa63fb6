/* Reading a whole file region: read(2) may return less than asked (pipes, signals,
 * large counts), so every loader loops; this is that loop once. KVM-free, in libcore
 * (loader/ uses it too). */
#ifndef MINIKVM_FILEIO_H
#define MINIKVM_FILEIO_H

#include <stddef.h>

/* Reads up to LEN bytes from FD into BUF, going on after short reads and EINTR,
 * stopping early only at end of file. 0 with *got the bytes read, or -errno (a read
 * error; *got is what came before it). */
int fileio_read_full(int fd, void *buf, size_t len, size_t *got);

#endif
