/* gdbstub conversations over a socketpair: acks and retransmission, no-ack
 * mode, garbage, endless and oversized packets, escapes and run-length codes on
 * the wire, a peer vanishing mid-packet, Ctrl-C, resume/stop, detach, kill,
 * exit and shutdown. The stub runs gdbstub_serve_fd() in its own thread. */
#include "tests/unit/check.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "gdbstub/gdbstub.h"
#include "tests/unit/fake_target.h"
#include "tests/unit/log_capture.h"
#include "tests/unit/rsp_client.h"

struct rig {
    struct fake_target ft;
    struct gdbstub *s;
    struct rsp_client c;
    int sv[2];
    bool running_at_start;
    int result;
    pthread_t thread;
    struct log_capture log;
};

/* The stub logs on its own thread: give it a moment on a loaded machine. */
static bool wait_log(struct rig *r, const char *what)
{
    for (int i = 0; i < 200; i++) {
        struct timespec ts = { 0, 10 * 1000 * 1000 };

        if (log_capture_has(&r->log, what))
            return true;
        nanosleep(&ts, NULL);
    }
    return false;
}

static void *serve(void *arg)
{
    struct rig *r = arg;

    r->result = gdbstub_serve_fd(r->s, r->sv[1], r->running_at_start);
    return NULL;
}

static struct rig *rig_start(int ncpus, bool running)
{
    struct rig *r = calloc(1, sizeof(*r));

    fake_init(&r->ft, ncpus);
    log_capture_init(&r->log);
    if (gdbstub_create(&r->s, &fake_ops, &r->ft, ncpus, r->ft.stop_pipe[0]) != 0 ||
        socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, r->sv) != 0)
        abort();
    gdbstub_set_log(r->s, log_capture_add, &r->log);
    r->running_at_start = running;
    if (running) {
        r->ft.running = true;
    }
    client_init(&r->c, r->sv[0]);
    pthread_create(&r->thread, NULL, serve, r);
    return r;
}

/* Closes the client side (unless already closed) and returns serve's result. */
static int rig_end(struct rig *r, bool close_client)
{
    int rc;

    if (close_client)
        close(r->sv[0]);
    pthread_join(r->thread, NULL);
    rc = r->result;
    if (!close_client)
        close(r->sv[0]);
    close(r->sv[1]);
    gdbstub_destroy(r->s);
    fake_fini(&r->ft);
    log_capture_destroy(&r->log);
    free(r);
    return rc;
}

static int interrupts(struct rig *r)
{
    int n;

    pthread_mutex_lock(&r->ft.lock);
    n = r->ft.interrupts;
    pthread_mutex_unlock(&r->ft.lock);
    return n;
}

