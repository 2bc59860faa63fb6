/* The host probe: each row of docs/host-probe.md's table measured on a throw-away VM
 * with a few instructions of guest code (probe_code.S). */
#include "vmm/probe/hostprobe.h"

#include <errno.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "vmm/entry.h"
#include "vmm/vm.h"

#define PROBE_MEM (4ull << 20)
#define PROBE_CODE 0x8000
#define PROBE_DATA 0x9000
#define PROBE_PORT 0x555
#define PROBE_MMIO 0x400000
#define PROBE_LOOPS 2000
#define PROBE_TIMED_RUNS 3
#define PROBE_RUN_LIMIT_US 500000 /* a probe that runs longer is stuck: PROBE_ERROR */

#define SNIPPET(n) extern const uint8_t probe_##n##_start[], probe_##n##_end[]
SNIPPET(real);
SNIPPET(prot);
SNIPPET(long);
SNIPPET(ring0);
SNIPPET(ring3);
SNIPPET(int3);
SNIPPET(int3real);
SNIPPET(ivt0);
SNIPPET(int3ring3);
SNIPPET(cx16);
SNIPPET(cpuid);
SNIPPET(paging32);
SNIPPET(switch);
SNIPPET(apstart);
SNIPPET(ap16);
#define PROBE_AP_CODE 0x1000 /* where the SIPI (vector 1) starts the AP */
extern const uint8_t probe_ring0_bp[], probe_ring0_store[], probe_ring3_bp[];

struct probe_vm {
    struct vm vm;
    int vcpu_fd;
    struct kvm_run *run;
    int next_id;
};

/* What one run of a snippet ended with. */
struct probe_exit {
    uint32_t reason;
    uint32_t marker;    /* IO exits on PROBE_PORT: the value written */
    uint32_t exception; /* DEBUG exits */
    uint64_t rip;
    int cpl;
    double us; /* wall time of the KVM_RUN that ended here */
};

static uint64_t code_addr(const uint8_t *sym, const uint8_t *start)
{
    return PROBE_CODE + (uint64_t)(sym - start);
}

static void on_alarm(int sig)
{
    (void)sig;
}

static int pvm_vcpu(struct probe_vm *p, const uint8_t *start, const uint8_t *end,
                    enum cpu_mode mode)
{
    if (p->run) {
        munmap(p->run, (size_t)p->vm.run_size);
        close(p->vcpu_fd);
        p->run = NULL;
    }
    p->vcpu_fd = ioctl(p->vm.vm_fd, KVM_CREATE_VCPU, (unsigned long)p->next_id++);
    if (p->vcpu_fd < 0)
        return -errno;
    void *run =
        mmap(NULL, (size_t)p->vm.run_size, PROT_READ | PROT_WRITE, MAP_SHARED, p->vcpu_fd, 0);
    if (run == MAP_FAILED) {
        close(p->vcpu_fd);
        return -errno;
    }
    p->run = run;
    struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + 100 * sizeof(struct kvm_cpuid_entry2));
    if (!c)
        return -ENOMEM;
    c->nent = 100;
    int rc = 0;
    if (ioctl(p->vm.kvm_fd, KVM_GET_SUPPORTED_CPUID, c) < 0 ||
        ioctl(p->vcpu_fd, KVM_SET_CPUID2, c) < 0)
        rc = -errno;
    free(c);
    if (rc < 0)
        return rc;

    memset(p->vm.mem, 0, PROBE_MEM - SYSAREA_SIZE);
    memcpy(p->vm.mem + PROBE_CODE, start, (size_t)(end - start));
    struct window win = { 0, PROBE_MEM };
    struct boot_plan plan = { .mode = mode, .entry = PROBE_CODE };
    rc = entry_build_tables(&p->vm, &win, mode == CPU_MODE_REAL ? CPU_MODE_LONG : mode);
    /* one more 2 MiB page, user-accessible, for ring 3's MMIO markers */
    uint64_t *pd = (uint64_t *)(p->vm.mem + PROBE_MEM - SYSAREA_SIZE + SYSAREA_PD);
    pd[PROBE_MMIO >> 21] = PROBE_MMIO | 0x87;
    if (rc == 0)
        rc = entry_setup_vcpu(p->vcpu_fd, &plan, &win);
    return rc;
}

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int pvm_run(struct probe_vm *p, struct probe_exit *e)
{
    struct itimerval it = { .it_value = { 0, PROBE_RUN_LIMIT_US } };
    setitimer(ITIMER_REAL, &it, NULL);
    double t0 = now_us();
    int rc = ioctl(p->vcpu_fd, KVM_RUN, 0);
    int err = errno;
    e->us = now_us() - t0;
    struct itimerval off = { { 0, 0 }, { 0, 0 } };
    setitimer(ITIMER_REAL, &off, NULL);
    if (rc < 0)
        return -err;
    struct kvm_regs r;
    if (ioctl(p->vcpu_fd, KVM_GET_REGS, &r) < 0)
        return -errno;
    struct kvm_sregs sr;
    if (ioctl(p->vcpu_fd, KVM_GET_SREGS, &sr) < 0)
        return -errno;
    e->cpl = sr.cs.selector & 3;
    e->reason = p->run->exit_reason;
    e->rip = r.rip;
    e->marker = 0;
    e->exception = 0;
    if (e->reason == KVM_EXIT_MMIO && p->run->mmio.phys_addr == PROBE_MMIO &&
        p->run->mmio.is_write) {
        e->reason = KVM_EXIT_IO; /* a marker, as from the port */
        e->marker = p->run->mmio.data[0];
    } else if (e->reason == KVM_EXIT_IO && p->run->io.port == PROBE_PORT) {
        uint32_t v = 0;
        memcpy(&v, (uint8_t *)p->run + p->run->io.data_offset, p->run->io.size);
        e->marker = v;
    } else if (e->reason == KVM_EXIT_DEBUG) {
        e->exception = p->run->debug.arch.exception;
        e->rip = p->run->debug.arch.pc;
    }
    return 0;
}

