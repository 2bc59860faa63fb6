/* Resuming (c C s S vCont) and reporting stops (T W X). */
#include "gdbstub/rsp_priv.h"

#include "vmm/util.h"
#include <errno.h>
#include <string.h>

#define SIGTRAP_GDB 5
#define SIGKILL_GDB 9

/* ---- stop replies ---- */

void rsp_session_note_stop(struct rsp_session *ss, const struct stop_info *st)
{
    ss->last_stop = *st;
    if (st->cpu >= 0 && st->cpu < ss->ncpus)
        ss->g_cpu = st->cpu;
}

/* Why the thread stopped, in the T packet's words; gdb uses it to tell a
 * breakpoint from a watchpoint and, with swbreak, not to rewind rip. */
static int stop_reason_field(const struct rsp_session *ss, const struct stop_info *st,
                             struct strbuf *reply)
{
    static const char *const watch_names[] = {
        [STOP_WATCH] = "watch",
        [STOP_RWATCH] = "rwatch",
        [STOP_AWATCH] = "awatch",
    };

    switch (st->reason) {
    case STOP_SWBREAK: return ss->swbreak ? strbuf_puts(reply, "swbreak:;") : 0;
    case STOP_HWBREAK: return ss->hwbreak ? strbuf_puts(reply, "hwbreak:;") : 0;
    case STOP_WATCH:
    case STOP_RWATCH:
    case STOP_AWATCH:
        return strbuf_printf(reply, "%s:%llx;", watch_names[st->reason],
                             (unsigned long long)st->watch_addr);
    default: return 0;
    }
}

/* rbp, rsp and rip ride along with the stop so that a stepping gdb need not
 * fetch all registers after every instruction. Skipped if unreadable. */
static int stop_expedite(struct rsp_session *ss, int cpu, struct strbuf *reply)
{
    static const int expedited[] = { GDB_REG_RBP, GDB_REG_RSP, GDB_REG_RIP };
    const struct x86_layout *l = rsp_layout(ss);
    int rc = 0;

    if (rsp_read_canon(ss, cpu))
        return 0;
    x86_layout_from_canon(l, ss->canon, ss->regs);
    for (size_t i = 0; i < ARRAY_SIZE(expedited) && !rc; i++) {
        int r = x86_layout_regno(l, expedited[i]);

        rc = strbuf_printf(reply, "%02x:", r);
        rc = rc ? rc : strbuf_hex(reply, ss->regs + l->regs[r].offset, l->regs[r].bitsize / 8);
        rc = rc ? rc : strbuf_putc(reply, ';');
    }
    return rc;
}

/* A T packet with an explicit signal number (0 is a legal "no signal"). */
static int stop_reply_t(struct rsp_session *ss, const struct stop_info *st, int sig,
                        struct strbuf *reply)
{
    int cpu = rsp_cpu(ss, st->cpu);
    int rc;

    rc = strbuf_printf(reply, "T%02xthread:%x;", sig & 0xff, cpu + 1);
    rc = rc ? rc : stop_reason_field(ss, st, reply);
    return rc ? rc : stop_expedite(ss, cpu, reply);
}

/* The stopped vCPU's mode no longer fits the description gdb read: the stop goes out
 * as an exec event (empty path: gdb keeps its symbol files, loads no file), on which
 * gdb reads target.xml again and re-inserts its breakpoints in the new width. gdb
 * then resumes at once unless a `catch exec` stops it (gdbinit/common.gdb sets one
 * for stepping commands, so a stepi across a switch ends there). A breakpoint or
 * step needs nothing more: the breakpoint is hit again at resume. Any other stop
 * (a signal, a watchpoint) would be lost, so it is replayed at gdb's next resume. */
static bool stop_as_exec(struct rsp_session *ss, const struct stop_info *st, int cpu,
                         struct strbuf *reply)
{
    if (!ss->exec_events || !ss->layout || x86_layout_get(rsp_target_arch(ss, cpu)) == ss->layout)
        return false;
    bool trap = st->reason == STOP_SWBREAK || st->reason == STOP_HWBREAK ||
                (st->reason == STOP_SIGNAL && (st->signal == 0 || st->signal == SIGTRAP_GDB));
    ss->replay_valid = !trap;
    ss->replay = *st;
    strbuf_printf(reply, "T%02xexec:;thread:%x;", SIGTRAP_GDB, cpu + 1);
    return true;
}

