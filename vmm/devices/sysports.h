/* The PC's odd system ports a kernel touches while booting: 0x61 (speaker gate and
 * the refresh toggle that delay loops watch; KVM's in-kernel PIT usually answers
 * it first), 0x80 (POST code, used as an I/O delay), 0x92 (system control A: bit 0
 * resets, bit 1 is A20) and 0xcf9 (reset control). A reset ends the run. */
#ifndef MINIKVM_SYSPORTS_H
#define MINIKVM_SYSPORTS_H

#include <stdint.h>

struct sysports {
    void (*reset)(void *arg);
    void *arg;
    uint8_t port61;
    uint8_t port92;
    uint8_t cf9;
};

void sysports_init(struct sysports *s, void (*reset)(void *arg), void *arg);
struct io_req;
int sysports_io(void *owner, struct io_req *req);

/* The ports, for registration: one bus entry each. */
extern const uint16_t sysports_ports[];
extern const unsigned sysports_nports;

#endif
