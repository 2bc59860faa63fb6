/* int 11h (equipment), int 12h (conventional memory), int 15h (memory map, memory
 * sizes, A20 gate, wait). */
#include <string.h>
#include <time.h>

#include "vmm/bios/bios_priv.h"
#include "vmm/bios/e820.h"
#include "vmm/machine.h"

#define SMAP 0x534d4150u /* "SMAP" */
#define WAIT_MAX_US 1000000u

void sys_equipment(struct bios_call *c)
{
    uint16_t w;
    memcpy(&w, bios_bda(c->m) + BDA_EQUIPMENT, 2);
    set_16(&c->r.rax, w);
}

void sys_mem_size(struct bios_call *c)
{
    set_16(&c->r.rax, BIOS_CONV_KB);
}

/* KVM never masks A20: the gate's state is kept for AX=2402h, memory does not wrap. */
void sys_a20(struct bios_call *c)
{
    struct bios *b = c->b;
    switch (AL(c)) {
    case 0x00:
    case 0x01:
        pthread_mutex_lock(&b->lock);
        b->a20 = AL(c) == 0x01;
        pthread_mutex_unlock(&b->lock);
        set_hi(&c->r.rax, 0);
        break;
    case 0x02:
        pthread_mutex_lock(&b->lock);
        set_lo(&c->r.rax, b->a20);
        pthread_mutex_unlock(&b->lock);
        set_hi(&c->r.rax, 0);
        break;
    case 0x03:
        set_16(&c->r.rbx, 0x0003); /* keyboard controller and port 92h */
        set_hi(&c->r.rax, 0);
        break;
    default: bios_unimplemented(c, 0x86); return;
    }
    c->cf = false;
}

/* Sleeps CX:DX microseconds, at most a second a call: only this vCPU waits. */
void sys_wait(struct bios_call *c)
{
    uint32_t us = (uint32_t)((uint16_t)c->r.rcx << 16 | (uint16_t)c->r.rdx);
    if (us > WAIT_MAX_US)
        us = WAIT_MAX_US;
    struct timespec ts = { us / 1000000u, (long)(us % 1000000u) * 1000 };
    nanosleep(&ts, NULL);
    set_hi(&c->r.rax, 0);
    c->cf = false;
}

static uint64_t ram_above_1m(struct bios_call *c)
{
    uint64_t mem = c->m->vm.mem_size;
    return mem > 0x100000 ? mem - 0x100000 : 0;
}

void sys_ext_mem(struct bios_call *c)
{
    uint64_t kb = ram_above_1m(c) >> 10;
    set_16(&c->r.rax, kb > 0xffff ? 0xffff : (uint16_t)kb);
    c->cf = false;
}

static void e820_next(struct bios_call *c)
{
    struct e820_entry map[E820_MAX];
    int n = e820_build(c->m->vm.mem_size, 0, map);
    uint32_t i = (uint32_t)c->r.rbx, want = (uint32_t)c->r.rcx;
    if ((uint32_t)c->r.rdx != SMAP || i >= (uint32_t)n || want < 20) {
        bios_unimplemented(c, 0x86);
        return;
    }
    /* 24 bytes (with the ACPI 3 attributes) only for callers that ask for them */
    uint32_t size = want >= 24 ? 24 : 20;
    uint8_t *p = bios_mem(c, c->s.es.selector, (uint16_t)c->r.rdi, size);
    if (!p) {
        bios_unimplemented(c, 0x86);
        return;
    }
    uint32_t attr = 1; /* enabled */
    memcpy(p, &map[i].addr, 8);
    memcpy(p + 8, &map[i].size, 8);
    memcpy(p + 16, &map[i].type, 4);
    if (size == 24)
        memcpy(p + 20, &attr, 4);
    set_32(&c->r.rax, SMAP);
    set_32(&c->r.rcx, size);
    set_32(&c->r.rbx, i + 1 < (uint32_t)n ? i + 1 : 0);
    c->cf = false;
}

void sys_e8xx(struct bios_call *c)
{
    if (AL(c) == 0x20) {
        e820_next(c);
        return;
    }
    if (AL(c) != 0x01) {
        bios_unimplemented(c, 0x86);
        return;
    }
    /* E801h: KiB between 1 and 16 MiB, 64 KiB blocks above 16 MiB */
    uint64_t above = ram_above_1m(c);
    uint64_t low_kb = above > (15ull << 20) ? 15 * 1024 : above >> 10;
    uint64_t high = above > (15ull << 20) ? (above - (15ull << 20)) >> 16 : 0;
    if (high > 0xffff)
        high = 0xffff;
    set_16(&c->r.rax, (uint16_t)low_kb);
    set_16(&c->r.rcx, (uint16_t)low_kb);
    set_16(&c->r.rbx, (uint16_t)high);
    set_16(&c->r.rdx, (uint16_t)high);
    c->cf = false;
}
