#include "vmm/devices/sysports.h"

#include "vmm/pio.h"
#include "vmm/util.h"

#define PORT61_REFRESH 0x10 /* toggles on each read, as DRAM refresh would */
#define PORT92_RESET 0x01
#define PORT92_A20 0x02
#define CF9_RESET 0x04 /* with bit 1 (hard) or alone: reset the CPU */

const uint16_t sysports_ports[] = { 0x61, 0x80, 0x92, 0xcf9 };
const unsigned sysports_nports = ARRAY_SIZE(sysports_ports);

void sysports_init(struct sysports *s, void (*reset)(void *arg), void *arg)
{
    *s = (struct sysports){ .reset = reset, .arg = arg, .port92 = PORT92_A20 };
}

static uint8_t sysports_read(struct sysports *s, uint16_t port)
{
    switch (port) {
    case 0x61: s->port61 ^= PORT61_REFRESH; return s->port61;
    case 0x92: return s->port92;
    case 0xcf9: return s->cf9;
    default: return 0xff;
    }
}

static void sysports_write(struct sysports *s, uint16_t port, uint8_t val)
{
    switch (port) {
    case 0x61: s->port61 = (uint8_t)((s->port61 & PORT61_REFRESH) | (val & 0x0f)); break;
    case 0x92:
        /* A20 stays enabled: guest RAM has no wrap-around at 1 MiB */
        s->port92 = (uint8_t)((val & ~PORT92_RESET) | PORT92_A20);
        if (val & PORT92_RESET)
            s->reset(s->arg);
        break;
    case 0xcf9:
        s->cf9 = val & 0x0a;
        if (val & CF9_RESET)
            s->reset(s->arg);
        break;
    default: break; /* 0x80: POST codes go nowhere */
    }
}

int sysports_io(void *owner, struct io_req *req)
{
    struct sysports *s = owner;
    uint16_t port = (uint16_t)req->addr;
    if (req->write)
        sysports_write(s, port, req->data[0]);
    else
        req->data[0] = sysports_read(s, port);
    for (unsigned i = 1; i < req->size; i++)
        if (!req->write)
            req->data[i] = 0xff;
    return 0;
}
