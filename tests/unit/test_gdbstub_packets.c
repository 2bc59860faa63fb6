/* Every packet the stub implements, through the pure dispatcher against the
 * fake target: replies checked byte for byte where they are fixed. Ends with a
 * small deterministic fuzz run (random packets: no crash, ASan/UBSan clean). */
#include "tests/unit/check.h"

#include <errno.h>
#include <stdlib.h>

#include "gdbstub/rsp.h"
#include "tests/unit/fake_target.h"
#include "vmm/util.h"

static struct fake_target ft;
static struct rsp_session ss;
static struct strbuf reply;
static enum rsp_action act;

static void setup(int ncpus, bool negotiate)
{
    static bool once;

    if (once) {
        rsp_session_free(&ss);
        fake_fini(&ft);
    }
    once = true;
    fake_init(&ft, ncpus);
    rsp_session_init(&ss, &fake_ops, &ft, ncpus);
    strbuf_reset(&reply);
    if (negotiate)
        rsp_dispatch(&ss, (const uint8_t *)"qSupported:swbreak+;hwbreak+", 28, &reply);
}

static const char *req_bin(const void *pkt, size_t len)
{
    act = rsp_dispatch(&ss, pkt, len, &reply);
    return strbuf_str(&reply);
}

static const char *req(const char *pkt)
{
    return req_bin(pkt, strlen(pkt));
}

/* What the session loop does once stop_fd fires; interrupts first if the fake
 * "runs" with nothing to stop it. */
static const char *stop(void)
{
    struct stop_info st;

    pthread_mutex_lock(&ft.lock);
    bool pending = ft.has_pending;
    pthread_mutex_unlock(&ft.lock);
    if (!pending)
        fake_interrupt(&ft);
    fake_wait_stop(&ft, &st);
    rsp_session_note_stop(&ss, &st);
    rsp_stop_reply(&ss, &st, &reply);
    return strbuf_str(&reply);
}

/* Little-endian hex of a value of `bytes` bytes, as gdb expects registers. */
static const char *le(uint64_t v, int bytes)
{
    static char buf[4][40];
    static int n;
    char *b = buf[n++ % 4];

    for (int i = 0; i < bytes; i++)
        sprintf(b + 2 * i, "%02x", (unsigned)(v >> (8 * i)) & 0xff);
    return b;
}

static const char *hexstr(const char *s)
{
    static char buf[512];

    for (size_t i = 0; s[i] && i < 255; i++)
        sprintf(buf + 2 * i, "%02x", (uint8_t)s[i]);
    buf[2 * strlen(s)] = '\0';
    return buf;
}

static void test_handshake(void)
{
    setup(1, false);
    req("qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;vContSupported+");
    CHECK_INT("qsupported_action", act, RSP_ACT_REPLY);
    CHECK_STR(
        "qsupported_reply", strbuf_str(&reply),
        "PacketSize=4000;qXfer:features:read+;QStartNoAckMode+;swbreak+;hwbreak+;vContSupported+");
    CHECK("qsupported_records_peer", ss.swbreak && ss.hwbreak);
    CHECK_STR("no_ack_mode", req("QStartNoAckMode"), "OK");
    CHECK("no_ack_mode_set", ss.noack);
    rsp_session_reset(&ss);
    CHECK("session_reset_acks_again", !ss.noack && !ss.swbreak);
    CHECK_STR("attached", req("qAttached"), "1");
    CHECK_STR("attached_pid", req("qAttached:1"), "1");
    CHECK_STR("unknown_packet_empty", req("qFooBar"), "");
    CHECK_STR("must_reply_empty", req("vMustReplyEmpty"), "");
    CHECK_STR("qc_not_prefix_of_qcrc", req("qCRC:1000,4"), "");
    CHECK_STR("extended_mode_unsupported", req("!"), "");
    CHECK_STR("empty_packet", req(""), "");
    CHECK_STR("qoffsets_unsupported", req("qOffsets"), "");
}

static void test_stop_query(void)
{
    char want[256];

    setup(1, true);
    snprintf(want, sizeof(want), "T05thread:1;06:%s;07:%s;10:%s;", le(0x9010, 8), le(0x9000, 8),
             le(0x1100, 8));
    CHECK_STR("stop_query_initial", req("?"), want);
    CHECK_STR("current_thread", req("qC"), "QC1");
}