static bool is_marker(const struct probe_exit *e, uint32_t m)
{
    return e->reason == KVM_EXIT_IO && e->marker == m;
}

static int set_debug(struct probe_vm *p, uint32_t control, uint64_t dr0, uint64_t dr7)
{
    struct kvm_guest_debug d = { .control = control };
    d.arch.debugreg[0] = dr0;
    d.arch.debugreg[7] = dr7;
    return ioctl(p->vcpu_fd, KVM_SET_GUEST_DEBUG, &d) < 0 ? -errno : 0;
}

static int set_reg(struct probe_vm *p, uint64_t rcx, uint64_t r8)
{
    struct kvm_regs r;
    if (ioctl(p->vcpu_fd, KVM_GET_REGS, &r) < 0)
        return -errno;
    r.rcx = rcx;
    r.r8 = r8;
    return ioctl(p->vcpu_fd, KVM_SET_REGS, &r) < 0 ? -errno : 0;
}

static enum probe_result yes_if(bool b)
{
    return b ? PROBE_YES : PROBE_NO;
}

#define RUN_SNIPPET(p, name, mode) pvm_vcpu(p, probe_##name##_start, probe_##name##_end, mode)

/* Each probe returns its result; any failure to even set up the VM is PROBE_ERROR. */
static enum probe_result probe_mode(struct probe_vm *p, enum cpu_mode mode)
{
    static const struct {
        const uint8_t *start, *end;
    } code[] = {
        [CPU_MODE_REAL] = { probe_real_start, probe_real_end },
        [CPU_MODE_PROTECTED] = { probe_prot_start, probe_prot_end },
        [CPU_MODE_LONG] = { probe_long_start, probe_long_end },
    };
    struct probe_exit e;
    if (pvm_vcpu(p, code[mode].start, code[mode].end, mode) < 0 || pvm_run(p, &e) < 0)
        return PROBE_ERROR;
    return yes_if(is_marker(&e, 1));
}

static enum probe_result probe_simple(struct probe_vm *p, const uint8_t *start, const uint8_t *end,
                                      enum cpu_mode mode, struct probe_exit *e)
{
    if (pvm_vcpu(p, start, end, mode) < 0 || pvm_run(p, e) < 0)
        return PROBE_ERROR;
    return yes_if(is_marker(e, 4));
}

