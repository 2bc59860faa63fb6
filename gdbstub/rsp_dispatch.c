/* Packet dispatch: one table from packet name to handler, plus the session
 * state and the handlers too small to deserve a file of their own. */
#include "gdbstub/rsp_priv.h"

#include "vmm/util.h"
#include <errno.h>
#include <string.h>

int rsp_session_init(struct rsp_session *ss, const struct gdb_target_ops *ops, void *target,
                     int ncpus)
{
    if (!ops || ncpus < 1 || ncpus > GDB_MAX_CPUS)
        return -EINVAL;
    memset(ss, 0, sizeof(*ss));
    ss->ops = ops;
    ss->target = target;
    ss->ncpus = ncpus;
    /* A guest held at its first instruction looks to gdb like a fresh SIGTRAP. */
    ss->last_stop = (struct stop_info){ .reason = STOP_SIGNAL, .cpu = 0, .signal = 5 };
    strbuf_init(&ss->console, RSP_CONSOLE_MAX);
    strbuf_init(&ss->xml, GDB_PACKET_SIZE * 4);
    rsp_session_reset(ss);
    return 0;
}

void rsp_session_free(struct rsp_session *ss)
{
    strbuf_free(&ss->console);
    strbuf_free(&ss->xml);
}

void rsp_session_reset(struct rsp_session *ss)
{
    rsp_session_set_layout(ss, NULL);
    ss->noack = false;
    ss->swbreak = ss->hwbreak = ss->exec_events = false;
    ss->replay_valid = false;
    ss->g_cpu = -1;
    ss->c_cpu = -1;
    strbuf_reset(&ss->console);
}

int rsp_read_canon(struct rsp_session *ss, int cpu)
{
    if (!ss->ops->read_regs)
        return -EOPNOTSUPP;
    memset(ss->canon, 0, sizeof(ss->canon));
    return ss->ops->read_regs(ss->target, cpu, ss->canon, sizeof(ss->canon));
}

enum gdb_arch rsp_target_arch(struct rsp_session *ss, int cpu)
{
    return ss->ops->arch ? (enum gdb_arch)ss->ops->arch(ss->target, cpu) : GDB_ARCH_X86_64;
}

const struct x86_layout *rsp_layout(struct rsp_session *ss)
{
    if (!ss->layout)
        ss->layout = x86_layout_get(rsp_target_arch(ss, rsp_cpu(ss, -1)));
    return ss->layout;
}

void rsp_session_set_layout(struct rsp_session *ss, const struct x86_layout *l)
{
    ss->layout = l;
    strbuf_reset(&ss->xml);
}

static enum rsp_action h_stop_query(struct rsp_session *ss, const char *a, const char *end,
                                    struct strbuf *reply)
{
    int rc = rsp_stop_reply(ss, &ss->last_stop, reply);

    if (rc)
        rsp_error(reply, rc);
    return RSP_ACT_REPLY;
}

/* Hg / Hc: which thread later packets mean. 0 and -1 both mean "no particular
 * one", which resolves to the thread that stopped. */
static enum rsp_action h_set_thread(struct rsp_session *ss, const char *a, const char *end,
                                    struct strbuf *reply)
{
    char which;
    long tid;
    int cpu = -1;

    if (a >= end || (*a != 'g' && *a != 'c')) {
        rsp_error(reply, -EINVAL);
        return RSP_ACT_REPLY;
    }
    which = *a++;
    if (rsp_parse_tid(&a, end, &tid) || a != end) {
        rsp_error(reply, -EINVAL);
        return RSP_ACT_REPLY;
    }
    if (tid > 0 && (cpu = rsp_tid_cpu(ss, tid)) < 0) {
        rsp_error(reply, cpu);
        return RSP_ACT_REPLY;
    }
    if (which == 'g')
        ss->g_cpu = cpu;
    else
        ss->c_cpu = cpu;
    strbuf_puts(reply, "OK");
    return RSP_ACT_REPLY;
}

static enum rsp_action h_thread_alive(struct rsp_session *ss, const char *a, const char *end,
                                      struct strbuf *reply)
{
    long tid;
    int cpu;

    if (rsp_parse_tid(&a, end, &tid) || a != end)
        rsp_error(reply, -EINVAL);
    else if ((cpu = rsp_tid_cpu(ss, tid)) < 0)
        rsp_error(reply, cpu);
    else
        strbuf_puts(reply, "OK");
    return RSP_ACT_REPLY;
}

static enum rsp_action h_current_thread(struct rsp_session *ss, const char *a, const char *end,
                                        struct strbuf *reply)
{
    strbuf_printf(reply, "QC%x", rsp_cpu(ss, -1) + 1);
    return RSP_ACT_REPLY;
}

