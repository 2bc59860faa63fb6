/* Queries: qSupported, target.xml transfer, monitor commands and threads. */
#include "gdbstub/rsp_priv.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Does gdb's feature list ("a+;b+;c=1") contain exactly `feature`? */
static bool has_feature(const char *a, const char *end, const char *feature)
{
    size_t n = strlen(feature);

    while (a < end) {
        const char *semi = memchr(a, ';', (size_t)(end - a));
        const char *stop = semi ? semi : end;

        if ((size_t)(stop - a) == n && memcmp(a, feature, n) == 0)
            return true;
        a = semi ? semi + 1 : end;
    }
    return false;
}

enum rsp_action rsp_h_supported(struct rsp_session *ss, const char *a, const char *end,
                                struct strbuf *reply)
{
    if (a < end && *a == ':')
        a++;
    ss->swbreak = has_feature(a, end, "swbreak+");
    ss->hwbreak = has_feature(a, end, "hwbreak+");
    ss->exec_events = has_feature(a, end, "exec-events+");
    strbuf_printf(reply,
                  "PacketSize=%x;qXfer:features:read+;QStartNoAckMode+;"
                  "swbreak+;hwbreak+;vContSupported+%s",
                  GDB_PACKET_SIZE, ss->exec_events ? ";exec-events+" : "");
    return RSP_ACT_REPLY;
}

/* qXfer:features:read:ANNEX:OFFSET,LENGTH -> "m" + more data, or "l" + the last
 * of it. There is one annex: the whole description is a single document. */
enum rsp_action rsp_h_xfer_features(struct rsp_session *ss, const char *a, const char *end,
                                    struct strbuf *reply)
{
    static const char annex[] = "target.xml:";
    uint64_t off, len;
    size_t n;
    int rc;

    if ((size_t)(end - a) < sizeof(annex) - 1 || memcmp(a, annex, sizeof(annex) - 1) != 0) {
        rsp_error(reply, -ENOENT);
        return RSP_ACT_REPLY;
    }
    a += sizeof(annex) - 1;
    if (rsp_parse_hex(&a, end, &off) || rsp_expect(&a, end, ',') || rsp_parse_hex(&a, end, &len) ||
        a != end) {
        rsp_error(reply, -EINVAL);
        return RSP_ACT_REPLY;
    }
    /* gdb reads the description from the start on connecting and after an exec
     * event: describe the mode the guest is in now, and serve registers in it. */
    if (off == 0)
        rsp_session_set_layout(ss, NULL);
    if (ss->xml.len == 0 && (rc = x86_target_xml(&ss->xml, rsp_layout(ss))) != 0) {
        strbuf_reset(&ss->xml);
        rsp_error(reply, rc);
        return RSP_ACT_REPLY;
    }
    if (off >= ss->xml.len) {
        strbuf_puts(reply, "l");
        return RSP_ACT_REPLY;
    }
    /* Escaping may double the data; keep the reply within its bound. */
    n = ss->xml.len - (size_t)off;
    if (len < n)
        n = (size_t)len;
    if (n > GDB_PACKET_SIZE)
        n = GDB_PACKET_SIZE;
    strbuf_putc(reply, off + n < ss->xml.len ? 'm' : 'l');
    rsp_put_binary(reply, ss->xml.buf + off, n);
    return RSP_ACT_REPLY;
}

static const char stub_help[] = "mini-kvm gdb stub, monitor commands:\n"
                                "  help                 this list\n";

/* Runs one monitor command into a private buffer, so that a flood of output is
 * cut with a note instead of silently. */
static int run_monitor(struct rsp_session *ss, const char *cmd)
{
    struct strbuf out;
    int rc;

    if (!ss->ops->monitor)
        return -ENOENT;
    strbuf_init(&out, RSP_CONSOLE_MAX - 64);
    rc = ss->ops->monitor(ss->target, rsp_cpu(ss, ss->g_cpu), cmd, &out);
    strbuf_append(&ss->console, out.buf, out.len);
    if (out.overflow)
        strbuf_puts(&ss->console, "\n[monitor output truncated]\n");
    strbuf_free(&out);
    return rc;
}

/* qRcmd,HEX: the command arrives hex-encoded; its output goes out as O packets
 * (the console) followed by OK. A command that fails, or that does not exist, says
 * so in a line and still answers OK: an E reply makes gdb print "Protocol error
 * with Rcmd" and abort the script that asked. Only a malformed packet gets E. */
enum rsp_action rsp_h_rcmd(struct rsp_session *ss, const char *a, const char *end,
                           struct strbuf *reply)
{
    char *cmd = (char *)ss->mem;
    size_t hexlen = (size_t)(end - a), n = hexlen / 2;
    size_t before = ss->console.len;
    int rc;

    if (hexlen % 2 || n >= sizeof(ss->mem) || rsp_hex_decode(a, hexlen, ss->mem, n) ||
        memchr(cmd, '\0', n)) {
        rsp_error(reply, -EINVAL);
        return RSP_ACT_REPLY;
    }
    cmd[n] = '\0';
    if (strcmp(cmd, "help") == 0) {
        strbuf_puts(&ss->console, stub_help);
        run_monitor(ss, cmd); /* the target's own list follows; optional */
        strbuf_puts(reply, "OK");
        return RSP_ACT_REPLY;
    }
    rc = run_monitor(ss, cmd);
    if (rc == 0) {
        strbuf_puts(reply, "OK");
        return RSP_ACT_REPLY;
    }
    if (ss->console.len == before) {
        if (rc == -ENOENT)
            strbuf_printf(&ss->console,
                          "unknown monitor command \"%.200s\"; "
                          "\"monitor help\" lists the commands\n",
                          cmd);
        else
            strbuf_printf(&ss->console, "monitor %.200s: failed (error %d)\n", cmd, -rc);
    }
    strbuf_puts(reply, "OK");
    return RSP_ACT_REPLY;
}

/* All vCPUs fit in one reply (GDB_MAX_CPUS ids), so the list ends at once. */
enum rsp_action rsp_h_thread_first(struct rsp_session *ss, const char *a, const char *end,
                                   struct strbuf *reply)
{
    strbuf_putc(reply, 'm');
    for (int i = 0; i < ss->ncpus; i++)
        strbuf_printf(reply, i ? ",%x" : "%x", i + 1);
    return RSP_ACT_REPLY;
}

enum rsp_action rsp_h_thread_next(struct rsp_session *ss, const char *a, const char *end,
                                  struct strbuf *reply)
{
    strbuf_putc(reply, 'l');
    return RSP_ACT_REPLY;
}

enum rsp_action rsp_h_thread_extra(struct rsp_session *ss, const char *a, const char *end,
                                   struct strbuf *reply)
{
    char text[128];
    long tid;
    int cpu;

    if (rsp_parse_tid(&a, end, &tid) || a != end) {
        rsp_error(reply, -EINVAL);
        return RSP_ACT_REPLY;
    }
    if ((cpu = rsp_tid_cpu(ss, tid)) < 0) {
        rsp_error(reply, cpu);
        return RSP_ACT_REPLY;
    }
    text[0] = '\0';
    if (!ss->ops->thread_info || ss->ops->thread_info(ss->target, cpu, text, sizeof(text)))
        snprintf(text, sizeof(text), "vCPU %d", cpu);
    text[sizeof(text) - 1] = '\0';
    strbuf_hex(reply, text, strlen(text));
    return RSP_ACT_REPLY;
}
