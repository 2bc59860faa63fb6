/* The pure pieces of the protocol, with no sockets and no threads: the packet
 * framer (bytes in, checked and decoded packets out) and the dispatcher (one
 * packet in, one reply out, target ops called in between). gdbstub.c glues them
 * to a socket; tests and fuzzers call them directly against a fake target. */
#ifndef MINIKVM_RSP_H
#define MINIKVM_RSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdbstub/gdbstub.h"
#include "gdbstub/strbuf.h"
#include "gdbstub/x86_regs.h"

/* The value of one hex digit, or -1: shared by the framer and the field parsers. */
int rsp_hexdigit(int c);

/* ---- parsing (rsp_parse.c); each returns 0 or -EINVAL and advances *p ---- */

/* 1 to 16 hex digits. */
int rsp_parse_hex(const char **p, const char *end, uint64_t *out);
/* The next byte must be c. */
int rsp_expect(const char **p, const char *end, char c);
/* A thread id: "-1" -> -1 (all), "0" -> 0 (any), else the number, which the
 * caller validates. A "pPID." prefix (multiprocess syntax) is accepted and the
 * pid ignored, in case a gdb uses it without having negotiated it. */
int rsp_parse_tid(const char **p, const char *end, long *tid);
/* Exactly 2*n hex digits into n bytes. */
int rsp_hex_decode(const char *hex, size_t hexlen, uint8_t *out, size_t n);

/* ---- framing ---- */

enum rsp_event_kind {
    RSP_EV_NONE,         /* the input ran out before anything complete */
    RSP_EV_PACKET,       /* a packet with a good checksum; data/len hold it decoded */
    RSP_EV_ACK,          /* '+' between packets */
    RSP_EV_NAK,          /* '-' between packets: the peer wants our last packet again */
    RSP_EV_INTERRUPT,    /* 0x03 between packets: gdb's Ctrl-C */
    RSP_EV_BAD_CHECKSUM, /* answer '-' so the peer retransmits */
    RSP_EV_OVERSIZE,     /* body longer than the bound: dropped, answer '-' */
    RSP_EV_MALFORMED,    /* checksum fine but an escape or run-length code is
                             broken (e.g. '}' right before '#'): retransmitting
                             cannot help, so this is answered with an error */
};

struct rsp_event {
    enum rsp_event_kind kind;
    const uint8_t *data; /* RSP_EV_PACKET: decoded body, NUL-terminated; it may
                             contain NULs itself (X packets). Valid until the next
                             feed */
    size_t len;
};

struct rsp_framer {
    int state;          /* where in "$body#xx" the next byte falls */
    size_t max;         /* bound on the raw body and on the decoded body */
    uint8_t *pkt;       /* decoded body, max+1 bytes (room for the NUL) */
    size_t len;         /* decoded bytes so far */
    size_t raw_len;     /* raw body bytes so far (saturates: a packet that never
                             ends costs no memory) */
    uint8_t sum;        /* running checksum of the raw body */
    uint8_t got_sum;    /* checksum digits received so far */
    bool escape;        /* the previous raw byte was '}' */
    bool repeat;        /* the previous raw byte was '*': this one is a count */
    bool oversize;      /* the body outgrew max: drop it at its end */
    bool malformed;     /* a decoding error: report it at the end */
    bool bad_sum_digit; /* a checksum character was not hex */
};

/* max: the body bound, normally GDB_PACKET_SIZE. 0 or -ENOMEM. */
int rsp_framer_init(struct rsp_framer *f, size_t max);
void rsp_framer_free(struct rsp_framer *f);
/* Forget a half-received packet (new connection). */
void rsp_framer_reset(struct rsp_framer *f);
/* True between '$' and the last checksum digit. */
bool rsp_framer_in_packet(const struct rsp_framer *f);
/* Consumes bytes from in[0..n) up to and including the first one that completes
 * an event, fills ev (RSP_EV_NONE if none) and returns how many bytes it took.
 * Call again with the rest. Garbage between packets is skipped silently; a '$'
 * inside a body restarts the packet, as gdb itself does. Escapes ("}x" = x^0x20)
 * and run-length codes ("x*n" = x repeated n-29 more times, n a printable
 * character) are decoded; the checksum covers the raw bytes. */