static void test_acks_and_framing(void)
{
    struct rig *r = rig_start(1, false);
    struct rsp_client *c = &r->c;
    const char *rep;
    char pkt[64];

    client_raw(c, "+", 1); /* gdb starts with an ack */
    rep = client_cmd(c, "qSupported:swbreak+;hwbreak+");
    CHECK_CONTAINS("wire_qsupported", rep, "PacketSize=4000");
    CHECK_CONTAINS("wire_stop_query", client_cmd(c, "?"), "T05thread:1;");

    client_raw(c, "$qC#00", 6);
    CHECK_INT("wire_bad_checksum_nak", client_byte(c, CLIENT_TIMEOUT_MS), '-');
    CHECK("wire_bad_checksum_no_reply", client_quiet(c, 100));

    CHECK_STR("wire_qc", client_cmd(c, "qC"), "QC1");
    client_raw(c, "-", 1); /* "that was garbled, again please" */
    CHECK_STR("wire_retransmit", client_recv(c), "QC1");

    client_raw(c, "some garbage\r\n", 14);
    CHECK_STR("wire_garbage_between", client_cmd(c, "qC"), "QC1");

    /* 'm10* ,4' is m10000,4 run-length encoded. */
    CHECK_STR("wire_rle_decoded", client_cmd(c, "m10* ,4"), "90909090");

    /* Binary X: '#', '$', '}' and '*' escaped on the wire. */
    snprintf(pkt, sizeof(pkt), "X1000,4:}\x03}\x04}]}\x0a");
    CHECK_STR("wire_binary_x", client_cmd(c, pkt), "OK");
    CHECK("wire_binary_x_applied", memcmp(r->ft.mem, "#$}*", 4) == 0);

    CHECK_STR("wire_truncated_escape", client_cmd(c, "abc}"), "E22");
    CHECK_STR("wire_vcont_no_thread", client_cmd(c, "vCont;c:5"), "E03");
    CHECK_STR("wire_m_top", client_cmd(c, "mffffffffffffffff,10"), "E14");
    CHECK_STR("wire_unknown_empty", client_cmd(c, "qWhatever"), "");

    /* Ctrl-C while stopped means nothing. */
    client_raw(c, "\x03", 1);
    CHECK("wire_ctrl_c_stopped_quiet", client_quiet(c, 100));
    CHECK_INT("wire_ctrl_c_stopped_ignored", interrupts(r), 0);

    CHECK_STR("wire_no_ack_mode", client_cmd(c, "QStartNoAckMode"), "OK");
    c->noack = true;
    client_send(c, "qC");
    CHECK_INT("wire_no_ack_no_plus", client_byte(c, CLIENT_TIMEOUT_MS), '$');
    while (!client_quiet(c, 100))
        client_byte(c, 0); /* the rest of that reply */
    client_raw(c, "$qC#00", 6);
    CHECK("wire_no_ack_bad_checksum_dropped", client_quiet(c, 100));
    CHECK("wire_no_ack_bad_checksum_logged", wait_log(r, "bad checksum"));
    CHECK_STR("wire_no_ack_works", client_cmd(c, "qC"), "QC1");
    client_raw(c, "-", 1);
    CHECK("wire_no_ack_ignores_nak", client_quiet(c, 100));
    CHECK_INT("wire_end_disconnect", rig_end(r, true), GDBSTUB_END_DISCONNECTED);
}

static void test_big_packets(void)
{
    struct rig *r = rig_start(1, false);
    struct rsp_client *c = &r->c;
    size_t big = 1 << 20;
    char *junk = malloc(big);

    memset(junk, 'a', big);
    client_raw(c, "$", 1);
    client_raw(c, junk, big);
    client_raw(c, "#00", 3);
    CHECK_INT("wire_endless_packet_nak", client_byte(c, CLIENT_TIMEOUT_MS), '-');
    CHECK("wire_endless_packet_logged",
          log_capture_has(&r->log, "dropped a packet longer than 16384"));
    CHECK_STR("wire_after_endless", client_cmd(c, "qC"), "QC1");

    /* Just over the advertised size, properly terminated. */
    junk[0] = 'M';
    client_send_bin(c, junk, GDB_PACKET_SIZE + 1);
    CHECK_INT("wire_oversize_nak", client_byte(c, CLIENT_TIMEOUT_MS), '-');
    /* Exactly the advertised size is served (here: an M packet of the maximal size). */
    {
        size_t hdr = (size_t)sprintf(junk, "M1000,%x:", (GDB_PACKET_SIZE - 16) / 2);
        size_t n = hdr + (GDB_PACKET_SIZE - 16) / 2 * 2;

        memset(junk + hdr, '5', n - hdr);
        client_send_bin(c, junk, n);
        CHECK_INT("wire_max_packet_ack", client_byte(c, CLIENT_TIMEOUT_MS), '+');
        CHECK_STR("wire_max_packet_served", client_recv(c), "OK");
    }
    free(junk);

    /* The peer sends many packets before reading any reply. */
    {
        int n = 300, good = 0;
        char *burst = malloc((size_t)n * 8);

        for (int i = 0; i < n; i++)
            memcpy(burst + 8 * i, "$qC#b4  ", 8);
        client_raw(c, burst, (size_t)n * 8);
        for (int i = 0; i < n; i++) {
            if (client_byte(c, CLIENT_TIMEOUT_MS) != '+')
                break;
            const char *rep = client_recv(c);
            good += rep && strcmp(rep, "QC1") == 0;
        }
        CHECK_INT("wire_pipelined_packets", good, n);
        free(burst);
    }
    CHECK_INT("wire_big_end", rig_end(r, true), GDBSTUB_END_DISCONNECTED);
}

