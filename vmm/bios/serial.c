/* int 14h: COM1 (DX = 0) as the console, like the UART at 3F8h. */
#include "vmm/bios/bios_priv.h"
#include "vmm/machine.h"

#define LSR_READY 0x60 /* transmitter empty */
#define LSR_DATA 0x01
#define LSR_TIMEOUT 0x80
#define MSR_IDLE 0xb0 /* carrier, data set ready, clear to send */

static bool com1(struct bios_call *c)
{
    if ((uint16_t)c->r.rdx == 0)
        return true;
    set_hi(&c->r.rax, LSR_TIMEOUT); /* no such port */
    return false;
}

static uint8_t line_status(struct bios_call *c)
{
    return LSR_READY | (console_has_input(&c->m->con) ? LSR_DATA : 0);
}

void ser_init(struct bios_call *c)
{
    if (!com1(c))
        return;
    set_hi(&c->r.rax, line_status(c));
    set_lo(&c->r.rax, MSR_IDLE);
}

void ser_send(struct bios_call *c)
{
    if (!com1(c))
        return;
    console_putc(&c->m->con, c->v->id, AL(c));
    set_hi(&c->r.rax, line_status(c));
}

void ser_receive(struct bios_call *c)
{
    if (!com1(c))
        return;
    int ch = console_getc(&c->m->con);
    if (ch < 0) {
        set_hi(&c->r.rax, LSR_READY | LSR_TIMEOUT);
        return;
    }
    set_lo(&c->r.rax, (uint8_t)ch);
    set_hi(&c->r.rax, LSR_READY);
}

void ser_status(struct bios_call *c)
{
    ser_init(c);
}
