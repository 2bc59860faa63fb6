/* Timed waits on CLOCK_MONOTONIC, shared by the threads that wait with a limit
 * (run timeout, gdb stops, the Linux halt watcher): a wall-clock jump must not
 * stretch or cut a wait. */
#ifndef MINIKVM_CLOCK_H
#define MINIKVM_CLOCK_H

#include <pthread.h>
#include <time.h>

/* A condition variable whose timed waits use CLOCK_MONOTONIC. 0 or -errno. */
int clock_cond_init(pthread_cond_t *c);
/* The CLOCK_MONOTONIC time MS milliseconds from now, for pthread_cond_timedwait. */
void clock_deadline(struct timespec *ts, long ms);

#endif
