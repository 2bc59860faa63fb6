/* Breakpoints and watchpoints: Z0..Z4 insert, z0..z4 remove. The strategy
 * (int3, debug registers, single-step compare) is the target's business; the
 * stub only maps its answers onto what gdb understands:
 *   -EOPNOTSUPP -> empty reply: gdb falls back (memory int3, software watch)
 *   -ENOSPC     -> E28: gdb says too many hardware breakpoints/watchpoints
 *   other error -> E<errno> */
#include "gdbstub/rsp_priv.h"

#include <errno.h>

static enum rsp_action breakpoint(struct rsp_session *ss, const char *a, const char *end,
                                  struct strbuf *reply, bool insert)
{
    int (*fn)(void *, enum bp_kind, uint64_t, size_t) =
        insert ? ss->ops->insert_bp : ss->ops->remove_bp;
    uint64_t addr, kind;
    int type, rc;

    if (a >= end || *a < '0' || *a > '4')
        return RSP_ACT_REPLY; /* a type we do not know: unsupported */
    type = *a++ - '0';
    /* Conditions or commands after ';' are only sent if we advertised them. */
    if (rsp_expect(&a, end, ',') || rsp_parse_hex(&a, end, &addr) || rsp_expect(&a, end, ',') ||
        rsp_parse_hex(&a, end, &kind) || (a != end && *a != ';') || kind > GDB_PACKET_SIZE) {
        rsp_error(reply, -EINVAL);
        return RSP_ACT_REPLY;
    }
    if (!fn)
        return RSP_ACT_REPLY;
    rc = fn(ss->target, (enum bp_kind)type, addr, (size_t)kind);
    if (rc == -EOPNOTSUPP || rc == -ENOSYS)
        return RSP_ACT_REPLY;
    if (rc)
        rsp_error(reply, rc);
    else
        strbuf_puts(reply, "OK");
    return RSP_ACT_REPLY;
}

enum rsp_action rsp_h_insert_bp(struct rsp_session *ss, const char *a, const char *end,
                                struct strbuf *reply)
{
    return breakpoint(ss, a, end, reply, true);
}

enum rsp_action rsp_h_remove_bp(struct rsp_session *ss, const char *a, const char *end,
                                struct strbuf *reply)
{
    return breakpoint(ss, a, end, reply, false);
}