static void test_registers(void)
{
    char buf[2 * GDB_REGS_SIZE + 64];
    uint8_t block[GDB_REGS_SIZE];

    setup(2, true);
    req("g");
    CHECK_INT("g_length", reply.len, 2 * GDB_REGS_SIZE);
    CHECK("g_rax", strncmp(strbuf_str(&reply), le(0x1111111111111111ull, 8), 16) == 0);
    CHECK("g_rip", strncmp(strbuf_str(&reply) + 2 * GDB_OFF_RIP, le(0x1100, 8), 16) == 0);
    CHECK("g_cr0", strncmp(strbuf_str(&reply) + 2 * GDB_OFF_CR0, le(0x80000011, 8), 16) == 0);
    CHECK_STR("hg_thread2", req("Hg2"), "OK");
    req("g");
    CHECK("g_thread2_rax", strncmp(strbuf_str(&reply), le(0x1111111111111112ull, 8), 16) == 0);
    CHECK_STR("hg_missing_thread", req("Hg3"), "E03");
    CHECK_STR("hg_any", req("Hg0"), "OK");
    CHECK_STR("hg_all", req("Hg-1"), "OK");
    CHECK_STR("hc_all", req("Hc-1"), "OK");
    CHECK_STR("h_bad_kind", req("Hx1"), "E22");
    CHECK_STR("h_bad_tid", req("Hgzz"), "E22");
    CHECK_STR("h_trailing", req("Hg1x"), "E22");

    CHECK_STR("p_rip", req("p10"), le(0x1100, 8));
    CHECK_STR("p_eflags", req("p11"), le(0x202, 4));
    CHECK_STR("p_cr0", req("p3c"), le(0x80000011, 8));
    CHECK_INT("p_st0_size", strlen(req("p18")), 20);
    CHECK_INT("p_xmm0_size", strlen(req("p28")), 32);
    CHECK_STR("p_out_of_range", req("p42"), "E22");
    CHECK_STR("p_bad", req("pzz"), "E22");
    CHECK_STR("p_trailing", req("p10,"), "E22");

    snprintf(buf, sizeof(buf), "P10=%s", le(0x2000, 8));
    CHECK_STR("P_rip", req(buf), "OK");
    CHECK_INT("P_rip_applied", fake_get(&ft, 0, GDB_REG_RIP), 0x2000);
    CHECK_STR("P_wrong_length", req("P10=00"), "E22");
    CHECK_STR("P_eflags", req("P11=46020000"), "OK");
    CHECK_INT("P_eflags_applied", fake_get(&ft, 0, GDB_REG_EFLAGS), 0x246);
    CHECK_STR("P_refused_value", req("P12=adde0000"), "E22");
    CHECK_INT("P_refused_unchanged", fake_get(&ft, 0, GDB_REG_CS), 8);
    CHECK_STR("P_no_such_reg", req("P99=00"), "E22");
    CHECK_STR("P_no_equals", req("P10"), "E22");
    CHECK_STR("P_bad_hex", req("P11=zz020000"), "E22");

    memcpy(block, ft.regs[0], sizeof(block));
    x86_reg_set(block, GDB_REG_RBX, 0xfeedface);
    strcpy(buf, "G");
    for (int i = 0; i < GDB_REGS_SIZE; i++)
        sprintf(buf + 1 + 2 * i, "%02x", block[i]);
    CHECK_STR("G_all", req(buf), "OK");
    CHECK_INT("G_applied", fake_get(&ft, 0, GDB_REG_RBX), 0xfeedface);
    x86_reg_set(block, GDB_REG_CS, 0xdead);
    for (int i = 0; i < GDB_REGS_SIZE; i++)
        sprintf(buf + 1 + 2 * i, "%02x", block[i]);
    CHECK_STR("G_refused", req(buf), "E22");
    CHECK_INT("G_refused_unchanged", fake_get(&ft, 0, GDB_REG_CS), 8);
    buf[100] = '\0';
    CHECK_STR("G_short", req(buf), "E22");
    CHECK_STR("G_empty", req("G"), "E22");
}