int rsp_stop_reply(struct rsp_session *ss, const struct stop_info *st, struct strbuf *reply)
{
    strbuf_reset(reply);
    switch (st->reason) {
    case STOP_EXITED: return strbuf_printf(reply, "W%02x", st->exit_code & 0xff);
    case STOP_KILLED:
        return strbuf_printf(reply, "X%02x", (st->signal ? st->signal : SIGKILL_GDB) & 0xff);
    default:
        if (stop_as_exec(ss, st, rsp_cpu(ss, st->cpu), reply))
            return reply->overflow ? -ENOSPC : 0;
        return stop_reply_t(ss, st, st->signal ? st->signal : SIGTRAP_GDB, reply);
    }
}

/* ---- resuming ---- */

static enum rsp_action start(struct rsp_session *ss, const struct resume_req *req,
                             struct strbuf *reply)
{
    int rc;

    if (ss->replay_valid) {
        /* the stop an exec event stood in for: the guest does not run */
        ss->replay_valid = false;
        rsp_session_note_stop(ss, &ss->replay);
        rc = rsp_stop_reply(ss, &ss->replay, reply);
        if (rc)
            rsp_error(reply, rc);
        return RSP_ACT_REPLY;
    }
    rc = ss->ops->resume ? ss->ops->resume(ss->target, req) : -EOPNOTSUPP;

    if (rc) {
        rsp_error(reply, rc);
        return RSP_ACT_REPLY;
    }
    return RSP_ACT_RESUMED;
}

/* "c ADDR" / "s ADDR": resume at ADDR, i.e. rip is set first. */
static int set_rip(struct rsp_session *ss, int cpu, uint64_t rip)
{
    int rc;

    if (!ss->ops->write_regs)
        return -EOPNOTSUPP;
    rc = rsp_read_canon(ss, cpu);
    if (rc)
        return rc;
    x86_reg_set(ss->canon, GDB_REG_RIP, rip);
    return ss->ops->write_regs(ss->target, cpu, ss->canon, sizeof(ss->canon));
}

/* The legacy packets. c: every vCPU continues, or only the Hc one if gdb chose
 * one. s: the Hc vCPU (default: the one that stopped) steps, the others stay
 * stopped, so a step never lets another vCPU run unseen. */
static enum rsp_action resume_legacy(struct rsp_session *ss, const char *a, const char *end,
                                     struct strbuf *reply, bool step, bool with_sig)
{
    struct resume_req req = { .ncpus = ss->ncpus };
    int cpu = rsp_cpu(ss, ss->c_cpu);
    uint64_t sig = 0, addr = 0;
    bool has_addr = false;
    int rc;

    if (with_sig && (rsp_parse_hex(&a, end, &sig) || sig > 0xff))
        goto bad;
    if (with_sig && a < end && rsp_expect(&a, end, ';'))
        goto bad;
    if (a < end) {
        if (rsp_parse_hex(&a, end, &addr))
            goto bad;
        has_addr = true;
    }
    if (a != end)
        goto bad;
    if (has_addr && (rc = set_rip(ss, cpu, addr))) {
        rsp_error(reply, rc);
        return RSP_ACT_REPLY;
    }
    for (int i = 0; i < ss->ncpus; i++) {
        bool mine = i == cpu;

        if (step)
            req.cpu[i].action = mine ? RESUME_STEP : RESUME_STOP;
        else
            req.cpu[i].action = ss->c_cpu < 0 || mine ? RESUME_CONTINUE : RESUME_STOP;
        req.cpu[i].signal = mine ? (int)sig : 0;
    }
    return start(ss, &req, reply);
bad:
    rsp_error(reply, -EINVAL);
    return RSP_ACT_REPLY;
}

enum rsp_action rsp_h_continue(struct rsp_session *ss, const char *a, const char *end,
                               struct strbuf *reply)
{
    return resume_legacy(ss, a, end, reply, false, false);
}

enum rsp_action rsp_h_continue_sig(struct rsp_session *ss, const char *a, const char *end,
                                   struct strbuf *reply)
{
    return resume_legacy(ss, a, end, reply, false, true);
}

enum rsp_action rsp_h_step(struct rsp_session *ss, const char *a, const char *end,
                           struct strbuf *reply)
{
    return resume_legacy(ss, a, end, reply, true, false);
}

enum rsp_action rsp_h_step_sig(struct rsp_session *ss, const char *a, const char *end,
                               struct strbuf *reply)
{
    return resume_legacy(ss, a, end, reply, true, true);
}