/* The code and data pages read-only: marker 3 shows fetches run; the store is an
 * MMIO write exit that leaves memory alone; the run goes on to marker 4. */
static enum probe_result probe_ro_slot(struct probe_vm *p)
{
    uint64_t pages[] = { PROBE_CODE, PROBE_DATA };
    static const uint8_t fill[4] = { 0xa5, 0xa5, 0xa5, 0xa5 };
    struct probe_exit e;
    if (RUN_SNIPPET(p, ring0, CPU_MODE_LONG) < 0 || set_reg(p, 1, 0) < 0)
        return PROBE_ERROR;
    memcpy(p->vm.mem + PROBE_DATA, fill, sizeof(fill));
    int rc = vm_set_readonly_pages(&p->vm, pages, 2);
    if (rc == -EOPNOTSUPP)
        return PROBE_NO;
    if (rc < 0)
        return PROBE_ERROR;
    const struct kvm_run *run = p->run;
    enum probe_result r = PROBE_ERROR;
    if (pvm_run(p, &e) == 0 && is_marker(&e, 3) && pvm_run(p, &e) == 0)
        r = yes_if(e.reason == KVM_EXIT_MMIO && run->mmio.is_write &&
                   run->mmio.phys_addr == PROBE_DATA && run->mmio.len == 4 &&
                   memcmp(p->vm.mem + PROBE_DATA, fill, sizeof(fill)) == 0 && pvm_run(p, &e) == 0 &&
                   is_marker(&e, 4));
    if (vm_set_readonly_pages(&p->vm, NULL, 0) < 0)
        return PROBE_ERROR;
    return r;
}

/* Ring-0 rows: instruction cost, single-step, DR0 execution breakpoint, DR0 write watch. */
static void probe_ring0(struct probe_vm *p, struct hostprobe *h)
{
    struct probe_exit e, a, b;
    uint64_t bp = code_addr(probe_ring0_bp, probe_ring0_start);
    uint64_t store = PROBE_DATA;

    /* cost: the loop with 1 and with PROBE_LOOPS iterations, two instructions each;
     * the fastest of PROBE_TIMED_RUNS each, since noise (preemption, a nested host)
     * only ever adds time, and this row is cached (probecache.h) */
    double t[2] = { 1e12, 1e12 };
    for (int i = 0; i < 2 * PROBE_TIMED_RUNS; i++) {
        if (RUN_SNIPPET(p, ring0, CPU_MODE_LONG) < 0 || pvm_run(p, &a) < 0 || !is_marker(&a, 3) ||
            set_reg(p, i % 2 ? PROBE_LOOPS : 1, 0) < 0 || pvm_run(p, &b) < 0 || !is_marker(&b, 4)) {
            h->row[PROBE_RING0_NATIVE] = PROBE_ERROR;
            break;
        }
        if (b.us < t[i % 2])
            t[i % 2] = b.us;
    }
    if (h->row[PROBE_RING0_NATIVE] != PROBE_ERROR) {
        h->ring0_us_per_insn = (t[1] - t[0]) / (2.0 * (PROBE_LOOPS - 1));
        h->row[PROBE_RING0_NATIVE] = yes_if(h->ring0_us_per_insn < PROBE_NATIVE_US);
    }

    h->row[PROBE_STEP_RING0] = PROBE_ERROR;
    if (RUN_SNIPPET(p, ring0, CPU_MODE_LONG) == 0 && pvm_run(p, &e) == 0 && is_marker(&e, 3) &&
        set_reg(p, 1, 0) == 0 &&
        set_debug(p, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP, 0, 0) == 0 &&
        pvm_run(p, &e) == 0)
        h->row[PROBE_STEP_RING0] = yes_if(e.reason == KVM_EXIT_DEBUG && e.exception == 1);

    h->row[PROBE_HWBP_RING0] = PROBE_ERROR;
    if (RUN_SNIPPET(p, ring0, CPU_MODE_LONG) == 0 && set_reg(p, 1, 0) == 0 &&
        set_debug(p, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP, bp, 0x401) == 0 &&
        pvm_run(p, &e) == 0 && is_marker(&e, 3) && pvm_run(p, &e) == 0)
        h->row[PROBE_HWBP_RING0] = yes_if(e.reason == KVM_EXIT_DEBUG && e.rip == bp);

    /* DR7: L0, RW0 = 01 (write), LEN0 = 11 (4 bytes) */
    h->row[PROBE_WATCHPOINT] = PROBE_ERROR;
    if (RUN_SNIPPET(p, ring0, CPU_MODE_LONG) == 0 && set_reg(p, 1, 0) == 0 &&
        set_debug(p, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP, store, 0xd0401) == 0 &&
        pvm_run(p, &e) == 0 && is_marker(&e, 3) && pvm_run(p, &e) == 0)
        h->row[PROBE_WATCHPOINT] = yes_if(e.reason == KVM_EXIT_DEBUG);

    h->row[PROBE_RO_SLOT] = probe_ro_slot(p);
}

