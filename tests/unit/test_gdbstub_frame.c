/* gdbstub pure pieces: strbuf, field parsers, the packet framer and the register
 * table / target.xml. No sockets, no threads. */
#include "tests/unit/check.h"

#include <errno.h>
#include <stdlib.h>

#include "gdbstub/rsp.h"
#include "gdbstub/strbuf.h"
#include "gdbstub/x86_layout.h"
#include "gdbstub/x86_regs.h"

/* "$body#cc" with a correct checksum. */
static void frame(char *out, size_t n, const char *body)
{
    unsigned sum = 0;

    for (const char *p = body; *p; p++)
        sum += (uint8_t)*p;
    snprintf(out, n, "$%s#%02x", body, sum & 0xff);
}

/* Feeds a whole string, returns the first event that is not NONE. */
static struct rsp_event feed(struct rsp_framer *f, const void *data, size_t len, size_t *used)
{
    struct rsp_event ev = { .kind = RSP_EV_NONE };
    size_t off = 0;

    while (off < len) {
        off += rsp_framer_feed(f, (const uint8_t *)data + off, len - off, &ev);
        if (ev.kind != RSP_EV_NONE)
            break;
    }
    if (used)
        *used = off;
    return ev;
}

static struct rsp_event feed_str(struct rsp_framer *f, const char *s)
{
    return feed(f, s, strlen(s), NULL);
}

static void test_strbuf(void)
{
    struct strbuf sb;

    strbuf_init(&sb, 8);
    CHECK_STR("strbuf_empty_str", strbuf_str(&sb), "");
    CHECK_INT("strbuf_puts", strbuf_puts(&sb, "abc"), 0);
    CHECK_INT("strbuf_printf", strbuf_printf(&sb, "%d", 42), 0);
    CHECK_STR("strbuf_content", strbuf_str(&sb), "abc42");
    CHECK_INT("strbuf_bound_refused", strbuf_puts(&sb, "xyzw"), -ENOSPC);
    CHECK("strbuf_overflow_flag", sb.overflow);
    CHECK_STR("strbuf_all_or_nothing", strbuf_str(&sb), "abc42");
    CHECK_INT("strbuf_fits_exactly", strbuf_puts(&sb, "xyz"), 0);
    CHECK_INT("strbuf_len_at_bound", sb.len, 8);
    CHECK_INT("strbuf_printf_over_bound", strbuf_printf(&sb, "%s", "q"), -ENOSPC);
    strbuf_consume(&sb, 3);
    CHECK_STR("strbuf_consume", strbuf_str(&sb), "42xyz");
    strbuf_reset(&sb);
    CHECK_INT("strbuf_hex", strbuf_hex(&sb, "\x01\xab\xff", 3), 0);
    CHECK_STR("strbuf_hex_text", strbuf_str(&sb), "01abff");
    CHECK_INT("strbuf_hex_over_bound", strbuf_hex(&sb, "\x01\x02", 2), -ENOSPC);
    strbuf_free(&sb);
    CHECK("strbuf_free_resets", sb.buf == NULL && sb.len == 0);
}

static void test_parse(void)
{
    const char *s, *e;
    uint64_t v;
    long tid;
    uint8_t out[4];

    s = "1234abcd,";
    e = s + strlen(s);
    CHECK("parse_hex_ok", rsp_parse_hex(&s, e, &v) == 0 && v == 0x1234abcd && *s == ',');
    s = "ffffffffffffffff";
    e = s + strlen(s);
    CHECK("parse_hex_64bit", rsp_parse_hex(&s, e, &v) == 0 && v == UINT64_MAX);
    s = "10000000000000000";
    e = s + strlen(s);
    CHECK_INT("parse_hex_too_long", rsp_parse_hex(&s, e, &v), -EINVAL);
    s = ",1";
    e = s + 2;
    CHECK_INT("parse_hex_empty", rsp_parse_hex(&s, e, &v), -EINVAL);
    s = "12";
    e = s + 1;
    CHECK("parse_hex_respects_end", rsp_parse_hex(&s, e, &v) == 0 && v == 1);
    s = "-1";
    e = s + 2;
    CHECK("parse_tid_all", rsp_parse_tid(&s, e, &tid) == 0 && tid == -1);
    s = "p1.2";
    e = s + 4;
    CHECK("parse_tid_multiprocess", rsp_parse_tid(&s, e, &tid) == 0 && tid == 2);
    s = "p-1";
    e = s + 3;
    CHECK("parse_tid_process_only", rsp_parse_tid(&s, e, &tid) == 0 && tid == -1);
    s = "x";
    e = s + 1;
    CHECK_INT("parse_tid_bad", rsp_parse_tid(&s, e, &tid), -EINVAL);
    s = "fffffffff";
    e = s + strlen(s);
    CHECK_INT("parse_tid_huge", rsp_parse_tid(&s, e, &tid), -EINVAL);
    CHECK("hex_decode_ok",
          rsp_hex_decode("0aFf", 4, out, 2) == 0 && out[0] == 0x0a && out[1] == 0xff);
    CHECK_INT("hex_decode_odd", rsp_hex_decode("0aF", 3, out, 2), -EINVAL);
    CHECK_INT("hex_decode_bad_digit", rsp_hex_decode("0g", 2, out, 1), -EINVAL);
}

