/* Registers (g G p P) and memory (m M X). The target only ever sees the whole
 * register block and bounded, overflow-checked memory ranges. */
#include "gdbstub/rsp_priv.h"

#include <errno.h>
#include <string.h>

#define PAGE 4096u

/* The target's canonical block into ss->canon, and its layout view into ss->regs. */
static int regs_load(struct rsp_session *ss, int cpu)
{
    int rc = rsp_read_canon(ss, cpu);

    if (!rc)
        x86_layout_from_canon(rsp_layout(ss), ss->canon, ss->regs);
    return rc;
}

static int canon_store(struct rsp_session *ss, int cpu)
{
    if (!ss->ops->write_regs)
        return -EOPNOTSUPP;
    return ss->ops->write_regs(ss->target, cpu, ss->canon, sizeof(ss->canon));
}

enum rsp_action rsp_h_read_regs(struct rsp_session *ss, const char *a, const char *end,
                                struct strbuf *reply)
{
    int rc = regs_load(ss, rsp_cpu(ss, ss->g_cpu));

    if (rc)
        rsp_error(reply, rc);
    else
        strbuf_hex(reply, ss->regs, rsp_layout(ss)->size);
    return RSP_ACT_REPLY;
}

/* The layout's registers over the current canonical block: what the layout does not
 * show (the upper halves under i386, r8-r15) keeps its value. */
enum rsp_action rsp_h_write_regs(struct rsp_session *ss, const char *a, const char *end,
                                 struct strbuf *reply)
{
    const struct x86_layout *l = rsp_layout(ss);
    int cpu = rsp_cpu(ss, ss->g_cpu);
    int rc = rsp_hex_decode(a, (size_t)(end - a), ss->regs, l->size);

    rc = rc ? rc : rsp_read_canon(ss, cpu);
    if (!rc) {
        x86_layout_to_canon(l, ss->regs, ss->canon);
        rc = canon_store(ss, cpu);
    }
    if (rc)
        rsp_error(reply, rc);
    else
        strbuf_puts(reply, "OK");
    return RSP_ACT_REPLY;
}

/* "p NN" and the NN of "P NN=...": a register number of the session's layout. */
static int parse_regno(struct rsp_session *ss, const char **a, const char *end, int *regno)
{
    uint64_t n;

    if (rsp_parse_hex(a, end, &n) || n >= (uint64_t)rsp_layout(ss)->nregs)
        return -EINVAL;
    *regno = (int)n;
    return 0;
}

enum rsp_action rsp_h_read_reg(struct rsp_session *ss, const char *a, const char *end,
                               struct strbuf *reply)
{
    const struct x86_layout *l = rsp_layout(ss);
    int regno = 0, rc;

    rc = parse_regno(ss, &a, end, &regno);
    rc = rc ? rc : a != end ? -EINVAL : 0;
    rc = rc ? rc : regs_load(ss, rsp_cpu(ss, ss->g_cpu));
    if (rc)
        rsp_error(reply, rc);
    else
        strbuf_hex(reply, ss->regs + l->regs[regno].offset, l->regs[regno].bitsize / 8);
    return RSP_ACT_REPLY;
}

/* Read-modify-write of the whole block: the target has one write hook only. */
enum rsp_action rsp_h_write_reg(struct rsp_session *ss, const char *a, const char *end,
                                struct strbuf *reply)
{
    const struct x86_layout *l = rsp_layout(ss);
    uint8_t value[16];
    int regno = 0, cpu = rsp_cpu(ss, ss->g_cpu), rc;

    rc = parse_regno(ss, &a, end, &regno);
    rc = rc ? rc : rsp_expect(&a, end, '=');
    rc = rc ? rc : rsp_hex_decode(a, (size_t)(end - a), value, l->regs[regno].bitsize / 8);
    rc = rc ? rc : rsp_read_canon(ss, cpu);
    if (!rc) {
        x86_layout_reg_to_canon(l, regno, value, ss->canon);
        rc = canon_store(ss, cpu);
    }
    if (rc)
        rsp_error(reply, rc);
    else
        strbuf_puts(reply, "OK");
    return RSP_ACT_REPLY;
}