static void test_close_mid_packet(void)
{
    struct rig *r = rig_start(1, false);

    CHECK_STR("mid_packet_first", client_cmd(&r->c, "qC"), "QC1");
    client_raw(&r->c, "$m1000,", 7);
    CHECK_INT("mid_packet_close", rig_end(r, true), GDBSTUB_END_DISCONNECTED);
}

static void test_run_and_interrupt(void)
{
    struct rig *r = rig_start(2, false);
    struct rsp_client *c = &r->c;
    const char *rep;

    client_cmd(c, "qSupported:swbreak+;hwbreak+");
    client_send(c, "c");
    CHECK_INT("run_c_acked", client_byte(c, CLIENT_TIMEOUT_MS), '+');
    CHECK("run_c_no_reply_yet", client_quiet(c, 100));
    CHECK("run_guest_running", gdbstub_guest_running(r->s));
    CHECK_STR("run_packet_while_running", client_cmd(c, "g"), "E16");
    client_raw(c, "\x03", 1);
    rep = client_recv(c);
    CHECK_CONTAINS("run_ctrl_c_stop", rep, "T02thread:1;");
    CHECK_CONTAINS("run_ctrl_c_expedited", rep, ";10:0011000000000000;");
    CHECK_INT("run_ctrl_c_interrupt_called", interrupts(r), 1);

    CHECK_STR("run_Z0", client_cmd(c, "Z0,1300,1"), "OK");
    client_cmd(c, "vCont;c"); /* returns at the ack: a stop follows */
    CHECK_CONTAINS("run_swbreak_stop", c->body, "T05thread:1;swbreak:;");

    CHECK_CONTAINS("run_step_stop_thread2", client_cmd(c, "vCont;s:2"), "T05thread:2;");
    CHECK_STR("run_qc_thread2", client_cmd(c, "qC"), "QC2");

    /* Monitor output large enough for several O packets, then OK. */
    {
        char pkt[64], text[200000];
        size_t tl = 0;
        int opackets = 0;

        snprintf(pkt, sizeof(pkt), "qRcmd,%s", "666c6f6f64"); /* "flood" */
        rep = client_cmd(c, pkt);
        while (rep && rep[0] == 'O' && strcmp(rep, "OK") != 0) {
            for (size_t i = 1; rep[i] && rep[i + 1] && tl < sizeof(text) - 1; i += 2) {
                char h[3] = { rep[i], rep[i + 1], 0 };
                text[tl++] = (char)strtoul(h, NULL, 16);
            }
            opackets++;
            rep = client_recv(c);
        }
        text[tl] = '\0';
        CHECK_STR("monitor_flood_ends_ok", rep, "OK");
        CHECK("monitor_flood_several_packets", opackets > 10);
        CHECK_CONTAINS("monitor_flood_first_line", text, "line 0000 of a long monitor output\n");
        CHECK_CONTAINS("monitor_flood_last_line", text, "line 2999 of a long monitor output\n");
    }

    /* gdb vanishes while the guest runs: the stub stops it and says so. */
    client_send(c, "c");
    client_byte(c, CLIENT_TIMEOUT_MS);
    CHECK_INT("run_vanish_result", rig_end(r, true), GDBSTUB_END_DISCONNECTED);
}