static void test_memory(void)
{
    char log[1024];
    uint8_t xpkt[32];
    size_t n;

    setup(1, true);
    CHECK_STR("m_read", req("m1000,10"), "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
    CHECK_STR("m_zero_len", req("m1000,0"), "");
    CHECK_STR("m_unmapped", req("m0,4"), "E14");
    CHECK_STR("m_top_overflow", req("mfffffffffffffff0,20"), "E14");
    CHECK_STR("m_top_exact", req("mffffffffffffffff,1"), "E14");
    CHECK_STR("m_partial_at_end", req("m10ff8,10"), "9090909090909090");
    CHECK_STR("m_no_len", req("m1000"), "E22");
    CHECK_STR("m_bad_len", req("m1000,zz"), "E22");
    CHECK_STR("m_trailing", req("m1000,4x"), "E22");
    req("m1000,100000");
    CHECK_INT("m_clamped_to_packet", reply.len, GDB_PACKET_SIZE);
    fake_clear_log(&ft);
    req("m1ff0,20");
    fake_log_copy(&ft, log, sizeof(log));
    CHECK_STR("m_split_at_page", log, "read_mem(0,1ff0,10) read_mem(0,2000,10) ");

    CHECK_STR("M_write", req("M1000,2:beef"), "OK");
    CHECK("M_applied", ft.mem[0] == 0xbe && ft.mem[1] == 0xef);
    CHECK_STR("M_short_data", req("M1000,2:be"), "E22");
    CHECK_STR("M_bad_hex", req("M1000,1:zz"), "E22");
    CHECK_STR("M_no_colon", req("M1000,1"), "E22");
    CHECK_STR("M_unmapped", req("M0,1:00"), "E14");
    CHECK_STR("M_wraps", req("Mffffffffffffffff,2:0000"), "E14");
    CHECK_STR("M_too_long", req("M1000,100000:00"), "E22");

    fake_clear_log(&ft);
    CHECK_STR("X_probe", req("X1000,0:"), "OK");
    fake_log_copy(&ft, log, sizeof(log));
    CHECK_STR("X_probe_no_write", log, "");
    n = (size_t)sprintf((char *)xpkt, "X1004,5:");
    memcpy(xpkt + n, "\0#$}*", 5);
    CHECK_STR("X_binary", req_bin(xpkt, n + 5), "OK");
    CHECK("X_binary_applied", memcmp(ft.mem + 4, "\0#$}*", 5) == 0);
    CHECK_STR("X_length_mismatch", req("X1000,4:ab"), "E22");
    CHECK_STR("X_unmapped", req("X0,1:a"), "E14");
    CHECK_STR("X_no_colon", req("X1000,1"), "E22");
}

static void test_resume(void)
{
    char want[256];

    setup(1, true);
    fake_clear_log(&ft);
    req("c");
    CHECK_INT("c_resumes", act, RSP_ACT_RESUMED);
    CHECK_STR("c_no_reply", strbuf_str(&reply), "");
    CHECK_INT("c_action", ft.last_req.cpu[0].action, RESUME_CONTINUE);
    CHECK_CONTAINS("c_interrupted", stop(), "T02thread:1;");
    req("s");
    CHECK_INT("s_resumes", act, RSP_ACT_RESUMED);
    CHECK_INT("s_action", ft.last_req.cpu[0].action, RESUME_STEP);
    snprintf(want, sizeof(want), "T05thread:1;06:%s;07:%s;10:%s;", le(0x9010, 8), le(0x9000, 8),
             le(0x1101, 8));
    CHECK_STR("s_stop_expedited", stop(), want);

    CHECK_STR("Z0_insert", req("Z0,1300,1"), "OK");
    req("c1200");
    CHECK_INT("c_addr_resumes", act, RSP_ACT_RESUMED);
    CHECK_CONTAINS("c_addr_swbreak", stop(), "T05thread:1;swbreak:;");
    CHECK_INT("c_addr_rip_at_bp", fake_get(&ft, 0, GDB_REG_RIP), 0x1300);
    CHECK_STR("c_bad_addr", req("cxyz"), "E22");
    req("s1280");
    CHECK_INT("s_addr_set_rip_then_stepped", fake_get(&ft, 0, GDB_REG_RIP), 0x1281);
    stop();
    req("C0b");
    CHECK("C_signal", act == RSP_ACT_RESUMED && ft.last_req.cpu[0].signal == 11);
    stop();
    req("C05;1250");
    CHECK("C_signal_addr", act == RSP_ACT_RESUMED && fake_get(&ft, 0, GDB_REG_RIP) == 0x1300);
    stop();
    CHECK_STR("C_no_signal", req("C"), "E22");
    CHECK_STR("C_signal_too_big", req("C100"), "E22");
    CHECK_STR("C_bad_sep", req("C05:1200"), "E22");
    req("S02");
    CHECK("S_signal", act == RSP_ACT_RESUMED && ft.last_req.cpu[0].action == RESUME_STEP &&
                          ft.last_req.cpu[0].signal == 2);
    stop();
    CHECK_STR("vcont_query", req("vCont?"), "vCont;c;C;s;S;t");
}

static void test_vcont_multi(void)
{
    setup(2, true);
    CHECK_STR("two_cpu_threads", req("qfThreadInfo"), "m1,2");
    CHECK_STR("thread_list_end", req("qsThreadInfo"), "l");
    req("vCont;s:1;c");
    CHECK("vcont_step_one_continue_rest", act == RSP_ACT_RESUMED && ft.last_req.ncpus == 2 &&
                                              ft.last_req.cpu[0].action == RESUME_STEP &&
                                              ft.last_req.cpu[1].action == RESUME_CONTINUE);
    stop();
    req("vCont;c:2");
    CHECK("vcont_only_thread2", act == RSP_ACT_RESUMED &&
                                    ft.last_req.cpu[0].action == RESUME_STOP &&
                                    ft.last_req.cpu[1].action == RESUME_CONTINUE);
    CHECK_CONTAINS("vcont_stop_thread", stop(), "thread:1;");
    req("vCont;C05:2;c");
    CHECK("vcont_signal", ft.last_req.cpu[1].signal == 5 && ft.last_req.cpu[0].signal == 0 &&
                              ft.last_req.cpu[0].action == RESUME_CONTINUE);
    stop();
    req("vCont;s:p1.2");
    CHECK("vcont_multiprocess_tid",
          act == RSP_ACT_RESUMED && ft.last_req.cpu[1].action == RESUME_STEP);
    CHECK_CONTAINS("step_stop_thread2", stop(), "T05thread:2;");
    CHECK_STR("qc_follows_stop", req("qC"), "QC2");
    req("g");
    CHECK("g_follows_stop", strncmp(strbuf_str(&reply), le(0x1111111111111112ull, 8), 16) == 0);
    req("vCont;c:-1");
    CHECK("vcont_all", act == RSP_ACT_RESUMED && ft.last_req.cpu[0].action == RESUME_CONTINUE &&
                           ft.last_req.cpu[1].action == RESUME_CONTINUE);
    stop();
    CHECK_STR("vcont_missing_thread", req("vCont;c:3"), "E03");
    CHECK_INT("vcont_missing_thread_no_resume", act, RSP_ACT_REPLY);
    CHECK_STR("vcont_missing_thread_late", req("vCont;s:1;c:7"), "E03");
    CHECK_STR("vcont_bad_action", req("vCont;x"), "E22");
    /* a target without range stepping: 'r' is one step (the degenerate form) */
    req("vCont;r1000,2000:1");
    CHECK("vcont_range_without_target_is_step",
          act == RSP_ACT_RESUMED && ft.last_req.cpu[0].action == RESUME_STEP);
    stop();
    CHECK_STR("vcont_empty", req("vCont;"), "E22");
    CHECK_STR("vcont_trailing_semicolon", req("vCont;c;"), "E22");
    CHECK_STR("vcont_bad_sep", req("vCont;c:1,s"), "E22");
    CHECK_CONTAINS("vcont_stop_only", req("vCont;t"), "T00thread:");
    CHECK_INT("vcont_stop_only_no_resume", act, RSP_ACT_REPLY);
    CHECK_STR("Hc_thread2", req("Hc2"), "OK");
    req("s");
    CHECK("s_hc_thread",
          ft.last_req.cpu[0].action == RESUME_STOP && ft.last_req.cpu[1].action == RESUME_STEP);
    stop();
    req("c");
    CHECK("c_hc_thread_only",
          ft.last_req.cpu[0].action == RESUME_STOP && ft.last_req.cpu[1].action == RESUME_CONTINUE);
    stop();
    CHECK_STR("T_alive", req("T2"), "OK");
    CHECK_STR("T_dead", req("T3"), "E03");
    CHECK_STR("T_zero", req("T0"), "E03");
    CHECK_STR("T_bad", req("Tzz"), "E22");
    CHECK_STR("thread_extra", req("qThreadExtraInfo,2"), hexstr("vCPU 1, long mode"));
    CHECK_STR("thread_extra_missing", req("qThreadExtraInfo,9"), "E03");
    CHECK_STR("thread_extra_bad", req("qThreadExtraInfo,"), "E22");
}

/* vCont;rSTART,END[:TID]: range stepping against the fake's range model (rip + 1 a
 * step). The fake starts cpu 0 at FAKE_MEM_BASE + 0x100 = 0x1100. */
static void test_vcont_range(void)
{
    setup(2, true);
    CHECK_STR("vcont_query_no_range", req("vCont?"), "vCont;c;C;s;S;t");
    ft.range_ok = true;
    CHECK_STR("vcont_query_range", req("vCont?"), "vCont;c;C;s;S;t;r");

    req("vCont;r1100,1108:1;c");
    CHECK("range_action", act == RSP_ACT_RESUMED && ft.last_req.cpu[0].action == RESUME_RANGE &&
                              ft.last_req.cpu[1].action == RESUME_CONTINUE);
    CHECK("range_bounds",
          ft.last_req.cpu[0].range_start == 0x1100 && ft.last_req.cpu[0].range_end == 0x1108);
    CHECK_CONTAINS("range_stop_sigtrap", stop(), "T05thread:1;");
    CHECK_INT("range_left_at_end", fake_get(&ft, 0, GDB_REG_RIP), 0x1108);
    CHECK_INT("range_stepped_inside", ft.range_steps, 8);

    /* a breakpoint inside the range: reported as hit, pc at it */
    ft.range_steps = 0;
    CHECK_STR("range_bp_insert", req("Z0,110c,1"), "OK");
    req("vCont;r1108,1120:p1.1");
    CHECK_CONTAINS("range_bp_stop", stop(), "swbreak:;");
    CHECK_INT("range_bp_pc", fake_get(&ft, 0, GDB_REG_RIP), 0x110c);
    CHECK_STR("range_bp_remove", req("z0,110c,1"), "OK");

    /* the pc already outside: one step, then the stop (step at least once) */
    ft.range_steps = 0;
    req("vCont;r2000,2010:1");
    stop();
    CHECK_INT("range_outside_steps_once", ft.range_steps, 1);

    /* START == END: a plain step; thread 2; the rest stays stopped */
    req("vCont;r1110,1110:2");
    CHECK("range_empty_is_step",
          ft.last_req.cpu[1].action == RESUME_STEP && ft.last_req.cpu[0].action == RESUME_STOP);
    CHECK_CONTAINS("range_empty_stop", stop(), "T05thread:2;");

    /* malformed: an error reply, nothing resumed */
    static const char *const bad[] = {
        "vCont;r",
        "vCont;r1000",
        "vCont;r1000,",
        "vCont;r,2000",
        "vCont;r2000,1000",
        "vCont;r1000;2000",
        "vCont;r1000,2000x",
        "vCont;r1000,2000:",
        "vCont;rg,2000",
        "vCont;r1000,zz:1",
        "vCont;r10000000000000000,1",
        "vCont;r1000,2000:1;",
        "vCont;r1000,2000,3000:1",
    };
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        int before = ft.resumes;
        char name[64];
        snprintf(name, sizeof(name), "range_malformed_%zu", i);
        CHECK_STR(name, req(bad[i]), "E22");
        CHECK_INT(name, ft.resumes, before);
    }
    CHECK_STR("range_missing_thread", req("vCont;r1000,2000:3"), "E03");
    CHECK_INT("range_missing_thread_no_resume", act, RSP_ACT_REPLY);
}

