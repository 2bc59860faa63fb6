/* Kernel panics end the run. Linux has no panic device without ACPI or PCI, but
 * its panic message is a stable console line ("Kernel panic - not syncing: ...")
 * that passes through our UART. The VMM watches the transmitted lines for it:
 *  - headless: the kernel is told panic=-1 (cmdline.c), so it resets at once and
 *    linux_reset ends the run with VMM_STATUS_GUEST_PANIC; a kernel that does not
 *    reset (the user's own panic=0) is ended by the halt watcher after a grace
 *    period for the rest of the report;
 *  - under a connected gdb: the vCPU that printed the line stops with SIGABRT
 *    while it is still inside panic(), so `bt` shows how it got there; `continue`
 *    lets the kernel reset, which ends the run with the same status. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "vmm/debug/debug.h"
#include "vmm/linux/linux_priv.h"
#include "vmm/machine.h"

#define PANIC_TEXT "Kernel panic - not syncing"
#define GDB_SIGABRT 6

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* The UART's transmit hook: vCPU thread, with the UART's lock held (which is what
 * serialises the line buffer between vCPUs). */
void linux_panic_tx(void *arg, struct vcpu *v, uint8_t ch)
{
    struct linux_machine *lx = arg;
    if (ch != '\n') {
        if (ch != '\r' && lx->tx_len < sizeof(lx->tx_line) - 1)
            lx->tx_line[lx->tx_len++] = (char)ch;
        return;
    }
    lx->tx_line[lx->tx_len] = '\0';
    lx->tx_len = 0;
    const char *p = strstr(lx->tx_line, PANIC_TEXT);
    if (!p || atomic_load(&lx->panicked))
        return;
    snprintf(lx->panic_msg, sizeof(lx->panic_msg), "%s", p);
    lx->panic_ms = now_ms();
    atomic_store(&lx->panicked, true);
    struct machine *m = lx->m;
    fprintf(stderr, "\nvmm: linux: vcpu %d: %s\n", v ? v->id : 0, lx->panic_msg);
    if (m->dbg && v && debug_guest_stop(m->dbg, v, GDB_SIGABRT))
        fprintf(stderr, "vmm: linux: stopped for gdb inside panic() (SIGABRT); continue "
                        "lets the kernel reset, which ends the run\n");
}

bool linux_panic_overdue(struct linux_machine *lx)
{
    return atomic_load(&lx->panicked) && now_ms() - lx->panic_ms >= LINUX_PANIC_GRACE_MS;
}

void linux_panic_end(struct linux_machine *lx, const char *how)
{
    fprintf(stderr, "\nvmm: linux: the kernel panicked (%s); %s, ending the run with status %d\n",
            lx->panic_msg, how, VMM_STATUS_GUEST_PANIC);
    machine_stop(lx->m, VMM_STATUS_GUEST_PANIC);
}