static void test_framer_basic(void)
{
    struct rsp_framer f;
    struct rsp_event ev;
    char buf[128];
    size_t used;

    CHECK_INT("framer_init", rsp_framer_init(&f, 64), 0);
    ev = feed_str(&f, "$g#67");
    CHECK_INT("framer_packet_kind", ev.kind, RSP_EV_PACKET);
    CHECK("framer_packet_data", ev.len == 1 && ev.data[0] == 'g' && ev.data[1] == '\0');
    CHECK_INT("framer_ack", feed_str(&f, "+").kind, RSP_EV_ACK);
    CHECK_INT("framer_nak", feed_str(&f, "-").kind, RSP_EV_NAK);
    CHECK_INT("framer_ctrl_c", feed_str(&f, "\x03").kind, RSP_EV_INTERRUPT);

    ev = feed(&f, "junk\r\n\x01zz$?#3f", 14, &used);
    CHECK_INT("framer_garbage_skipped", ev.kind, RSP_EV_PACKET);
    CHECK("framer_garbage_packet", ev.len == 1 && ev.data[0] == '?');
    CHECK_INT("framer_stops_after_event", used, 14);

    CHECK_INT("framer_bad_checksum", feed_str(&f, "$g#00").kind, RSP_EV_BAD_CHECKSUM);
    CHECK_INT("framer_nonhex_checksum", feed_str(&f, "$g#6z").kind, RSP_EV_BAD_CHECKSUM);
    CHECK_INT("framer_upper_checksum", feed_str(&f, "$qC#B4").kind, RSP_EV_PACKET);

    /* Two packets in one buffer come out one at a time. */
    ev = feed(&f, "$g#67$?#3f", 10, &used);
    CHECK("framer_first_of_two", ev.kind == RSP_EV_PACKET && ev.data[0] == 'g' && used == 5);
    ev = feed(&f, "$?#3f", 5, NULL);
    CHECK("framer_second_of_two", ev.kind == RSP_EV_PACKET && ev.data[0] == '?');

    /* Byte by byte gives the same result. */
    frame(buf, sizeof(buf), "m1000,4");
    ev.kind = RSP_EV_NONE;
    for (size_t i = 0; buf[i] && ev.kind == RSP_EV_NONE; i++)
        rsp_framer_feed(&f, (const uint8_t *)buf + i, 1, &ev);
    CHECK("framer_bytewise",
          ev.kind == RSP_EV_PACKET && strcmp((const char *)ev.data, "m1000,4") == 0);

    CHECK_INT("framer_dollar_in_checksum", feed_str(&f, "$g#6$").kind, RSP_EV_BAD_CHECKSUM);
    ev = feed_str(&f, "g#67");
    CHECK("framer_dollar_in_checksum_restarts", ev.kind == RSP_EV_PACKET && ev.data[0] == 'g');
    /* A '$' inside a body: the peer restarted, the old packet is forgotten. */
    ev = feed_str(&f, "$abc$g#67");
    CHECK("framer_restart_on_dollar", ev.kind == RSP_EV_PACKET && ev.len == 1 && ev.data[0] == 'g');
    CHECK("framer_idle_after", !rsp_framer_in_packet(&f));
    feed_str(&f, "$ab");
    CHECK("framer_in_packet", rsp_framer_in_packet(&f));
    rsp_framer_reset(&f);
    CHECK("framer_reset", !rsp_framer_in_packet(&f));
    rsp_framer_free(&f);
}