static void test_breakpoints(void)
{
    setup(1, true);
    CHECK_STR("Z0", req("Z0,1300,1"), "OK");
    CHECK_STR("z0", req("z0,1300,1"), "OK");
    CHECK_STR("z0_twice", req("z0,1300,1"), "E02");
    CHECK_STR("Z0_unmapped", req("Z0,0,1"), "E14");
    CHECK_STR("Z0_conditions_ignored", req("Z0,1300,1;X1,ab"), "OK");
    CHECK_STR("Z1_1", req("Z1,1400,1"), "OK");
    CHECK_STR("Z1_2", req("Z1,1401,1"), "OK");
    CHECK_STR("Z1_3", req("Z1,1402,1"), "OK");
    CHECK_STR("Z1_4", req("Z1,1403,1"), "OK");
    CHECK_STR("Z1_5_no_slot", req("Z1,1404,1"), "E28");
    CHECK_STR("z1", req("z1,1403,1"), "OK");
    CHECK_STR("Z2", req("Z2,2000,4"), "OK");
    CHECK_STR("Z_unknown_type", req("Z5,1000,1"), "");
    CHECK_STR("Z_no_type", req("Z"), "");
    CHECK_STR("Z0_bad_addr", req("Z0,zz,1"), "E22");
    CHECK_STR("Z0_no_kind", req("Z0,1000"), "E22");
    CHECK_STR("Z0_trailing", req("Z0,1000,1x"), "E22");
    ft.no_watch = true;
    CHECK_STR("Z3_unsupported_empty", req("Z3,2000,4"), "");
    CHECK_STR("z_unsupported_type_empty", req("z9,2000,4"), "");
}