size_t rsp_framer_feed(struct rsp_framer *f, const uint8_t *in, size_t n, struct rsp_event *ev);

/* Appends "$body#cc" to out. The body is sent as is: callers escape binary data
 * with rsp_put_binary(); our replies never use run-length encoding. */
int rsp_frame_packet(struct strbuf *out, const void *body, size_t len);
/* Appends data escaping '#', '$', '}' and '*' (gdb's binary reply encoding). */
int rsp_put_binary(struct strbuf *out, const void *data, size_t len);

/* ---- dispatch ---- */

/* What the caller must do after rsp_dispatch(). */
enum rsp_action {
    RSP_ACT_REPLY,    /* send the console output as O packets, then the reply
                             (an empty reply means "not supported") */
    RSP_ACT_RESUMED,  /* the target runs: no reply until its stop */
    RSP_ACT_DETACHED, /* send the reply ("OK"), then end the session: the
                             target was told to detach and runs on */
    RSP_ACT_KILLED,   /* gdb's k: no reply; ops->kill() was called */
};

/* Bounds, so a peer cannot make the stub allocate much. */
#define RSP_REPLY_MAX (2 * GDB_PACKET_SIZE + 64)
#define RSP_CONSOLE_MAX (1u << 20)
#define RSP_MEM_CHUNK (GDB_PACKET_SIZE / 2) /* m replies: 2 hex chars per byte */

struct rsp_session {
    const struct gdb_target_ops *ops;
    void *target;
    int ncpus;
    int g_cpu;                       /* Hg: vCPU for g/G/p/P/m/M/X; -1 = the stopped one */
    int c_cpu;                       /* Hc: vCPU for c/s; -1 = all (c) or the stopped one (s) */
    bool noack;                      /* QStartNoAckMode accepted: no '+'/'-' any more */
    bool swbreak, hwbreak;           /* gdb's qSupported asked for these stop reasons;
                                  without them a gdb would not understand them */
    bool exec_events;                /* ... and exec events: how a mode switch is told */
    bool replay_valid;               /* a stop that an exec event stood in for, */
    struct stop_info replay;         /* reported at gdb's next resume instead of running */
    struct stop_info last_stop;      /* answered to '?'; its cpu is gdb's current thread */
    struct strbuf console;           /* monitor output waiting to go out as O packets */
    struct strbuf xml;               /* target.xml of the layout, generated on first request */
    const struct x86_layout *layout; /* the one gdb last read; NULL: not chosen yet */
    uint8_t canon[GDB_REGS_SIZE];    /* the target's block */
    uint8_t regs[GDB_REGS_SIZE];     /* the same in the layout (never larger) */
    uint8_t mem[RSP_MEM_CHUNK];
};

int rsp_session_init(struct rsp_session *ss, const struct gdb_target_ops *ops, void *target,
                     int ncpus);
void rsp_session_free(struct rsp_session *ss);
/* Per-connection state back to defaults (ack mode, no thread selection); the
 * last stop is kept: it is still the state of the guest. */
void rsp_session_reset(struct rsp_session *ss);

/* Handles one decoded packet. reply is reset first; the console is not (it is
 * drained by whoever sends the reply). */
enum rsp_action rsp_dispatch(struct rsp_session *ss, const uint8_t *pkt, size_t len,
                             struct strbuf *reply);

/* The session's layout, chosen from ops->arch the first time it is needed. */
const struct x86_layout *rsp_layout(struct rsp_session *ss);
/* Switches the layout between stops (the target's mode changed); the description
 * is generated anew for gdb's next request. */
void rsp_session_set_layout(struct rsp_session *ss, const struct x86_layout *l);

/* Records a stop reported by the target (gdb's current thread becomes the one
 * that stopped, as gdb itself assumes in all-stop mode). */
void rsp_session_note_stop(struct rsp_session *ss, const struct stop_info *st);
/* The stop reply for st: T (with thread, reason and expedited rbp/rsp/rip), W or X. */
int rsp_stop_reply(struct rsp_session *ss, const struct stop_info *st, struct strbuf *reply);

#endif