static void test_framer_decoding(void)
{
    struct rsp_framer f;
    struct rsp_event ev;
    char buf[128];

    rsp_framer_init(&f, 64);
    /* "}]" is an escaped '}', "}\x03" an escaped '#', "} " an escaped NUL. */
    frame(buf, sizeof(buf), "X1,4:}]}\x03}\x04} ");
    ev = feed_str(&f, buf);
    CHECK_INT("framer_escape_kind", ev.kind, RSP_EV_PACKET);
    CHECK("framer_escape_data", ev.len == 9 && memcmp(ev.data, "X1,4:}#$\0", 9) == 0);

    frame(buf, sizeof(buf), "0* ");
    ev = feed_str(&f, buf);
    CHECK("framer_rle_min", ev.kind == RSP_EV_PACKET && strcmp((const char *)ev.data, "0000") == 0);
    frame(buf, sizeof(buf), "xa*\"y");
    ev = feed_str(&f, buf);
    CHECK("framer_rle_mid",
          ev.kind == RSP_EV_PACKET && strcmp((const char *)ev.data, "xaaaaaay") == 0);
    /* An escaped byte can be repeated too. */
    frame(buf, sizeof(buf), "}]* ");
    ev = feed_str(&f, buf);
    CHECK("framer_rle_of_escape",
          ev.kind == RSP_EV_PACKET && strcmp((const char *)ev.data, "}}}}") == 0);

    frame(buf, sizeof(buf), "* ab");
    CHECK_INT("framer_rle_nothing_before", feed_str(&f, buf).kind, RSP_EV_MALFORMED);
    frame(buf, sizeof(buf), "a*\x01");
    CHECK_INT("framer_rle_bad_count", feed_str(&f, buf).kind, RSP_EV_MALFORMED);
    frame(buf, sizeof(buf), "abc}");
    CHECK_INT("framer_truncated_escape", feed_str(&f, buf).kind, RSP_EV_MALFORMED);
    frame(buf, sizeof(buf), "abc*");
    CHECK_INT("framer_truncated_rle", feed_str(&f, buf).kind, RSP_EV_MALFORMED);
    /* A bad checksum wins over a decoding problem: retransmission may help. */
    CHECK_INT("framer_truncated_escape_badsum", feed_str(&f, "$abc}#00").kind, RSP_EV_BAD_CHECKSUM);
    CHECK_INT("framer_ok_after_malformed", feed_str(&f, "$g#67").kind, RSP_EV_PACKET);
    rsp_framer_free(&f);
}

static void test_framer_bounds(void)
{
    struct rsp_framer f;
    struct rsp_event ev;
    char buf[128];
    uint8_t *big;
    const size_t mib = 1 << 20;

    rsp_framer_init(&f, 16);
    frame(buf, sizeof(buf), "0123456789abcdef");
    CHECK_INT("framer_exactly_max", feed_str(&f, buf).kind, RSP_EV_PACKET);
    frame(buf, sizeof(buf), "0123456789abcdefX");
    CHECK_INT("framer_oversize", feed_str(&f, buf).kind, RSP_EV_OVERSIZE);
    CHECK_INT("framer_ok_after_oversize", feed_str(&f, "$g#67").kind, RSP_EV_PACKET);
    /* Run-length codes must not expand past the bound either. */
    frame(buf, sizeof(buf), "a*~");
    CHECK_INT("framer_rle_oversize", feed_str(&f, buf).kind, RSP_EV_OVERSIZE);

    /* 1 MiB without '#': nothing comes out, nothing grows, then the peer
     * finishes the packet (dropped) or starts a new one (served). */
    big = malloc(mib);
    memset(big, 'a', mib);
    big[0] = '$';
    ev = feed(&f, big, mib, NULL);
    CHECK_INT("framer_endless_no_event", ev.kind, RSP_EV_NONE);
    CHECK("framer_endless_bounded", f.len <= 16);
    CHECK_INT("framer_endless_dropped", feed_str(&f, "#00").kind, RSP_EV_OVERSIZE);
    feed(&f, big, mib, NULL);
    CHECK_INT("framer_endless_then_new", feed_str(&f, "$g#67").kind, RSP_EV_PACKET);
    free(big);
    rsp_framer_free(&f);
}