static void test_stop_replies(void)
{
    struct stop_info st = { .reason = STOP_WATCH, .cpu = 0, .watch_addr = 0x2000 };

    setup(2, true);
    rsp_stop_reply(&ss, &st, &reply);
    CHECK_CONTAINS("stop_watch", strbuf_str(&reply), "T05thread:1;watch:2000;06:");
    st.reason = STOP_RWATCH;
    rsp_stop_reply(&ss, &st, &reply);
    CHECK_CONTAINS("stop_rwatch", strbuf_str(&reply), "T05thread:1;rwatch:2000;");
    st.reason = STOP_AWATCH;
    st.cpu = 1;
    rsp_stop_reply(&ss, &st, &reply);
    CHECK_CONTAINS("stop_awatch", strbuf_str(&reply), "T05thread:2;awatch:2000;");
    st = (struct stop_info){ .reason = STOP_HWBREAK, .cpu = 1 };
    rsp_stop_reply(&ss, &st, &reply);
    CHECK_CONTAINS("stop_hwbreak", strbuf_str(&reply), "T05thread:2;hwbreak:;");
    st = (struct stop_info){ .reason = STOP_SIGNAL, .cpu = 0, .signal = 11 };
    rsp_stop_reply(&ss, &st, &reply);
    CHECK_CONTAINS("stop_triple_fault", strbuf_str(&reply), "T0bthread:1;06:");
    st.signal = 4;
    rsp_stop_reply(&ss, &st, &reply);
    CHECK_CONTAINS("stop_emulation_failure", strbuf_str(&reply), "T04thread:1;");
    st = (struct stop_info){ .reason = STOP_EXITED, .exit_code = 3 };
    rsp_stop_reply(&ss, &st, &reply);
    CHECK_STR("stop_exited", strbuf_str(&reply), "W03");
    st.exit_code = 0x1ff;
    rsp_stop_reply(&ss, &st, &reply);
    CHECK_STR("stop_exited_low_byte", strbuf_str(&reply), "Wff");
    st = (struct stop_info){ .reason = STOP_KILLED };
    rsp_stop_reply(&ss, &st, &reply);
    CHECK_STR("stop_killed", strbuf_str(&reply), "X09");
    st = (struct stop_info){ .reason = STOP_SIGNAL, .cpu = 57, .signal = 2 };
    rsp_stop_reply(&ss, &st, &reply);
    CHECK_CONTAINS("stop_bad_cpu_clamped", strbuf_str(&reply), "T02thread:1;");

    /* A gdb that did not ask for swbreak/hwbreak does not get them. */
    setup(1, false);
    st = (struct stop_info){ .reason = STOP_SWBREAK, .cpu = 0 };
    rsp_stop_reply(&ss, &st, &reply);
    CHECK("stop_swbreak_not_negotiated", strncmp(strbuf_str(&reply), "T05thread:1;06:", 15) == 0);
}