/* Ring-3 rows: native speed, single-step and DR0 breakpoints seen by the VMM. */
static void probe_ring3(struct probe_vm *p, struct hostprobe *h)
{
    struct probe_exit e;
    uint64_t bp = code_addr(probe_ring3_bp, probe_ring3_start);
    double t[2] = { 0, 0 };
    h->row[PROBE_RING3_NATIVE] = PROBE_ERROR;
    for (int i = 0; i < 2; i++) {
        if (RUN_SNIPPET(p, ring3, CPU_MODE_LONG) < 0 ||
            set_reg(p, 0, i ? PROBE_LOOPS * 50 : 1) < 0 || pvm_run(p, &e) < 0 ||
            !is_marker(&e, 3) || pvm_run(p, &e) < 0 || !is_marker(&e, 4))
            return;
        t[i] = e.us;
    }
    double per = (t[1] - t[0]) / (2.0 * (PROBE_LOOPS * 50 - 1));
    h->row[PROBE_RING3_NATIVE] = yes_if(per < 0.05);

    /* From marker 3 (in the ring-0 stub) step on: the first steps are ring 0 (the
     * stub's sysret); a DEBUG exit with CPL 3 means ring-3 steps are reported. */
    h->row[PROBE_STEP_RING3] = PROBE_ERROR;
    if (RUN_SNIPPET(p, ring3, CPU_MODE_LONG) == 0 && set_reg(p, 0, 1) == 0 && pvm_run(p, &e) == 0 &&
        is_marker(&e, 3) &&
        set_debug(p, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP, 0, 0) == 0) {
        h->row[PROBE_STEP_RING3] = PROBE_NO;
        for (int i = 0; i < 8 && pvm_run(p, &e) == 0 && e.reason == KVM_EXIT_DEBUG; i++)
            if (e.cpl == 3) {
                h->row[PROBE_STEP_RING3] = PROBE_YES;
                break;
            }
    }

    h->row[PROBE_HWBP_RING3] = PROBE_ERROR;
    if (RUN_SNIPPET(p, ring3, CPU_MODE_LONG) == 0 && set_reg(p, 0, 1) == 0 &&
        set_debug(p, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP, bp, 0x401) == 0 &&
        pvm_run(p, &e) == 0 && is_marker(&e, 3) && pvm_run(p, &e) == 0)
        h->row[PROBE_HWBP_RING3] = yes_if(e.reason == KVM_EXIT_DEBUG && e.rip == bp);

    h->row[PROBE_SYSCALL] = PROBE_ERROR;
    if (RUN_SNIPPET(p, ring3, CPU_MODE_LONG) == 0 && set_reg(p, 0, 1) == 0 && pvm_run(p, &e) == 0 &&
        is_marker(&e, 3) && pvm_run(p, &e) == 0 && is_marker(&e, 4) && pvm_run(p, &e) == 0)
        h->row[PROBE_SYSCALL] = yes_if(is_marker(&e, 0x10));
}

static void probe_int3(struct probe_vm *p, struct hostprobe *h)
{
    struct probe_exit e;
    h->row[PROBE_INT3_EXIT] = h->row[PROBE_INT3_EMUFAIL] = PROBE_ERROR;
    if (RUN_SNIPPET(p, int3, CPU_MODE_LONG) < 0 ||
        set_debug(p, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP, 0, 0) < 0 || pvm_run(p, &e) < 0)
        return;
    h->row[PROBE_INT3_EXIT] = yes_if(e.reason == KVM_EXIT_DEBUG && e.exception == 3);
    h->row[PROBE_INT3_EMUFAIL] = yes_if(e.reason == KVM_EXIT_INTERNAL_ERROR && e.rip == PROBE_CODE);
}

