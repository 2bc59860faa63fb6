/* The GDB Remote Serial Protocol server: the public face the VMM uses.
 *
 * The stub knows the protocol and nothing of KVM. It drives the guest through
 * struct gdb_target_ops, which vmm/debug/ implements. Pure pieces (framing,
 * packet dispatch) are in gdbstub/rsp.h for tests and fuzzers.
 *
 * Threading: ONE stub thread runs the whole conversation in gdbstub_run(). All
 * target ops are called from that thread. While the guest runs, the stub poll()s
 * the client socket and the target's stop_fd: a Ctrl-C byte from gdb calls
 * ops->interrupt(); stop_fd becoming readable makes the stub call
 * ops->wait_stop() and send the stop reply. gdbstub_shutdown() is the only
 * function another thread may call. */
#ifndef MINIKVM_GDBSTUB_H
#define MINIKVM_GDBSTUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdbstub/strbuf.h"
#include "gdbstub/x86_layout.h"
#include "gdbstub/x86_regs.h"

/* The resume request carries one slot per vCPU; this bounds it. */
#define GDB_MAX_CPUS 64

/* Largest packet body (between '$' and '#') the stub accepts; advertised in
 * qSupported as PacketSize, so gdb never sends more. Larger input from a broken
 * peer is dropped with a NAK. */
#define GDB_PACKET_SIZE 0x4000

/* Z0..Z4 / z0..z4, in packet order so the packet digit is the value. */
enum bp_kind { BP_SW = 0, BP_HW = 1, BP_WRITE = 2, BP_READ = 3, BP_ACCESS = 4 };

enum stop_reason {
    STOP_SIGNAL,  /* plain signal: step done (5), interrupt (2), triple fault (11), ... */
    STOP_SWBREAK, /* Z0 breakpoint hit; rip must already point AT the breakpoint
                      (we advertise swbreak+, so gdb does not rewind rip itself) */
    STOP_HWBREAK, /* Z1 breakpoint hit */
    STOP_WATCH,   /* Z2 write watchpoint, address in watch_addr */
    STOP_RWATCH,  /* Z3 read watchpoint */
    STOP_AWATCH,  /* Z4 access watchpoint */
    STOP_EXITED,  /* the guest exited with exit_code: reported as W, ends the session */
    STOP_KILLED,  /* the guest was terminated (signal): reported as X, ends the session */
};

struct stop_info {
    enum stop_reason reason;
    int cpu;             /* the vCPU that stopped (0-based); gdb's thread is cpu+1 */
    int signal;          /* gdb signal number (2 SIGINT, 4 SIGILL, 5 SIGTRAP, 11 SIGSEGV);
                             0 means SIGTRAP, or SIGKILL for STOP_KILLED */
    uint64_t watch_addr; /* data address that triggered a watchpoint */
    int exit_code;       /* STOP_EXITED only, 0-255 */
};

enum resume_action {
    RESUME_STOP, /* stay stopped (no action for this thread, or vCont t) */
    RESUME_CONTINUE,
    RESUME_STEP,  /* one instruction, then a STOP_SIGNAL 5 stop */
    RESUME_RANGE, /* vCont;r: step at least once, and on while the pc stays in
                     [range_start, range_end); then a STOP_SIGNAL 5 stop. A breakpoint
                     reached inside the range is reported as hit, before it runs */
};

struct resume_req {
    int ncpus; /* entries valid in cpu[]: the target's vCPU count */
    struct {
        enum resume_action action;
        int signal; /* signal gdb asks to deliver (C/S); 0: none. A VMM may ignore it */
        uint64_t range_start, range_end; /* RESUME_RANGE: linear, start < end */
    } cpu[GDB_MAX_CPUS];
};

/* Every function returns 0 or -errno unless said otherwise. The errno becomes
 * the E code gdb sees ("E" + decimal errno: -EFAULT -> E14, -ENOSPC -> E28). */