static void test_vanish_running(void)
{
    struct rig *r = rig_start(1, false);
    struct gdbstub *s;
    int before;

    client_send(&r->c, "c");
    client_byte(&r->c, CLIENT_TIMEOUT_MS);
    before = interrupts(r);
    close(r->sv[0]);
    pthread_join(r->thread, NULL);
    s = r->s;
    CHECK_INT("vanish_result", r->result, GDBSTUB_END_DISCONNECTED);
    CHECK_INT("vanish_interrupted", interrupts(r), before + 1);
    CHECK("vanish_guest_kept_stopped", !gdbstub_guest_running(s));
    CHECK_INT("vanish_last_stop_sigint", gdbstub_last_stop(s)->signal, 2);
    close(r->sv[1]);
    gdbstub_destroy(s);
    fake_fini(&r->ft);
    free(r);
}

static void test_attach_running(void)
{
    struct rig *r = rig_start(1, true);

    /* The guest ran when gdb came: the stub stopped it before answering. */
    CHECK_CONTAINS("attach_running_stopped", client_cmd(&r->c, "?"), "T02thread:1;");
    CHECK_INT("attach_running_interrupted", interrupts(r), 1);
    CHECK_INT("attach_running_end", rig_end(r, true), GDBSTUB_END_DISCONNECTED);
}

static void test_endings(void)
{
    struct rig *r;
    struct gdbstub *s;

    r = rig_start(1, false);
    CHECK_STR("detach_reply", client_cmd(&r->c, "D"), "OK");
    pthread_join(r->thread, NULL);
    CHECK_INT("detach_result", r->result, GDBSTUB_END_DETACHED);
    CHECK("detach_guest_runs", gdbstub_guest_running(r->s));
    CHECK_INT("detach_target_told", r->ft.detaches, 1);
    /* A new gdb on the same stub: the running guest is stopped for it. */
    close(r->sv[0]);
    close(r->sv[1]);
    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, r->sv);
    client_init(&r->c, r->sv[0]);
    r->running_at_start = true;
    pthread_create(&r->thread, NULL, serve, r);
    CHECK_CONTAINS("reattach_stopped", client_cmd(&r->c, "?"), "T02");
    CHECK_INT("reattach_end", rig_end(r, true), GDBSTUB_END_DISCONNECTED);

    r = rig_start(1, false);
    client_send(&r->c, "k");
    CHECK_INT("kill_acked", client_byte(&r->c, CLIENT_TIMEOUT_MS), '+');
    pthread_join(r->thread, NULL);
    CHECK_INT("kill_result", r->result, GDBSTUB_END_KILLED);
    CHECK_INT("kill_target_told", r->ft.kills, 1);
    close(r->sv[0]);
    close(r->sv[1]);
    gdbstub_destroy(r->s);
    fake_fini(&r->ft);
    free(r);

    r = rig_start(1, false);
    r->ft.exit_on_run = true;
    r->ft.exit_code = 7;
    CHECK_STR("exit_reply", client_cmd(&r->c, "c"), "W07");
    pthread_join(r->thread, NULL);
    s = r->s;
    CHECK_INT("exit_result", r->result, GDBSTUB_END_EXITED);
    CHECK_INT("exit_code_kept", gdbstub_last_stop(s)->exit_code, 7);
    close(r->sv[0]);
    close(r->sv[1]);
    gdbstub_destroy(s);
    fake_fini(&r->ft);
    free(r);

    r = rig_start(1, false);
    CHECK_STR("shutdown_before", client_cmd(&r->c, "qC"), "QC1");
    gdbstub_shutdown(r->s);
    pthread_join(r->thread, NULL);
    CHECK_INT("shutdown_result", r->result, GDBSTUB_END_SHUTDOWN);
    CHECK_INT("shutdown_sticky", gdbstub_serve_fd(r->s, r->sv[1], false), GDBSTUB_END_SHUTDOWN);
    close(r->sv[0]);
    close(r->sv[1]);
    gdbstub_destroy(r->s);
    fake_fini(&r->ft);
    free(r);
}

int main(void)
{
    test_acks_and_framing();
    test_big_packets();
    test_close_mid_packet();
    test_run_and_interrupt();
    test_vanish_running();
    test_attach_running();
    test_endings();
    return CHECK_DONE();
}
