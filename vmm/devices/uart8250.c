#include "vmm/devices/uart8250.h"

#include <string.h>

#include "vmm/console.h"
#include "vmm/pio.h"
#include "vmm/vcpu.h"
#include "vmm/vm.h"

enum {
    REG_RBR_THR = 0,
    REG_IER = 1,
    REG_IIR_FCR = 2,
    REG_LCR = 3,
    REG_MCR = 4,
    REG_LSR = 5,
    REG_MSR = 6,
    REG_SCR = 7,
};
#define LCR_DLAB 0x80
#define IER_RDI 0x01
#define IER_THRI 0x02
#define IIR_NONE 0x01
#define IIR_THRI 0x02
#define IIR_RDI 0x04
#define IIR_FIFO 0xc0
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define MCR_LOOP 0x10
#define MCR_OUT2 0x08
#define MSR_DCD_DSR_CTS 0xb0

int uart8250_init(struct uart8250 *u, struct console *con, struct vm *vm)
{
    memset(u, 0, sizeof(*u));
    u->con = con;
    u->vm = vm;
    return -pthread_mutex_init(&u->lock, NULL);
}

/* The pending interrupt with the highest priority, as IIR reports it. */
static uint8_t uart_iir(struct uart8250 *u)
{
    if ((u->ier & IER_RDI) && console_has_input(u->con))
        return IIR_RDI;
    if ((u->ier & IER_THRI) && u->thr_irq_pending)
        return IIR_THRI;
    return IIR_NONE;
}

/* Called with u->lock held: drive IRQ 4 from the interrupt state. Edge-triggered on
 * the PIC, so the line is lowered and raised again for each new event. */
static void uart_update_irq(struct uart8250 *u)
{
    if (!u->vm || !u->vm->irqchip)
        return;
    bool level = uart_iir(u) != IIR_NONE;
    if (level == u->irq_level && !level)
        return;
    if (u->irq_level)
        vm_irq_line(u->vm, UART_COM1_IRQ, 0);
    if (level)
        vm_irq_line(u->vm, UART_COM1_IRQ, 1);
    u->irq_level = level;
}

static uint8_t uart_read(struct uart8250 *u, unsigned reg)
{
    switch (reg) {
    case REG_RBR_THR: {
        if (u->lcr & LCR_DLAB)
            return u->dll;
        int ch = console_getc(u->con);
        uart_update_irq(u);
        return ch < 0 ? 0 : (uint8_t)ch;
    }
    case REG_IER: return (u->lcr & LCR_DLAB) ? u->dlm : u->ier;
    case REG_IIR_FCR: {
        uint8_t iir = uart_iir(u);
        if (iir == IIR_THRI)
            u->thr_irq_pending = false; /* reading IIR acknowledges THRE */
        uart_update_irq(u);
        return iir | ((u->fcr & 1) ? IIR_FIFO : 0);
    }
    case REG_LCR: return u->lcr;
    case REG_MCR: return u->mcr;
    case REG_LSR: return LSR_THRE | LSR_TEMT | (console_has_input(u->con) ? LSR_DR : 0);
    case REG_MSR:
        /* In loopback, Linux's probe expects the modem lines to mirror MCR. */
        if (u->mcr & MCR_LOOP)
            return (uint8_t)(((u->mcr & 0x0c) << 4) | ((u->mcr & 0x01) << 5) |
                             ((u->mcr & 0x02) << 3));
        return MSR_DCD_DSR_CTS;
    default: return u->scr;
    }
}

static void uart_write(struct uart8250 *u, unsigned reg, uint8_t val, struct vcpu *v)
{
    switch (reg) {
    case REG_RBR_THR:
        if (u->lcr & LCR_DLAB) {
            u->dll = val;
            return;
        }
        if (!(u->mcr & MCR_LOOP)) {
            console_putc(u->con, v ? v->id : 0, val);
            if (u->on_tx)
                u->on_tx(u->on_tx_arg, v, val);
        }
        u->thr_irq_pending = true;
        break;
    case REG_IER:
        if (u->lcr & LCR_DLAB) {
            u->dlm = val;
            return;
        }
        /* Enabling THRI with an empty transmitter interrupts at once, as on hardware. */
        if ((val & IER_THRI) && !(u->ier & IER_THRI))
            u->thr_irq_pending = true;
        u->ier = val & 0x0f;
        break;
    case REG_IIR_FCR: u->fcr = val; break;
    case REG_LCR: u->lcr = val; break;
    case REG_MCR: u->mcr = val & 0x1f; break;
    case REG_SCR: u->scr = val; break;
    default: break; /* LSR and MSR are read-only */
    }
    uart_update_irq(u);
}

int uart8250_io(void *owner, struct io_req *req)
{
    struct uart8250 *u = owner;
    unsigned reg = (unsigned)(req->addr - UART_COM1_BASE);
    pthread_mutex_lock(&u->lock);
    /* Drivers use byte access; a wider access touches consecutive registers. */
    for (unsigned i = 0; i < req->size && reg + i < 8; i++) {
        if (req->write)
            uart_write(u, reg + i, req->data[i], req->vcpu);
        else
            req->data[i] = uart_read(u, reg + i);
    }
    pthread_mutex_unlock(&u->lock);
    return 0;
}

void uart8250_input_ready(struct uart8250 *u)
{
    pthread_mutex_lock(&u->lock);
    uart_update_irq(u);
    pthread_mutex_unlock(&u->lock);
}