struct gdb_target_ops {
    /* The whole canonical block (GDB_REGS_SIZE bytes, x86_regs.h) of one vCPU,
     * registers absent in the current mode zero-extended; the stub shows gdb the
     * session's layout of it (x86_layout.h). In real mode rip is the linear address
     * CS.base + IP, as gdb treats the pc as linear. */
    int (*read_regs)(void *t, int cpu, uint8_t *buf, size_t len);
    /* The whole canonical block; -EINVAL when a value is refused (the guest is
     * unchanged). Single-register writes (P) and the registers a layout does not
     * show come here as read-modify-write of what read_regs gave. */
    int (*write_regs)(void *t, int cpu, const uint8_t *buf, size_t len);
    /* Linear addresses as gdb sees them (translated through the guest's page
     * tables when paging is on). All or nothing: -EFAULT when any byte is
     * unmapped. The stub splits reads (not writes) at 4 KiB page boundaries,
     * so a read running into an unmapped page returns the mapped part. */
    int (*read_mem)(void *t, int cpu, uint64_t addr, void *buf, size_t len);
    int (*write_mem)(void *t, int cpu, uint64_t addr, const void *buf, size_t len);
    /* len is gdb's kind field: 1 for x86 code breakpoints, the watched length
     * for watchpoints. -ENOSPC when out of debug registers (gdb then says "You
     * may have requested too many hardware breakpoints/watchpoints");
     * -EOPNOTSUPP for a kind the target cannot do: the stub answers with an
     * empty reply and gdb falls back (software watchpoints, memory-written int3).
     * A NULL hook counts as -EOPNOTSUPP for every kind. */
    int (*insert_bp)(void *t, enum bp_kind kind, uint64_t addr, size_t len);
    int (*remove_bp)(void *t, enum bp_kind kind, uint64_t addr, size_t len);
    /* Starts the vCPUs as requested and returns at once. When a stop is ready
     * the target makes stop_fd readable. */
    int (*resume)(void *t, const struct resume_req *req);
    /* Range stepping: whether resume() takes RESUME_RANGE, stepping inside the range
     * itself with no round trip to gdb. true: vCont? offers 'r' and gdb sends
     * vCont;rSTART,END:TID for step/next. NULL or false: 'r' is not offered, and an
     * 'r' that comes anyway is one step (the protocol allows that). */
    bool (*range_step)(void *t);
    /* Called once stop_fd is readable (or after interrupt()): collects the stop
     * with every vCPU stopped, and consumes the stop_fd event so that the fd is
     * no longer readable. May block briefly while vCPUs park. */
    int (*wait_stop)(void *t, struct stop_info *out);
    /* Makes running vCPUs stop; the stop is then reported through stop_fd as
     * STOP_SIGNAL with signal 2. Must be harmless if the guest has already
     * stopped on its own (the stop in flight is reported instead), and must not
     * affect a later resume. Called on the stub thread; must not block. */
    void (*interrupt)(void *t);
    /* qRcmd ("monitor CMD" in gdb) about vCPU CPU (gdb's selected thread). Output
     * text goes to out; -ENOENT for an unknown command. cmd "help" appends the
     * target's command list: the stub prints its own header first. NULL: no
     * target commands. */
    int (*monitor)(void *t, int cpu, const char *cmd, struct strbuf *out);
    /* qThreadExtraInfo text shown by `info threads`, e.g. "vCPU 0, real mode".
     * NUL-terminated in buf. NULL or an error: the stub says "vCPU N". */
    int (*thread_info)(void *t, int cpu, char *buf, size_t len);
    /* gdb's D: drop every breakpoint and debug state and let the guest run
     * freely. The stub then treats the guest as running (stop_fd watched). */
    int (*detach)(void *t);
    /* gdb's k: the VMM is to exit; gdbstub_run() returns GDBSTUB_END_KILLED. */
    void (*kill)(void *t);
    /* The register view (enum gdb_arch) that fits vCPU CPU's mode now. The stub
     * describes it whenever gdb reads target.xml, and when a stop finds the mode
     * changed it reports the stop as an exec event (if gdb offered exec-events+)
     * so that gdb reads the description again. NULL: always GDB_ARCH_X86_64. */
    int (*arch)(void *t, int cpu);
};