static void test_frame_out(void)
{
    struct strbuf sb;
    uint8_t bin[] = { 'a', '#', '$', '}', '*', 0, 0xff };

    strbuf_init(&sb, 64);
    rsp_frame_packet(&sb, "OK", 2);
    CHECK_STR("frame_packet_ok", strbuf_str(&sb), "$OK#9a");
    strbuf_reset(&sb);
    rsp_frame_packet(&sb, "", 0);
    CHECK_STR("frame_packet_empty", strbuf_str(&sb), "$#00");
    strbuf_reset(&sb);
    rsp_put_binary(&sb, bin, sizeof(bin));
    CHECK("put_binary_escapes",
          sb.len == 11 && memcmp(sb.buf, "a}\x03}\x04}]}\x0a\0\xff", 11) == 0);
    strbuf_free(&sb);
    strbuf_init(&sb, 5);
    CHECK_INT("frame_packet_too_big", rsp_frame_packet(&sb, "OK", 2), -ENOSPC);
    CHECK_INT("frame_packet_nothing_left", sb.len, 0);
    strbuf_free(&sb);
}

static void test_regs_table(void)
{
    unsigned off = 0;
    bool contiguous = true;

    CHECK_INT("reg_rip_number", GDB_REG_RIP, 16);
    CHECK_INT("reg_eflags_number", GDB_REG_EFLAGS, 17);
    CHECK_INT("reg_st0_number", GDB_REG_ST0, 24);
    CHECK_INT("reg_xmm0_number", GDB_REG_XMM0, 40);
    CHECK_INT("reg_mxcsr_number", GDB_REG_MXCSR, 56);
    CHECK_INT("reg_fs_base_number", GDB_REG_FS_BASE, 57);
    CHECK_INT("reg_cr0_number", GDB_REG_CR0, 60);
    CHECK_INT("reg_efer_number", GDB_REG_EFER, 65);
    CHECK_INT("reg_count", GDB_NUM_REGS, 66);
    CHECK_INT("reg_off_rip", GDB_OFF_RIP, 128);
    CHECK_INT("reg_off_cs", GDB_OFF_CS, 140);
    CHECK_INT("reg_off_st0", GDB_OFF_ST0, 164);
    CHECK_INT("reg_off_fctrl", GDB_OFF_FCTRL, 244);
    CHECK_INT("reg_off_xmm0", GDB_OFF_XMM0, 276);
    CHECK_INT("reg_off_mxcsr", GDB_OFF_MXCSR, 532);
    CHECK_INT("reg_off_fs_base", GDB_OFF_FS_BASE, 536);
    CHECK_INT("reg_off_cr0", GDB_OFF_CR0, 560);
    CHECK_INT("reg_off_efer", GDB_OFF_EFER, 600);
    CHECK_INT("reg_block_size", GDB_REGS_SIZE, 608);
    for (int r = 0; r < GDB_NUM_REGS; r++) {
        contiguous &= x86_regs[r].offset == off && x86_regs[r].name != NULL;
        off += x86_regs[r].bitsize / 8;
    }
    CHECK("reg_table_contiguous", contiguous && off == GDB_REGS_SIZE);
    CHECK_STR("reg_table_name", x86_regs[GDB_REG_K_GS_BASE].name, "k_gs_base");
    CHECK_INT("reg_size_eflags", x86_reg_size(GDB_REG_EFLAGS), 4);
    CHECK_INT("reg_size_st0", x86_reg_size(GDB_REG_ST0), 10);
    CHECK_INT("reg_size_bad", x86_reg_size(GDB_NUM_REGS), 0);
    {
        uint8_t block[GDB_REGS_SIZE] = { 0 };

        x86_reg_set(block, GDB_REG_EFLAGS, 0x1122334455ull);
        CHECK_INT("reg_set_truncates_to_width", x86_reg_get(block, GDB_REG_EFLAGS), 0x22334455);
        CHECK_INT("reg_set_leaves_neighbour", block[GDB_OFF_CS], 0);
        x86_reg_set(block, GDB_REG_RIP, 0x0102030405060708ull);
        CHECK("reg_little_endian", block[GDB_OFF_RIP] == 8 && block[GDB_OFF_RIP + 7] == 1);
    }
}

