/* State shared by the gdb target's files, private to vmm/debug/: target.c (all-stop
 * protocol, target ops), registers.c (the 'g' block), breakpoints.c (Z/z tables,
 * int3 insertion), guest_debug.c (KVM_SET_GUEST_DEBUG per run) and classify.c (what
 * a debug exit means). */
#ifndef MINIKVM_DEBUG_PRIV_H
#define MINIKVM_DEBUG_PRIV_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "gdbstub/gdbstub.h"
#include "vmm/debug/debug.h"
#include "vmm/machine.h"
#include "vmm/x86/bits.h"

#define DBG_MAX_SWBP 256
#define DBG_HW_SLOTS DR_SLOTS
/* hbreaks and watchpoints at once: four in debug registers, the rest watched
 * through read-only pages or by step-and-compare (watch.c) */
#define DBG_MAX_HW 32
/* the longest value a watchpoint not in a debug register compares */
#define DBG_WATCH_MAX_LEN 64

/* Address spaces one software breakpoint is placed in at once (processes that map
 * the same code from their own pages). */
#define SWBP_COPIES 16

struct swbp {
    uint64_t addr; /* linear, as gdb gave it */
    bool pending;  /* may be needed in an address space not covered yet (swbp.c) */
    bool user;     /* in a user page: processes may run their own copies of it */
    int ncopies;
    struct {
        uint64_t phys; /* where an int3 went while inserted */
        uint8_t orig;
    } copy[SWBP_COPIES];
};

/* How a watchpoint sees writes (watch.c chooses; `monitor watch` forces one). */
enum watch_how {
    WATCH_DR,   /* a debug register: the CPU traps (hbreaks too) */
    WATCH_PAGE, /* its pages read-only: the guest's writes there exit as MMIO */
    WATCH_STEP, /* single-step every instruction and compare */
    WATCH_HOWS
};

struct hwbp {
    bool used;
    enum bp_kind kind; /* BP_HW, BP_WRITE, BP_READ, BP_ACCESS */
    enum watch_how how;
    uint64_t addr; /* linear, as gdb gave it */
    size_t len;
    /* watched bytes at resume: compared by WATCH_PAGE and WATCH_STEP, and to tell a
     * read from a write for BP_READ in a debug register */
    uint8_t old[DBG_WATCH_MAX_LEN];
    /* where the bytes are, translated at resume: one piece, or two when they
     * straddle a page boundary; nfrag 0: not mapped then, not watched */
    int nfrag;
    struct {
        uint64_t phys;
        size_t len;
    } frag[2];
};

/* Why a vCPU runs: what gdb asked, plus the VMM's own internal steps. */
enum dbg_run {
    DRUN_PARKED, /* not released */
    DRUN_CONTINUE,
    DRUN_STEP,  /* gdb's step: report SIGTRAP after one instruction */
    DRUN_RANGE, /* gdb's range step (vCont;r): step while the pc stays in the range */
};

/* Who owns a debug register on one vCPU for the current run. */
enum dr_owner {
    DR_FREE = 0,
    DR_USER,     /* gdb's hbreak or watchpoint */
    DR_CATCH_BP, /* the guest's #BP handler (catchers) */
    DR_CATCH_DB, /* the guest's #DB handler */
    DR_SWBP,     /* a software breakpoint's address, for address spaces to come */
    DR_SYSCALL,  /* the VMM's SYSCALL completion (vmm/linux/syscall.c) */
};

struct dbg_cpu {
    enum dbg_run run;
    bool parked;      /* waiting in debug_vcpu_gate */
    bool done;        /* the vCPU thread has left its loop */
    bool skip_hw;     /* the guest's own exception hit a catcher: step past it with
                             the debug registers off, then arm them again */
    bool hw_off_step; /* this run is that step */
    bool vmm_step;    /* this run steps past the SYSCALL watch (vmm/linux/syscall.c) */
    bool stepping;    /* KVM single-step is on for this run */
    bool int3_step;   /* this run's step is the guest's own int3: run it unstepped,
                             its exit ends the step (emulators mishandle stepping it) */
    bool dead;        /* triple fault or emulation failure: cannot run on */
    int dead_status;
    enum dr_owner dr_owner[DBG_HW_SLOTS];
    int dr_slot[DBG_HW_SLOTS];      /* DR_USER: index into debug.hw */
    struct kvm_guest_debug applied; /* last KVM_SET_GUEST_DEBUG, to skip repeats */
    bool applied_valid;
    uint64_t cr3_placed; /* the address space swbp.c last covered on this vCPU */
    /* DRUN_RANGE: [range_start, range_end) linear, and the CPU mode the range is in
     * (a mode switch ends it: gdb must see the new mode); steps taken, for tests */
    uint64_t range_start, range_end;
    int range_mode;
    uint64_t range_steps;
};

struct debug {
    struct machine *m;
    struct gdbstub *stub;
    pthread_t stub_thread;
    bool stub_started;
    int stop_fd; /* eventfd the stub polls */
    bool nowait;
    int arch;           /* --gdb-arch (enum gdb_arch), -1: follow the guest's mode */
    const char *spec;   /* where the stub listens, as given on the command line */
    uint32_t dbg2_caps; /* KVM_CAP_SET_GUEST_DEBUG2 flags */

    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool halt_all; /* every vCPU must park (a stop is in progress or held) */
    atomic_bool interrupt_req;
    bool event_ready;
    struct stop_info event;
    bool finished;
    bool awaiting_stop; /* gdb resumed and waits for the stop (set by op_resume
                                 before the guest runs, so a fast exit cannot beat it) */
    struct dbg_cpu cpu[MACHINE_MAX_VCPUS];