/* Where int3 goes in real mode and in ring 3 when the VMM asks for #BP exits. */
static void probe_int3_modes(struct probe_vm *p, struct hostprobe *h)
{
    struct probe_exit e;
    uint32_t dbg = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP;
    h->row[PROBE_INT3_REAL] = PROBE_ERROR;
    if (RUN_SNIPPET(p, int3real, CPU_MODE_REAL) == 0 && set_debug(p, dbg, 0, 0) == 0) {
        memcpy(p->vm.mem, probe_ivt0_start, (size_t)(probe_ivt0_end - probe_ivt0_start));
        if (pvm_run(p, &e) == 0)
            h->row[PROBE_INT3_REAL] = e.reason == KVM_EXIT_DEBUG && e.exception == 3 ? PROBE_YES
                                      : is_marker(&e, 5)                             ? PROBE_NO
                                                                                     : PROBE_ERROR;
    }
    h->row[PROBE_INT3_RING3] = PROBE_ERROR;
    if (RUN_SNIPPET(p, int3ring3, CPU_MODE_LONG) == 0 && set_debug(p, dbg, 0, 0) == 0 &&
        pvm_run(p, &e) == 0)
        h->row[PROBE_INT3_RING3] = e.reason == KVM_EXIT_DEBUG && e.exception == 3 ? PROBE_YES
                                   : e.reason == KVM_EXIT_SHUTDOWN                ? PROBE_NO
                                                                                  : PROBE_ERROR;
}

/* Clear XSAVE (CPUID.1:ECX bit 26) and see whether the guest still reads it set
 * (some hosts OR it back in whether or not they list it as supported). */
static enum probe_result probe_cpuid_hide(struct probe_vm *p)
{
    struct probe_exit e;
    if (RUN_SNIPPET(p, cpuid, CPU_MODE_LONG) < 0)
        return PROBE_ERROR;
    struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + 100 * sizeof(struct kvm_cpuid_entry2));
    if (!c)
        return PROBE_ERROR;
    c->nent = 100;
    int rc = ioctl(p->vm.kvm_fd, KVM_GET_SUPPORTED_CPUID, c);
    for (uint32_t i = 0; rc == 0 && i < c->nent; i++)
        if (c->entries[i].function == 1)
            c->entries[i].ecx &= ~(1u << 26);
    if (rc == 0)
        rc = ioctl(p->vcpu_fd, KVM_SET_CPUID2, c);
    free(c);
    if (rc < 0 || pvm_run(p, &e) < 0 || e.reason != KVM_EXIT_IO)
        return PROBE_ERROR;
    return yes_if(!(e.marker & (1u << 26)));
}

/* A second vCPU (APIC id 1): with the in-kernel irqchip KVM creates it waiting
 * for INIT/SIPI. The probe_vm's own vCPU is the boot CPU. */
static enum probe_result probe_ap(struct probe_vm *p)
{
    struct probe_exit e;
    if (RUN_SNIPPET(p, apstart, CPU_MODE_PROTECTED) < 0)
        return PROBE_ERROR;
    memcpy(p->vm.mem + PROBE_AP_CODE, probe_ap16_start,
           (size_t)(probe_ap16_end - probe_ap16_start));
    int ap = ioctl(p->vm.vm_fd, KVM_CREATE_VCPU, 1ul);
    if (ap < 0)
        return PROBE_ERROR;
    void *run = mmap(NULL, (size_t)p->vm.run_size, PROT_READ | PROT_WRITE, MAP_SHARED, ap, 0);
    enum probe_result r = PROBE_ERROR;
    if (run != MAP_FAILED && pvm_run(p, &e) == 0 && is_marker(&e, 6)) {
        /* the AP runs now, or never: its KVM_RUN waits for the SIPI until the
         * probe's time limit interrupts it. KVM answers the KVM_RUN that sees the
         * SIPI with EAGAIN, having only made the vCPU runnable: run again. */
        int bsp_fd = p->vcpu_fd;
        struct kvm_run *bsp_run = p->run;
        p->vcpu_fd = ap;
        p->run = run;
        int rc = pvm_run(p, &e);
        for (int i = 0; i < 3 && rc == -EAGAIN; i++)
            rc = pvm_run(p, &e);
        r = rc == 0 ? yes_if(is_marker(&e, 7)) : rc == -EINTR ? PROBE_NO : PROBE_ERROR;
        p->vcpu_fd = bsp_fd;
        p->run = bsp_run;
    }
    if (run != MAP_FAILED)
        munmap(run, (size_t)p->vm.run_size);
    close(ap);
    return r;
}