/* The document gdb parses, for every layout: architecture, every register in the
 * layout's order, and every non-predefined type defined inside the feature that
 * uses it, with the size of the register that uses it. */
static void check_xml(const struct x86_layout *l, const char *want_arch)
{
    static const char *const predefined[] = {
        "int", "int32", "int64", "uint32", "uint64", "data_ptr", "code_ptr", "i387_ext", NULL,
    };
    struct strbuf sb;
    const char *p, *feat_start = NULL;
    bool order_ok = true, types_ok = true;
    int nregs = 0;
    char name_buf[64];

    strbuf_init(&sb, 1 << 16);
    snprintf(name_buf, sizeof(name_buf), "xml_generate_%s", l->name);
    CHECK_INT(name_buf, x86_target_xml(&sb, l), 0);
    CHECK_CONTAINS("xml_arch", strbuf_str(&sb), want_arch);
    CHECK_CONTAINS("xml_core", strbuf_str(&sb), "<feature name=\"org.gnu.gdb.i386.core\">");
    CHECK_CONTAINS("xml_sse", strbuf_str(&sb), "<feature name=\"org.gnu.gdb.i386.sse\">");
    CHECK_CONTAINS("xml_segments", strbuf_str(&sb), "<feature name=\"org.gnu.gdb.i386.segments\">");
    CHECK_CONTAINS("xml_end", strbuf_str(&sb), "</feature>\n</target>\n");
    for (p = sb.buf; (p = strstr(p, "<")) != NULL; p++) {
        char name[32], type[32], want[64];
        unsigned bits;

        if (strncmp(p, "<feature ", 9) == 0)
            feat_start = p;
        if (strncmp(p, "<reg ", 5) != 0)
            continue;
        if (sscanf(p, "<reg name=\"%31[^\"]\" bitsize=\"%u\" type=\"%31[^\"]\"", name, &bits,
                   type) != 3) {
            order_ok = false;
            break;
        }
        if (nregs >= l->nregs || strcmp(name, l->regs[nregs].name) != 0)
            order_ok = false;
        nregs++;
        bool pre = false;
        for (int i = 0; predefined[i]; i++)
            pre |= strcmp(type, predefined[i]) == 0;
        snprintf(want, sizeof(want), "id=\"%s\"", type);
        if (!pre) {
            const char *def = feat_start ? strstr(feat_start, want) : NULL;
            unsigned size = 0;
            if (!def || def > p)
                types_ok = false;
            else if (strncmp(def - 7, "<flags ", 7) == 0 &&
                     (sscanf(def + strlen(want), " size=\"%u\"", &size) != 1 || size * 8 != bits))
                types_ok = false;
        }
    }
    CHECK_INT("xml_reg_count", nregs, l->nregs);
    CHECK("xml_reg_order", order_ok);
    CHECK("xml_types_defined_in_feature_with_the_register_size", types_ok);
    strbuf_free(&sb);
    strbuf_init(&sb, 100);
    CHECK_INT("xml_bounded", x86_target_xml(&sb, l), -ENOSPC);
    strbuf_free(&sb);
}

static void test_target_xml(void)
{
    check_xml(x86_layout_get(GDB_ARCH_X86_64), "<architecture>i386:x86-64</architecture>");
    check_xml(x86_layout_get(GDB_ARCH_I386), "<architecture>i386</architecture>");
    check_xml(x86_layout_get(GDB_ARCH_I8086), "<architecture>i8086</architecture>");
}

/* The 32-bit view: gdb's i386 numbering, sizes, and conversions that keep what the
 * view does not show. */
