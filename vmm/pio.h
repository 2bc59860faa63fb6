/* Port-I/O bus: devices claim [base, base+len); everything else reads as all-ones
 * and is counted, which is how real ISA hardware with nothing behind a port looks. */
#ifndef MINIKVM_PIO_H
#define MINIKVM_PIO_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

struct io_req {
    uint64_t addr; /* port number, or gpa for MMIO */
    uint8_t size;  /* 1, 2, 4 (8 for MMIO) */
    bool write;
    uint8_t *data;     /* size bytes, little endian; a read fills it */
    struct vcpu *vcpu; /* who did it: devices that need registers (hypercalls) */
};

struct pio_dev {
    const char *name;
    uint16_t base;
    uint16_t len;
    void *owner;
    /* 0, or -errno: the vCPU stops with an error naming the device. */
    int (*io)(void *owner, struct io_req *req);
};

#define PIO_MAX_DEVS 16

struct pio_bus {
    int ndevs;
    struct pio_dev devs[PIO_MAX_DEVS];
};

int pio_register(struct pio_bus *bus, const struct pio_dev *dev);
const struct pio_dev *pio_find(const struct pio_bus *bus, uint16_t port);

#endif