/* The in-kernel irqchip, and on it the start of an application processor. */
static void probe_irqchip(struct hostprobe *h)
{
    struct probe_vm p = { .vcpu_fd = -1 };
    h->row[PROBE_IRQCHIP] = h->row[PROBE_AP_START] = PROBE_ERROR;
    if (vm_open(&p.vm, PROBE_MEM) < 0)
        return;
    h->row[PROBE_IRQCHIP] = yes_if(vm_create_irqchip(&p.vm) == 0);
    /* no in-kernel LAPIC, no INIT/SIPI: a plain no, so the answers can be cached */
    h->row[PROBE_AP_START] = h->row[PROBE_IRQCHIP] == PROBE_YES ? probe_ap(&p) : PROBE_NO;
    if (p.run) {
        munmap(p.run, (size_t)p.vm.run_size);
        close(p.vcpu_fd);
    }
    vm_close(&p.vm);
}

int hostprobe_run(struct hostprobe *h, bool irqchip)
{
    memset(h, 0, sizeof(*h));
    double t0 = now_us();
    struct sigaction sa = { .sa_handler = on_alarm }, old;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, &old);

    struct probe_vm p = { .vcpu_fd = -1 };
    int rc = vm_open(&p.vm, PROBE_MEM);
    if (rc < 0) {
        sigaction(SIGALRM, &old, NULL);
        return rc;
    }
    struct probe_exit e;
    h->row[PROBE_REAL_MODE] = probe_mode(&p, CPU_MODE_REAL);
    h->row[PROBE_PROT_MODE] = probe_mode(&p, CPU_MODE_PROTECTED);
    h->row[PROBE_LONG_MODE] = probe_mode(&p, CPU_MODE_LONG);
    h->row[PROBE_MODE_SWITCH] =
        probe_simple(&p, probe_switch_start, probe_switch_end, CPU_MODE_REAL, &e);
    h->row[PROBE_PAGING32] =
        probe_simple(&p, probe_paging32_start, probe_paging32_end, CPU_MODE_PROTECTED, &e);
    h->row[PROBE_CX16_EMULATED] =
        probe_simple(&p, probe_cx16_start, probe_cx16_end, CPU_MODE_LONG, &e);
    probe_ring0(&p, h);
    probe_ring3(&p, h);
    probe_int3(&p, h);
    probe_int3_modes(&p, h);
    h->row[PROBE_CPUID_HIDE] = probe_cpuid_hide(&p);
    if (p.run) {
        munmap(p.run, (size_t)p.vm.run_size);
        close(p.vcpu_fd);
    }
    vm_close(&p.vm);
    /* Tearing down an irqchip VM costs ~20 ms here: only when someone asks. */
    if (irqchip)
        probe_irqchip(h);
    sigaction(SIGALRM, &old, NULL);
    h->probe_ms = (now_us() - t0) / 1000.0;
    h->done = true;
    return 0;
}

void hostprobe_run_irqchip(struct hostprobe *h)
{
    struct sigaction sa = { .sa_handler = on_alarm }, old;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, &old);
    probe_irqchip(h);
    sigaction(SIGALRM, &old, NULL);
}

bool hostprobe_has_irqchip_rows(const struct hostprobe *p)
{
    return p->row[PROBE_IRQCHIP] != PROBE_UNTESTED && p->row[PROBE_AP_START] != PROBE_UNTESTED;
}

bool hostprobe_yes(const struct hostprobe *p, enum probe_row r)
{
    return p->done && p->row[r] == PROBE_YES;
}
