/* COM1: an 8250/16550-compatible UART, enough for polled and interrupt-driven
 * drivers (Linux's 8250 driver included). No FIFO emulation beyond what drivers
 * probe: transmit is instantaneous, so THRE/TEMT are always set. */
#ifndef MINIKVM_UART8250_H
#define MINIKVM_UART8250_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct console;
struct vcpu;
struct vm;

#define UART_COM1_BASE 0x3f8
#define UART_COM1_IRQ 4

struct uart8250 {
    pthread_mutex_t lock;
    struct console *con;
    struct vm *vm; /* for the IRQ line; NULL or no irqchip: polled only */
    uint8_t ier, lcr, mcr, scr, fcr;
    uint8_t dll, dlm;
    bool thr_irq_pending; /* THRE interrupt raised, not yet acknowledged via IIR */
    bool irq_level;
    /* Sees every transmitted byte (vCPU thread, lock held): Linux's panic watch. */
    void (*on_tx)(void *arg, struct vcpu *v, uint8_t ch);
    void *on_tx_arg;
};

int uart8250_init(struct uart8250 *u, struct console *con, struct vm *vm);
/* The pio handler; owner is the uart8250. */
struct io_req;
int uart8250_io(void *owner, struct io_req *req);
/* The console got input: raise the receive interrupt if enabled. */
void uart8250_input_ready(struct uart8250 *u);

#endif