static void test_monitor(void)
{
    char pkt[600];

    setup(1, true);
    snprintf(pkt, sizeof(pkt), "qRcmd,%s", hexstr("help"));
    CHECK_STR("rcmd_help_ok", req(pkt), "OK");
    CHECK_CONTAINS("rcmd_help_stub", strbuf_str(&ss.console), "help                 this list");
    CHECK_CONTAINS("rcmd_help_target", strbuf_str(&ss.console),
                   "mode                 the CPU mode");
    strbuf_reset(&ss.console);
    snprintf(pkt, sizeof(pkt), "qRcmd,%s", hexstr("mode"));
    CHECK_STR("rcmd_target_ok", req(pkt), "OK");
    CHECK_STR("rcmd_target_output", strbuf_str(&ss.console), "vCPU 0: long mode\n");
    strbuf_reset(&ss.console);
    snprintf(pkt, sizeof(pkt), "qRcmd,%s", hexstr("bogus 1 2"));
    CHECK_STR("rcmd_unknown_answers_ok", req(pkt), "OK");
    CHECK_CONTAINS("rcmd_unknown_says_so", strbuf_str(&ss.console),
                   "unknown monitor command \"bogus 1 2\"");
    strbuf_reset(&ss.console);
    snprintf(pkt, sizeof(pkt), "qRcmd,%s", hexstr("fail"));
    CHECK_STR("rcmd_error_answers_ok", req(pkt), "OK");
    CHECK_CONTAINS("rcmd_error_says_so", strbuf_str(&ss.console), "monitor fail: failed (error 5)");
    strbuf_reset(&ss.console);
    snprintf(pkt, sizeof(pkt), "qRcmd,%s", hexstr("huge"));
    CHECK_STR("rcmd_huge_ok", req(pkt), "OK");
    CHECK("rcmd_huge_bounded", ss.console.len <= RSP_CONSOLE_MAX);
    CHECK_CONTAINS("rcmd_huge_truncated_note", strbuf_str(&ss.console),
                   "[monitor output truncated]");
    strbuf_reset(&ss.console);
    CHECK_STR("rcmd_odd_hex", req("qRcmd,686"), "E22");
    CHECK_STR("rcmd_bad_hex", req("qRcmd,zz"), "E22");
    CHECK_STR("rcmd_embedded_nul", req("qRcmd,6800"), "E22");
    CHECK_STR("rcmd_empty_unknown_answers_ok", req("qRcmd,"), "OK");
    strbuf_reset(&ss.console);

    /* Without a target monitor hook, help still works. */
    struct gdb_target_ops ops = fake_ops;
    ops.monitor = NULL;
    ss.ops = &ops;
    snprintf(pkt, sizeof(pkt), "qRcmd,%s", hexstr("help"));
    CHECK_STR("rcmd_help_no_target", req(pkt), "OK");
    CHECK_CONTAINS("rcmd_help_no_target_text", strbuf_str(&ss.console), "this list");
    ss.ops = &fake_ops;
    strbuf_reset(&ss.console);
}