enum rsp_action rsp_h_vcont_query(struct rsp_session *ss, const char *a, const char *end,
                                  struct strbuf *reply)
{
    bool range = ss->ops->range_step && ss->ops->range_step(ss->target);
    strbuf_puts(reply, range ? "vCont;c;C;s;S;t;r" : "vCont;c;C;s;S;t");
    return RSP_ACT_REPLY;
}

/* One "ACTION[:TID]" of a vCont packet. cpu -1: applies to every thread. */
struct vcont_action {
    enum resume_action action;
    int signal;
    int cpu;
    uint64_t start, end; /* 'r' */
};

/* "rSTART,END": the range gdb steps in. START == END is a plain step, as the
 * protocol says; START > END is malformed. A target without range stepping gets
 * the degenerate form: one step, after which gdb asks again. */
static int vcont_parse_range(struct rsp_session *ss, const char **a, const char *end,
                             struct vcont_action *va)
{
    if (rsp_parse_hex(a, end, &va->start) || rsp_expect(a, end, ',') ||
        rsp_parse_hex(a, end, &va->end) || va->start > va->end)
        return -EINVAL;
    bool range = ss->ops->range_step && ss->ops->range_step(ss->target);
    va->action = range && va->start < va->end ? RESUME_RANGE : RESUME_STEP;
    return 0;
}

static int vcont_parse_one(struct rsp_session *ss, const char **a, const char *end,
                           struct vcont_action *va)
{
    uint64_t sig = 0;
    long tid;
    char c;

    if (*a >= end)
        return -EINVAL;
    c = *(*a)++;
    switch (c) {
    case 'c':
    case 's':
    case 't': break;
    case 'C':
    case 'S':
        if (rsp_parse_hex(a, end, &sig) || sig > 0xff)
            return -EINVAL;
        break;
    case 'r': break;
    default: return -EINVAL;
    }
    va->action = c == 't' ? RESUME_STOP : (c == 's' || c == 'S') ? RESUME_STEP : RESUME_CONTINUE;
    if (c == 'r' && vcont_parse_range(ss, a, end, va))
        return -EINVAL;
    va->signal = (int)sig;
    va->cpu = -1;
    if (*a < end && **a == ':') {
        (*a)++;
        if (rsp_parse_tid(a, end, &tid))
            return -EINVAL;
        if (tid == 0)
            va->cpu = rsp_cpu(ss, -1);
        else if (tid > 0 && (va->cpu = rsp_tid_cpu(ss, tid)) < 0)
            return va->cpu; /* -ESRCH: no such thread */
    }
    return 0;
}

/* "vCont;ACTION[:TID];...": each thread takes the leftmost action that names it
 * or names no thread; a thread no action covers stays stopped. */
enum rsp_action rsp_h_vcont(struct rsp_session *ss, const char *a, const char *end,
                            struct strbuf *reply)
{
    struct resume_req req = { .ncpus = ss->ncpus };
    bool assigned[GDB_MAX_CPUS] = { false };
    bool any_runs = false;
    int rc;

    for (;;) {
        struct vcont_action va = { 0 };

        rc = vcont_parse_one(ss, &a, end, &va);
        if (rc) {
            rsp_error(reply, rc);
            return RSP_ACT_REPLY;
        }
        for (int i = 0; i < ss->ncpus; i++) {
            if (assigned[i] || (va.cpu >= 0 && va.cpu != i))
                continue;
            assigned[i] = true;
            req.cpu[i].action = va.action;
            req.cpu[i].signal = va.signal;
            req.cpu[i].range_start = va.start;
            req.cpu[i].range_end = va.end;
            any_runs |= va.action != RESUME_STOP;
        }
        if (a == end)
            break;
        if (rsp_expect(&a, end, ';')) {
            rsp_error(reply, -EINVAL);
            return RSP_ACT_REPLY;
        }
    }
    if (!any_runs) {
        /* Only "t" actions: everything is stopped already. All-stop gdb waits
         * for a stop reply, so give it one saying "no signal". */
        struct stop_info st = ss->last_stop;

        st.reason = STOP_SIGNAL;
        rc = stop_reply_t(ss, &st, 0, reply);
        if (rc)
            rsp_error(reply, rc);
        return RSP_ACT_REPLY;
    }
    return start(ss, &req, reply);
}
