/* The PS/2 controller at ports 0x60/0x64, only as far as a kernel needs it with no
 * keyboard: status reads "empty", and command 0xFE (pulse the reset line) resets the
 * machine, which here ends the run (Linux's default reboot method). */
#ifndef MINIKVM_I8042_H
#define MINIKVM_I8042_H

#include <stdint.h>

#define I8042_DATA_PORT 0x60
#define I8042_CMD_PORT 0x64

struct i8042 {
    void (*reset)(void *arg); /* the guest asked for a reset */
    void *arg;
    uint8_t cmd_byte;    /* controller configuration byte (commands 0x20/0x60) */
    uint8_t pending_cmd; /* a command waiting for its data byte at 0x60 */
    int out;             /* byte waiting at 0x60, or -1 */
};

void i8042_init(struct i8042 *k, void (*reset)(void *arg), void *arg);
struct io_req;
int i8042_io(void *owner, struct io_req *req);

#endif
