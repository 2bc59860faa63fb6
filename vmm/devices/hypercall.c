#include "vmm/devices/hypercall.h"

#include <errno.h>
#include <stdio.h>

#include "vmm/machine.h"

struct hc_ctx {
    struct machine *m;
    struct vcpu *v;
    uint64_t arg;  /* BX/EBX/RBX, truncated to the mode's width */
    uint64_t ones; /* all-ones in the mode's width: the "-1" of getchar */
    uint64_t ret;
    bool has_ret;
};

/* Ends this guest; in a parallel run the others go on (machine_vcpu_done). */
static void vcpu_finish(struct vcpu *v, int status)
{
    v->finished = true;
    v->exit_status = status;
}

static void hc_exit(struct hc_ctx *c)
{
    vcpu_finish(c->v, (int)(c->arg & 0xff));
}

static void hc_putchar(struct hc_ctx *c)
{
    console_putc(&c->m->con, c->v->id, (uint8_t)c->arg);
}

static void hc_putnum(struct hc_ctx *c)
{
    char buf[24];
    int n = snprintf(buf, sizeof(buf), "%llu", (unsigned long long)c->arg);
    for (int i = 0; i < n; i++)
        console_putc(&c->m->con, c->v->id, (uint8_t)buf[i]);
}

static void hc_newline(struct hc_ctx *c)
{
    console_putc(&c->m->con, c->v->id, '\n');
}

static void hc_getchar(struct hc_ctx *c)
{
    int ch = console_getc(&c->m->con);
    c->ret = ch < 0 ? c->ones : (uint64_t)ch;
    c->has_ret = true;
}

static void (*const hc_table[HC_COUNT])(struct hc_ctx *) = {
    [HC_EXIT] = hc_exit,       [HC_PUTCHAR] = hc_putchar, [HC_PUTNUM] = hc_putnum,
    [HC_NEWLINE] = hc_newline, [HC_GETCHAR] = hc_getchar,
};

int hypercall_io(void *owner, struct io_req *req)
{
    struct machine *m = owner;
    if (!req->write) {
        req->data[0] = 0xff; /* reading the port is not part of the ABI */
        return 0;
    }
    uint8_t fn = req->data[0];
    if (fn >= HC_COUNT) {
        exit_stats_unknown(&m->stats, HYPERCALL_PORT, false);
        return 0;
    }
    struct kvm_regs r;
    struct kvm_sregs s;
    int rc = vcpu_get_state(req->vcpu, &r, &s);
    if (rc < 0)
        return rc;
    int width = vcpu_mode_width(vcpu_mode_of(&s));
    uint64_t mask = width == 8 ? ~0ull : (1ull << (width * 8)) - 1;
    struct hc_ctx c = { .m = m, .v = req->vcpu, .arg = r.rbx & mask, .ones = mask };
    hc_table[fn](&c);
    if (c.has_ret) {
        r.rax = (r.rax & ~mask) | (c.ret & mask);
        return vcpu_set_regs(req->vcpu, &r);
    }
    return 0;
}

int exitport_io(void *owner, struct io_req *req)
{
    if (req->write)
        vcpu_finish(req->vcpu, req->data[0]);
    else
        req->data[0] = 0xff;
    return 0;
}
