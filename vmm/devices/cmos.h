/* The PC's CMOS RAM and MC146818 real-time clock at ports 0x70 (index) and 0x71
 * (data): the current time (UTC, BCD, 24-hour), status registers that never show
 * an update in progress, and the memory-size bytes a BIOS would leave. */
#ifndef MINIKVM_CMOS_H
#define MINIKVM_CMOS_H

#include <pthread.h>
#include <stdint.h>

#define CMOS_BASE 0x70
#define CMOS_NPORTS 2

struct cmos {
    pthread_mutex_t lock;
    uint8_t index;
    uint8_t ram[128];
};

/* MEM_SIZE: guest RAM in bytes, for the memory-size registers. */
int cmos_init(struct cmos *c, uint64_t mem_size);
void cmos_destroy(struct cmos *c);
struct io_req;
int cmos_io(void *owner, struct io_req *req);

#endif