    /* breakpoints: only touched on the stub thread while every vCPU is parked */
    int nswbp;
    struct swbp swbp[DBG_MAX_SWBP];
    struct hwbp hw[DBG_MAX_HW];
    int watch_force; /* `monitor watch`: a forced enum watch_how, or -1 to choose */
    /* the watchpoints of the last resume, for `monitor watch` at a stop (gdb takes
     * its watchpoints out at every stop and puts them back at the next resume) */
    int narmed;
    struct hwbp armed[DBG_MAX_HW];
    /* the pages made read-only at the last resume (sorted): a write there is a
     * watched write even after a fallback made them writable mid-run */
    int nro_pages;
    uint64_t ro_pages[DBG_MAX_HW * 2];
    bool page_broken;       /* KVM failed on a read-only page: no more this session */
    bool track_spaces;      /* a software breakpoint may be needed in an address space to
                           come (swbp.c) */
    bool track_user;        /* ... one in user code, with user processes about */
    atomic_bool seen_ring3; /* the guest has run ring-3 code (it has processes) */
};

/* target.c */
void debug_post_event(struct debug *d, const struct stop_info *ev);
int debug_read_linear(struct debug *d, int cpu, uint64_t addr, void *buf, size_t len);
int debug_write_linear(struct debug *d, int cpu, uint64_t addr, const void *buf, size_t len);
int debug_translate(struct debug *d, int cpu, uint64_t linear, uint64_t *phys);

/* registers.c */
int debug_read_regs(void *t, int cpu, uint8_t *buf, size_t len);
int debug_write_regs(void *t, int cpu, const uint8_t *buf, size_t len);
/* The hidden part of segment register SEL as a load would fill it (GDT, or real mode). */
int debug_seg_load(struct debug *d, int cpu, const struct kvm_sregs *s, struct kvm_segment *seg,
                   uint16_t sel, bool is_cs);

/* breakpoints.c */
int debug_insert_bp(void *t, enum bp_kind kind, uint64_t addr, size_t len);
int debug_remove_bp(void *t, enum bp_kind kind, uint64_t addr, size_t len);
void debug_bp_remove_all(struct debug *d);

/* watch.c. How a new watchpoint of KIND on [addr, addr+len) is watched, given FREE
 * unused debug registers: 0, or -errno with the reason printed. */
int debug_watch_choose(struct debug *d, enum bp_kind kind, uint64_t addr, size_t len, int free,
                       enum watch_how *how);
/* Stub thread, every vCPU parked, at resume and detach: translate each watchpoint,
 * keep its bytes, and make the pages of WATCH_PAGE ones read-only (the others
 * writable again). */
void debug_watch_arm(struct debug *d);
/* Whether any watchpoint is watched HOW. */
bool debug_watch_any(const struct debug *d, enum watch_how how);
/* vCPU thread: compare the watchpoints watched HOW; a change is a watch stop in EV. */
bool debug_watch_changed(struct debug *d, enum watch_how how, struct stop_info *ev);
/* BP_READ in a debug register fired: false when its bytes changed (a write, which
 * x86's read/write trap also reports; they are kept as the new old value). */
bool debug_watch_was_read(struct debug *d, struct hwbp *w);
/* vCPU thread, KVM_EXIT_MMIO: a write to a protected page is done here, then
 * compared. false: not such a write (a device's). */
bool debug_watch_mmio(struct debug *d, struct vcpu *v, struct stop_info *ev, bool *resume);
/* vCPU thread, KVM_EXIT_INTERNAL_ERROR: where pages are read-only for watchpoints,
 * KVM may have failed on them (an instruction its emulator lacks writing there, an
 * exception frame pushed there): make them writable, watch by step-and-compare from
 * now on, and true: run the vCPU again. false: no such pages, a real failure. */
bool debug_watch_fallback(struct debug *d, struct vcpu *v);

/* swbp.c. Stub thread, every vCPU parked: put int3s in / take them out. */
void debug_swbp_insert(struct debug *d);
void debug_swbp_restore(struct debug *d);
bool debug_swbp_at(struct debug *d, uint64_t linear);
/* vCPU thread, at each exit: place the breakpoints in V's address space if it is one
 * not covered yet. */
void debug_swbp_track(struct debug *d, struct vcpu *v);
/* Whether this run of a vCPU in state S single-steps to see new address spaces. */
bool debug_swbp_step_ring0(struct debug *d, const struct kvm_sregs *s);
bool debug_is_watch(enum bp_kind k);
/* DR7's LEN code for a watched length of 1, 2, 4 or 8 bytes; -1 for any other. */
int debug_dr7_len(size_t len);

/* guest_debug.c, vCPU thread: the KVM_SET_GUEST_DEBUG state for this run. */
int debug_apply_guest_debug(struct debug *d, struct vcpu *v);

/* classify.c, vCPU thread, after a DEBUG/INTERNAL_ERROR exit: a stop to report (true) or not. */
bool debug_classify_exit(struct debug *d, struct vcpu *v, struct stop_info *ev, bool *resume);

#endif