static void test_xfer(void)
{
    struct strbuf want, got;
    char pkt[128];
    bool ok = true;

    setup(1, true);
    strbuf_init(&want, 1 << 16);
    strbuf_init(&got, 1 << 16);
    x86_target_xml(&want, x86_layout_get(GDB_ARCH_X86_64));
    /* Read it the way gdb does, in pieces, until an 'l' reply. */
    for (size_t off = 0; ok;) {
        snprintf(pkt, sizeof(pkt), "qXfer:features:read:target.xml:%zx,3e8", off);
        const char *r = req(pkt);
        if (r[0] != 'm' && r[0] != 'l') {
            ok = false;
            break;
        }
        strbuf_append(&got, r + 1, reply.len - 1);
        off += reply.len - 1;
        if (r[0] == 'l')
            break;
    }
    CHECK("xfer_reassembled", ok && got.len == want.len && memcmp(got.buf, want.buf, got.len) == 0);
    snprintf(pkt, sizeof(pkt), "qXfer:features:read:target.xml:%zx,10", want.len);
    CHECK_STR("xfer_past_end", req(pkt), "l");
    CHECK_STR("xfer_far_past_end", req("qXfer:features:read:target.xml:ffffffffffffffff,10"), "l");
    CHECK_STR("xfer_unknown_annex", req("qXfer:features:read:i386-64bit.xml:0,10"), "E02");
    CHECK_STR("xfer_bad_range", req("qXfer:features:read:target.xml:zz"), "E22");
    CHECK_STR("xfer_other_object", req("qXfer:threads:read::0,100"), "");
    req("qXfer:features:read:target.xml:0,ffffffff");
    CHECK("xfer_huge_len_whole_doc", reply.buf[0] == 'l' && reply.len == want.len + 1);
    strbuf_free(&want);
    strbuf_free(&got);
}

