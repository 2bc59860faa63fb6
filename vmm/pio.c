#include "vmm/pio.h"

#include <errno.h>
#include <stddef.h>

int pio_register(struct pio_bus *bus, const struct pio_dev *dev)
{
    if (dev->len == 0 || (uint32_t)dev->base + dev->len > 0x10000)
        return -EINVAL;
    if (bus->ndevs >= PIO_MAX_DEVS)
        return -ENOSPC;
    for (int i = 0; i < bus->ndevs; i++) {
        const struct pio_dev *o = &bus->devs[i];
        if (dev->base < o->base + o->len && o->base < dev->base + dev->len)
            return -EBUSY;
    }
    bus->devs[bus->ndevs++] = *dev;
    return 0;
}

const struct pio_dev *pio_find(const struct pio_bus *bus, uint16_t port)
{
    for (int i = 0; i < bus->ndevs; i++) {
        const struct pio_dev *d = &bus->devs[i];
        if (port >= d->base && port - d->base < d->len)
            return d;
    }
    return NULL;
}
