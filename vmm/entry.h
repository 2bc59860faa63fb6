/* Entry CPU state per mode, and the descriptor tables and page tables the VMM builds
 * for guests that start in protected or long mode. */
#ifndef MINIKVM_ENTRY_H
#define MINIKVM_ENTRY_H

#include <stdint.h>

#include "loader/boot_plan.h"

struct vm;

/* Where one guest lives in guest-physical memory. Real-mode windows are 64 KiB
 * aligned below 640 KiB so that a segment base reaches them; others are 2 MiB
 * aligned so that 2 MiB pages can map them. */
struct window {
    uint64_t base;
    uint64_t size;
};

/* The VMM's GDT selectors; SYSCALL/SYSRET need KCODE64,KDATA and UCODE32,UDATA,UCODE64
 * to be consecutive in that order. */
enum {
    SEL_KCODE32 = 0x08,
    SEL_KCODE64 = 0x10,
    SEL_KDATA = 0x18,
    SEL_UCODE32 = 0x20,
    SEL_UDATA = 0x28,
    SEL_UCODE64 = 0x30,
};

/* The top of a protected/long window holds what the VMM builds: GDT, TSS, page tables. */
#define SYSAREA_SIZE 0x10000ull
#define SYSAREA_GDT 0x0000
#define SYSAREA_TSS 0x0100
#define SYSAREA_PML4 0x1000
#define SYSAREA_PDPT 0x2000
#define SYSAREA_PD 0x3000 /* 4 pages: up to 4 GiB in 2 MiB pages */
#define SYSAREA_PD_COUNT 4

int entry_setup_vcpu(int vcpu_fd, const struct boot_plan *plan, const struct window *win);

/* Firmware-like LAPIC state (LINT0 = ExtINT, LINT1 = NMI); with an irqchip only. */
int entry_setup_lapic(int vcpu_fd);

/* Builds the VMM's GDT and page tables in the window's system area (long/protected). */
int entry_build_tables(struct vm *vm, const struct window *win, enum cpu_mode mode);

#endif