static void test_detach_kill(void)
{
    setup(1, true);
    CHECK_STR("detach_ok", req("D"), "OK");
    CHECK("detach_action", act == RSP_ACT_DETACHED && ft.detaches == 1);
    req("D;1");
    CHECK("detach_pid_action", act == RSP_ACT_DETACHED && ft.detaches == 2);
    req("k");
    CHECK("kill_action", act == RSP_ACT_KILLED && ft.kills == 1);
}

/* Random packets built from real packet names and random tails. */
static void test_fuzz(void)
{
    static const char *const heads[] = {
        "g",
        "G",
        "p",
        "P",
        "m",
        "M",
        "X",
        "c",
        "C",
        "s",
        "S",
        "Z",
        "z",
        "H",
        "T",
        "?",
        "D",
        "k",
        "qSupported",
        "qC",
        "qAttached",
        "qfThreadInfo",
        "qsThreadInfo",
        "qThreadExtraInfo,",
        "qRcmd,",
        "qXfer:features:read:target.xml:",
        "qXfer:features:read:",
        "QStartNoAckMode",
        "vCont?",
        "vCont;",
        "vCont;c:",
        "vCont;r",
        "vCont;r1100,",
        "Hg",
        "Hc",
    };
    static const char alphabet[] = "0123456789abcdefABCDEF,:;=-px.#$}*\x00\xff";
    uint8_t pkt[600];
    uint32_t seed = 12345;
    bool alive = true;

    setup(3, true);
    ft.exit_on_run = false;
    ft.range_ok = true;
    for (int iter = 0; iter < 30000 && alive; iter++) {
        const char *h;
        size_t n, tail;

        seed = seed * 1103515245 + 12345;
        h = heads[(seed >> 16) % (ARRAY_SIZE(heads))];
        n = strlen(h);

        memcpy(pkt, h, n);
        seed = seed * 1103515245 + 12345;
        tail = (seed >> 16) % 80;
        if ((seed >> 8 & 15) == 0)
            tail = (seed >> 4) % 500;
        for (size_t i = 0; i < tail; i++) {
            seed = seed * 1103515245 + 12345;
            pkt[n++] = (uint8_t)alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
        }
        pkt[n] = '\0';
        act = rsp_dispatch(&ss, pkt, n, &reply);
        if (act == RSP_ACT_RESUMED)
            stop();
        strbuf_reset(&ss.console);
        alive = reply.len <= RSP_REPLY_MAX;
    }
    CHECK("fuzz_survived", alive);
}

int main(void)
{
    strbuf_init(&reply, RSP_REPLY_MAX);
    test_handshake();
    test_stop_query();
    test_registers();
    test_memory();
    test_resume();
    test_vcont_multi();
    test_vcont_range();
    test_breakpoints();
    test_stop_replies();
    test_monitor();
    test_xfer();
    test_detach_kill();
    test_fuzz();
    rsp_session_free(&ss);
    fake_fini(&ft);
    strbuf_free(&reply);
    return CHECK_DONE();
}