struct gdbstub;

/* ncpus: 1..GDB_MAX_CPUS. stop_fd: readable when a stop is ready after resume
 * (e.g. an eventfd); the stub never reads or closes it. The ops and target
 * must outlive the stub. */
int gdbstub_create(struct gdbstub **out, const struct gdb_target_ops *ops, void *target, int ncpus,
                   int stop_fd);
/* Closes sockets; the stub thread must have returned from gdbstub_run(). */
void gdbstub_destroy(struct gdbstub *s);

/* Where diagnostics go ("gdbstub: oversized packet dropped"). Default: stderr
 * with a "gdbstub: " prefix. fn NULL silences them (tests). */
void gdbstub_set_log(struct gdbstub *s, void (*fn)(void *arg, const char *msg), void *arg);

/* spec: "PORT" binds 127.0.0.1; "HOST:PORT" binds HOST (an address or a name,
 * "[v6addr]:PORT" for IPv6; anything but loopback, 0.0.0.0 above all, logs a
 * warning that the stub is reachable from the network);
 * "unix:PATH" makes a Unix socket of mode 0600 (a stale socket file there is
 * removed first; any other file is an error). PORT 0 lets the kernel choose:
 * see gdbstub_port(). Returns 0 or -errno with a message in err. */
int gdbstub_listen(struct gdbstub *s, const char *spec, char *err, size_t errlen);
/* The bound TCP port, or -1 for a Unix socket or before gdbstub_listen(). */
int gdbstub_port(const struct gdbstub *s);

/* Why gdbstub_run() / gdbstub_serve_fd() returned (>0), or a -errno. */
enum gdbstub_end {
    GDBSTUB_END_KILLED = 1,   /* gdb sent k; ops->kill() was called */
    GDBSTUB_END_EXITED,       /* the guest exited (STOP_EXITED, or STOP_KILLED); the
                                  exit code is in gdbstub_last_stop() */
    GDBSTUB_END_SHUTDOWN,     /* gdbstub_shutdown() was called */
    GDBSTUB_END_DETACHED,     /* serve_fd only: gdb detached, the guest runs on */
    GDBSTUB_END_DISCONNECTED, /* serve_fd only: gdb went away, the guest is stopped */
};

/* The accept loop: serves one gdb at a time until detach, disconnect, kill or
 * guest exit, then accepts again, any number of times. wait_first: the guest is
 * stopped at its first instruction (the target's vCPUs are parked) and waits
 * for gdb; false: the guest is already running (--gdb-nowait), and a gdb that
 * connects later gets it stopped with interrupt() first. A second gdb that
 * connects while one is active is answered "E.another gdb is already
 * connected..." to its first packet (gdb prints "warning: Remote failure
 * reply: E.another gdb...", then that the target disconnected) and closed;
 * the active session is undisturbed.
 * If gdb goes away while the guest runs, the guest is stopped and kept stopped
 * for the next gdb. Returns enum gdbstub_end KILLED, EXITED or SHUTDOWN, or a
 * -errno when the listening socket fails. */
int gdbstub_run(struct gdbstub *s, bool wait_first);

/* One session on an already connected socket (a socketpair in tests): the
 * same service gdbstub_run() gives each connection. running says whether the
 * guest runs now. The fd is not closed. */
int gdbstub_serve_fd(struct gdbstub *s, int fd, bool running);

/* Thread-safe and async-signal-safe: makes gdbstub_run()/serve_fd() return
 * GDBSTUB_END_SHUTDOWN soon. Sticky: later calls to run return at once. */
void gdbstub_shutdown(struct gdbstub *s);

/* The last stop the target reported (exit code of GDBSTUB_END_EXITED). */
const struct stop_info *gdbstub_last_stop(const struct gdbstub *s);

/* Whether the stub believes the guest is running (after detach or a resume
 * without its stop collected yet). */
bool gdbstub_guest_running(const struct gdbstub *s);

/* Any thread: whether a gdb is connected now. */
bool gdbstub_connected(const struct gdbstub *s);

#endif