static void test_layouts(void)
{
    const struct x86_layout *l = x86_layout_get(GDB_ARCH_I386);
    static const char *const first[] = { "eax", "ecx",    "edx", "ebx", "esp", "ebp", "esi", "edi",
                                         "eip", "eflags", "cs",  "ss",  "ds",  "es",  "fs",  "gs" };
    bool names = true;
    for (int i = 0; i < 16; i++)
        names &= strcmp(l->regs[i].name, first[i]) == 0;
    CHECK("i386_numbering", names);
    CHECK_INT("i386_nregs", l->nregs, 48);
    CHECK_INT("i386_block_size", l->size,
              8 * 4 + 4 + 4 + 6 * 4 + 8 * 10 + 8 * 4 + 8 * 16 + 4 + 2 * 4 + 5 * 4);
    CHECK_INT("i386_eip_regno", x86_layout_regno(l, GDB_REG_RIP), 8);
    CHECK_INT("i386_esp_regno", x86_layout_regno(l, GDB_REG_RSP), 4);
    CHECK_INT("i386_no_r8", x86_layout_regno(l, GDB_REG_R8), -1);
    CHECK_INT("x86_64_identity", x86_layout_regno(x86_layout_get(GDB_ARCH_X86_64), GDB_REG_EFER),
              GDB_REG_EFER);
    CHECK("i8086_same_registers", x86_layout_get(GDB_ARCH_I8086)->regs == l->regs);
    CHECK_INT("bad_arch_is_x86_64", x86_layout_get((enum gdb_arch)99)->arch, GDB_ARCH_X86_64);

    uint8_t canon[GDB_REGS_SIZE] = { 0 }, view[GDB_REGS_SIZE] = { 0 };
    x86_reg_set(canon, GDB_REG_RAX, 0x1122334455667788ull);
    x86_reg_set(canon, GDB_REG_RSP, 0xffff800000001000ull);
    x86_reg_set(canon, GDB_REG_R9, 0x99);
    x86_layout_from_canon(l, canon, view);
    CHECK_INT("i386_eax_low_half", view[0] | view[1] << 8 | view[2] << 16 | (uint32_t)view[3] << 24,
              0x55667788);
    CHECK_INT("i386_esp", view[16] | view[17] << 8, 0x1000);
    view[0] = 0xdd; /* eax = 0x556677dd */
    x86_layout_to_canon(l, view, canon);
    CHECK_INT("i386_write_keeps_upper_half", x86_reg_get(canon, GDB_REG_RAX),
              0x11223344556677ddull);
    CHECK_INT("i386_write_keeps_unshown", x86_reg_get(canon, GDB_REG_R9), 0x99);
    uint8_t eip[4] = { 0x0b, 0x7c, 0, 0 };
    CHECK_INT("i386_reg_write", x86_layout_reg_to_canon(l, 8, eip, canon), 0);
    CHECK_INT("i386_reg_write_value", x86_reg_get(canon, GDB_REG_RIP), 0x7c0b);
    CHECK_INT("i386_reg_write_bad", x86_layout_reg_to_canon(l, 48, eip, canon), -EINVAL);
}

/* Random bytes heavy in framing characters, fed in random pieces: every
 * packet that comes out is within the bound and NUL-terminated. */
static void test_framer_fuzz(void)
{
    static const char alphabet[] = "$#}*+-\003ab0f9 ";
    struct rsp_framer f;
    uint32_t seed = 7;
    size_t packets = 0;
    bool ok = true;
    uint8_t buf[256];

    rsp_framer_init(&f, 32);
    for (int iter = 0; iter < 20000 && ok; iter++) {
        size_t n, off = 0;

        seed = seed * 1103515245 + 12345;
        n = (seed >> 16) % sizeof(buf) + 1;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245 + 12345;
            buf[i] = (uint8_t)alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
        }
        /* Now and then a real packet, which must survive whatever came before. */
        if (iter % 50 == 0) {
            memcpy(buf + n - (n > 5 ? 5 : n), "$g#67", n > 5 ? 5 : n);
            if (n < 5)
                n = 0;
        }
        while (off < n) {
            struct rsp_event ev;
            size_t used = rsp_framer_feed(&f, buf + off, n - off, &ev);

            ok &= used > 0 && used <= n - off;
            off += used;
            if (ev.kind == RSP_EV_PACKET) {
                packets += ev.len == 1 && ev.data[0] == 'g';
                ok &= ev.len <= 32 && ev.data[ev.len] == '\0';
            }
        }
    }
    CHECK("framer_fuzz_bounded", ok);
    CHECK("framer_fuzz_resyncs", packets >= 20000 / 50 - 10);
    rsp_framer_free(&f);
}

int main(void)
{
    test_strbuf();
    test_parse();
    test_framer_basic();
    test_framer_decoding();
    test_framer_bounds();
    test_framer_fuzz();
    test_frame_out();
    test_regs_table();
    test_target_xml();
    test_layouts();
    return CHECK_DONE();
}