/* "ADDR,LEN" then the expected terminator (':' for writes, end for reads). */
static int parse_range(const char **a, const char *end, uint64_t *addr, uint64_t *len)
{
    if (rsp_parse_hex(a, end, addr) || rsp_expect(a, end, ',') || rsp_parse_hex(a, end, len))
        return -EINVAL;
    return 0;
}

/* Reads page by page so that a read running into an unmapped page still returns
 * the mapped part before it, which is what gdb wants at the edge of memory. */
enum rsp_action rsp_h_read_mem(struct rsp_session *ss, const char *a, const char *end,
                               struct strbuf *reply)
{
    uint64_t addr, len;
    size_t done = 0;
    int cpu = rsp_cpu(ss, ss->g_cpu), rc = 0;

    if (parse_range(&a, end, &addr, &len) || a != end) {
        rsp_error(reply, -EINVAL);
        return RSP_ACT_REPLY;
    }
    /* Fewer bytes than asked is a valid answer: clamp to what one reply holds
     * and to the top of the address space. */
    if (len > RSP_MEM_CHUNK)
        len = RSP_MEM_CHUNK;
    if (addr != 0 && len > -addr)
        len = -addr;
    if (!ss->ops->read_mem)
        rc = -EOPNOTSUPP;
    while (!rc && done < len) {
        uint64_t at = addr + done;
        size_t chunk = PAGE - (size_t)(at & (PAGE - 1));

        if (chunk > len - done)
            chunk = (size_t)(len - done);
        rc = ss->ops->read_mem(ss->target, cpu, at, ss->mem + done, chunk);
        if (!rc)
            done += chunk;
    }
    if (done == 0 && rc)
        rsp_error(reply, rc);
    else
        strbuf_hex(reply, ss->mem, done);
    return RSP_ACT_REPLY;
}

static void write_mem(struct rsp_session *ss, uint64_t addr, const uint8_t *data, size_t len,
                      struct strbuf *reply)
{
    int rc = 0;

    if (len && addr != 0 && len > -addr)
        rc = -EFAULT; /* would wrap past the top of the address space */
    else if (len && !ss->ops->write_mem)
        rc = -EOPNOTSUPP;
    else if (len)
        rc = ss->ops->write_mem(ss->target, rsp_cpu(ss, ss->g_cpu), addr, data, len);
    if (rc)
        rsp_error(reply, rc);
    else
        strbuf_puts(reply, "OK");
}

enum rsp_action rsp_h_write_mem_hex(struct rsp_session *ss, const char *a, const char *end,
                                    struct strbuf *reply)
{
    uint64_t addr, len;

    /* The data is in the packet, so a valid LEN is bounded by the packet size;
     * decoding in place needs no buffer beyond the session's. */
    if (parse_range(&a, end, &addr, &len) || rsp_expect(&a, end, ':') || len > sizeof(ss->mem) ||
        rsp_hex_decode(a, (size_t)(end - a), ss->mem, (size_t)len)) {
        rsp_error(reply, -EINVAL);
        return RSP_ACT_REPLY;
    }
    write_mem(ss, addr, ss->mem, (size_t)len, reply);
    return RSP_ACT_REPLY;
}

/* X: the framer already undid the escapes, so the data is raw bytes. A zero
 * length is gdb probing whether X is supported. */
enum rsp_action rsp_h_write_mem_bin(struct rsp_session *ss, const char *a, const char *end,
                                    struct strbuf *reply)
{
    uint64_t addr, len;

    if (parse_range(&a, end, &addr, &len) || rsp_expect(&a, end, ':') ||
        len != (uint64_t)(end - a)) {
        rsp_error(reply, -EINVAL);
        return RSP_ACT_REPLY;
    }
    write_mem(ss, addr, (const uint8_t *)a, (size_t)len, reply);
    return RSP_ACT_REPLY;
}
