#include "vmm/devices/i8042.h"

#include "vmm/pio.h"

#define STATUS_OBF 0x01
#define STATUS_SYS 0x04 /* self-test passed */
#define CMD_READ_CONFIG 0x20
#define CMD_WRITE_CONFIG 0x60
#define CMD_SELF_TEST 0xaa
#define CMD_PULSE_RESET 0xfe
#define SELF_TEST_OK 0x55

/* No lock: a kernel drives the controller from one CPU at a time, and a race
 * between two would only garble the reply it reads. */
void i8042_init(struct i8042 *k, void (*reset)(void *arg), void *arg)
{
    *k = (struct i8042){ .reset = reset, .arg = arg, .cmd_byte = 0x30, .out = -1 };
}

static void i8042_command(struct i8042 *k, uint8_t cmd)
{
    switch (cmd) {
    case CMD_READ_CONFIG: k->out = k->cmd_byte; break;
    case CMD_WRITE_CONFIG: k->pending_cmd = cmd; break;
    case CMD_SELF_TEST: k->out = SELF_TEST_OK; break;
    case CMD_PULSE_RESET: k->reset(k->arg); break;
    default: break; /* port enables, LEDs, A20 via output port: no effect */
    }
}

int i8042_io(void *owner, struct io_req *req)
{
    struct i8042 *k = owner;
    if (req->addr == I8042_CMD_PORT) {
        if (req->write)
            i8042_command(k, req->data[0]);
        else
            req->data[0] = STATUS_SYS | (k->out >= 0 ? STATUS_OBF : 0);
    } else if (req->write) {
        if (k->pending_cmd == CMD_WRITE_CONFIG)
            k->cmd_byte = req->data[0];
        k->pending_cmd = 0;
    } else {
        req->data[0] = k->out >= 0 ? (uint8_t)k->out : 0;
        k->out = -1;
    }
    for (unsigned i = 1; i < req->size; i++)
        if (!req->write)
            req->data[i] = 0xff;
    return 0;
}