/* "1": gdb attached to a running system, so quitting gdb detaches rather than
 * killing the VM. */
static enum rsp_action h_attached(struct rsp_session *ss, const char *a, const char *end,
                                  struct strbuf *reply)
{
    strbuf_puts(reply, "1");
    return RSP_ACT_REPLY;
}

/* The OK still travels with an ack; the switch applies from the next packet. */
static enum rsp_action h_no_ack(struct rsp_session *ss, const char *a, const char *end,
                                struct strbuf *reply)
{
    ss->noack = true;
    strbuf_puts(reply, "OK");
    return RSP_ACT_REPLY;
}

static enum rsp_action h_kill(struct rsp_session *ss, const char *a, const char *end,
                              struct strbuf *reply)
{
    if (ss->ops->kill)
        ss->ops->kill(ss->target);
    return RSP_ACT_KILLED;
}

static enum rsp_action h_detach(struct rsp_session *ss, const char *a, const char *end,
                                struct strbuf *reply)
{
    int rc = ss->ops->detach ? ss->ops->detach(ss->target) : 0;

    if (rc) {
        rsp_error(reply, rc);
        return RSP_ACT_REPLY;
    }
    strbuf_puts(reply, "OK");
    return RSP_ACT_DETACHED;
}

enum match { M_LETTER, M_NAME };

/* M_LETTER packets are matched on their first byte (arguments follow at once);
 * M_NAME packets on the whole name, which must be followed by the end or a
 * ':', ',' or ';' unless the name ends with one (so "qC" is not "qCRC:"). */
static const struct {
    const char *name;
    enum match match;
    rsp_handler fn;
} packet_table[] = {
    { "?", M_LETTER, h_stop_query },
    { "g", M_LETTER, rsp_h_read_regs },
    { "G", M_LETTER, rsp_h_write_regs },
    { "p", M_LETTER, rsp_h_read_reg },
    { "P", M_LETTER, rsp_h_write_reg },
    { "m", M_LETTER, rsp_h_read_mem },
    { "M", M_LETTER, rsp_h_write_mem_hex },
    { "X", M_LETTER, rsp_h_write_mem_bin },
    { "c", M_LETTER, rsp_h_continue },
    { "C", M_LETTER, rsp_h_continue_sig },
    { "s", M_LETTER, rsp_h_step },
    { "S", M_LETTER, rsp_h_step_sig },
    { "Z", M_LETTER, rsp_h_insert_bp },
    { "z", M_LETTER, rsp_h_remove_bp },
    { "H", M_LETTER, h_set_thread },
    { "T", M_LETTER, h_thread_alive },
    { "k", M_LETTER, h_kill },
    { "D", M_LETTER, h_detach },
    { "qSupported", M_NAME, rsp_h_supported },
    { "qC", M_NAME, h_current_thread },
    { "qAttached", M_NAME, h_attached },
    { "qfThreadInfo", M_NAME, rsp_h_thread_first },
    { "qsThreadInfo", M_NAME, rsp_h_thread_next },
    { "qThreadExtraInfo,", M_NAME, rsp_h_thread_extra },
    { "qRcmd,", M_NAME, rsp_h_rcmd },
    { "qXfer:features:read:", M_NAME, rsp_h_xfer_features },
    { "QStartNoAckMode", M_NAME, h_no_ack },
    { "vCont?", M_NAME, rsp_h_vcont_query },
    { "vCont;", M_NAME, rsp_h_vcont },
};

static bool name_matches(const char *name, const char *pkt, size_t len)
{
    size_t n = strlen(name);
    char last = name[n - 1], next;

    if (len < n || memcmp(pkt, name, n) != 0)
        return false;
    if (last == ':' || last == ',' || last == ';' || len == n)
        return true;
    next = pkt[n];
    return next == ':' || next == ',' || next == ';';
}

enum rsp_action rsp_dispatch(struct rsp_session *ss, const uint8_t *pkt, size_t len,
                             struct strbuf *reply)
{
    const char *p = (const char *)pkt;

    strbuf_reset(reply);
    if (len == 0)
        return RSP_ACT_REPLY;
    for (size_t i = 0; i < ARRAY_SIZE(packet_table); i++) {
        const char *name = packet_table[i].name;
        size_t n = strlen(name);

        if (packet_table[i].match == M_LETTER ? p[0] == name[0] : name_matches(name, p, len))
            return packet_table[i].fn(ss, p + n, p + len, reply);
    }
    return RSP_ACT_REPLY; /* unknown packet: the empty reply says "unsupported" */
}
