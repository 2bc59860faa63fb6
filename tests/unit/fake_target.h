/* A fake debug target for the gdbstub unit tests: canned registers and memory,
 * a call log, and a toy execution model so that resume/stop round trips work.
 *
 * Model: memory is mapped at [FAKE_MEM_BASE, FAKE_MEM_BASE + FAKE_MEM_SIZE),
 * everything else is unmapped (-EFAULT). A step advances rip by 1; a range step
 * (only with range_ok) steps by 1 while rip stays in the range and no code
 * breakpoint is at rip, counting its steps in range_steps. A continue
 * runs to the lowest code breakpoint at or after rip, else fires the first
 * watchpoint, else exits with exit_code if exit_on_run is set, else "runs"
 * until interrupt(). Stops are announced through a pipe (stop_fd).
 * Header-only and static: each test binary includes it once. */
#ifndef FAKE_TARGET_H
#define FAKE_TARGET_H

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "gdbstub/gdbstub.h"

#define FAKE_MAX_CPUS 4
#define FAKE_MEM_BASE 0x1000u
#define FAKE_MEM_SIZE 0x10000u
#define FAKE_MAX_BPS 32
#define FAKE_HW_SLOTS 4
#define FAKE_RANGE_MAX 4096 /* a range step stops after this many (the protocol allows it) */

struct fake_bp {
    bool used;
    enum bp_kind kind;
    uint64_t addr;
    size_t len;
};

struct fake_target {
    pthread_mutex_t lock;
    int ncpus;
    uint8_t regs[FAKE_MAX_CPUS][GDB_REGS_SIZE];
    uint8_t mem[FAKE_MEM_SIZE];
    struct fake_bp bps[FAKE_MAX_BPS];
    char log[8192]; /* "name(args) " per call, for checks */
    struct resume_req last_req;
    int resumes, interrupts, detaches, kills;
    bool running, has_pending;
    struct stop_info pending;
    bool exit_on_run; /* a continue with nothing to hit exits */
    int exit_code;
    bool no_watch; /* insert_bp of Z2-Z4 says -EOPNOTSUPP */
    bool range_ok; /* range_step() says true: vCont;r is offered */
    int range_steps;
    int stop_pipe[2];
};

static __attribute__((unused)) void fake_log(struct fake_target *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static __attribute__((unused)) void fake_log(struct fake_target *f, const char *fmt, ...)
{
    size_t used = strlen(f->log);
    va_list ap;

    if (used >= sizeof(f->log) - 1)
        return;
    va_start(ap, fmt);
    vsnprintf(f->log + used, sizeof(f->log) - used, fmt, ap);
    va_end(ap);
}

static __attribute__((unused)) uint64_t fake_get(struct fake_target *f, int cpu, int reg)
{
    return x86_reg_get(f->regs[cpu], reg);
}

static __attribute__((unused)) void fake_init(struct fake_target *f, int ncpus)
{
    memset(f, 0, sizeof(*f));
    pthread_mutex_init(&f->lock, NULL);
    f->ncpus = ncpus;
    for (int c = 0; c < ncpus; c++) {
        /* Every byte of every register distinct enough to catch offset slips. */
        for (int i = 0; i < GDB_REGS_SIZE; i++)
            f->regs[c][i] = (uint8_t)(i * 7 + c);
        for (int r = 0; r <= GDB_REG_R15; r++)
            x86_reg_set(f->regs[c], r, 0x1111111111111111ull * (uint64_t)(r + 1) + (uint64_t)c);
        x86_reg_set(f->regs[c], GDB_REG_RIP, FAKE_MEM_BASE + 0x100 + (uint64_t)c * 0x10);
        x86_reg_set(f->regs[c], GDB_REG_RSP, FAKE_MEM_BASE + 0x8000);
        x86_reg_set(f->regs[c], GDB_REG_RBP, FAKE_MEM_BASE + 0x8010);
        x86_reg_set(f->regs[c], GDB_REG_EFLAGS, 0x202);
        x86_reg_set(f->regs[c], GDB_REG_CS, 0x08);
        x86_reg_set(f->regs[c], GDB_REG_CR0, 0x80000011);
        x86_reg_set(f->regs[c], GDB_REG_EFER, 0x500);
        x86_reg_set(f->regs[c], GDB_REG_FS_BASE, 0x7000);
    }
    for (size_t i = 0; i < FAKE_MEM_SIZE; i++)
        f->mem[i] = 0x90; /* nop: gdb disassembles something sane */
    for (int i = 0; i < 16; i++)
        f->mem[i] = (uint8_t)(0xa0 + i);
    if (pipe(f->stop_pipe) != 0)
        perror("pipe");
}

static __attribute__((unused)) void fake_fini(struct fake_target *f)
{
    close(f->stop_pipe[0]);
    close(f->stop_pipe[1]);
    pthread_mutex_destroy(&f->lock);
}

/* Called with the lock held. */
static __attribute__((unused)) void fake_post_stop(struct fake_target *f, struct stop_info st)
{
    ssize_t r;

    f->pending = st;
    f->has_pending = true;
    r = write(f->stop_pipe[1], "s", 1);
    (void)r;
}

static __attribute__((unused)) int fake_read_regs(void *t, int cpu, uint8_t *buf, size_t len)
{
    struct fake_target *f = t;

    if (cpu < 0 || cpu >= f->ncpus || len != GDB_REGS_SIZE)
        return -EINVAL;
    pthread_mutex_lock(&f->lock);
    memcpy(buf, f->regs[cpu], len);
    fake_log(f, "read_regs(%d) ", cpu);
    pthread_mutex_unlock(&f->lock);
    return 0;
}

/* Refuses a cs of 0xdead, to exercise -EINVAL leaving the guest unchanged. */
static __attribute__((unused)) int fake_write_regs(void *t, int cpu, const uint8_t *buf, size_t len)
{
    struct fake_target *f = t;

    if (cpu < 0 || cpu >= f->ncpus || len != GDB_REGS_SIZE)
        return -EINVAL;
    if (x86_reg_get(buf, GDB_REG_CS) == 0xdead)
        return -EINVAL;
    pthread_mutex_lock(&f->lock);
    memcpy(f->regs[cpu], buf, len);
    fake_log(f, "write_regs(%d) ", cpu);
    pthread_mutex_unlock(&f->lock);
    return 0;
}

static __attribute__((unused)) int fake_range(uint64_t addr, size_t len)
{
    if (addr < FAKE_MEM_BASE || addr - FAKE_MEM_BASE > FAKE_MEM_SIZE ||
        len > FAKE_MEM_SIZE - (addr - FAKE_MEM_BASE))
        return -EFAULT;
    return 0;
}

static __attribute__((unused)) int fake_read_mem(void *t, int cpu, uint64_t addr, void *buf,
                                                 size_t len)
{
    struct fake_target *f = t;
    int rc = fake_range(addr, len);

    pthread_mutex_lock(&f->lock);
    fake_log(f, "read_mem(%d,%llx,%zx) ", cpu, (unsigned long long)addr, len);
    if (!rc)
        memcpy(buf, f->mem + (addr - FAKE_MEM_BASE), len);
    pthread_mutex_unlock(&f->lock);
    return rc;
}

static __attribute__((unused)) int fake_write_mem(void *t, int cpu, uint64_t addr, const void *buf,
                                                  size_t len)
{
    struct fake_target *f = t;
    int rc = fake_range(addr, len);

    pthread_mutex_lock(&f->lock);
    fake_log(f, "write_mem(%d,%llx,%zx) ", cpu, (unsigned long long)addr, len);
    if (!rc)
        memcpy(f->mem + (addr - FAKE_MEM_BASE), buf, len);
    pthread_mutex_unlock(&f->lock);
    return rc;
}

static __attribute__((unused)) int fake_insert_bp(void *t, enum bp_kind kind, uint64_t addr,
                                                  size_t len)
{
    struct fake_target *f = t;
    int hw = 0, rc = -ENOMEM;

    pthread_mutex_lock(&f->lock);
    fake_log(f, "insert_bp(%d,%llx,%zx) ", kind, (unsigned long long)addr, len);
    for (int i = 0; i < FAKE_MAX_BPS; i++)
        hw += f->bps[i].used && f->bps[i].kind != BP_SW;
    if (kind != BP_SW && kind != BP_HW && f->no_watch)
        rc = -EOPNOTSUPP;
    else if (kind == BP_SW && fake_range(addr, 1))
        rc = -EFAULT;
    else if (kind != BP_SW && hw >= FAKE_HW_SLOTS)
        rc = -ENOSPC;
    else
        for (int i = 0; i < FAKE_MAX_BPS; i++)
            if (!f->bps[i].used) {
                f->bps[i] = (struct fake_bp){ true, kind, addr, len };
                rc = 0;
                break;
            }
    pthread_mutex_unlock(&f->lock);
    return rc;
}

static __attribute__((unused)) int fake_remove_bp(void *t, enum bp_kind kind, uint64_t addr,
                                                  size_t len)
{
    struct fake_target *f = t;
    int rc = -ENOENT;

    pthread_mutex_lock(&f->lock);
    fake_log(f, "remove_bp(%d,%llx,%zx) ", kind, (unsigned long long)addr, len);
    for (int i = 0; i < FAKE_MAX_BPS; i++)
        if (f->bps[i].used && f->bps[i].kind == kind && f->bps[i].addr == addr) {
            f->bps[i].used = false;
            rc = 0;
            break;
        }
    pthread_mutex_unlock(&f->lock);
    return rc;
}

/* The toy execution model; see the top of the file. Lock held. */
static __attribute__((unused)) void fake_execute(struct fake_target *f,
                                                 const struct resume_req *req)
{
    const struct fake_bp *code = NULL, *watch = NULL;
    int cpu = -1;
    uint64_t rip;

    for (int c = 0; c < f->ncpus; c++)
        if (req->cpu[c].action == RESUME_RANGE) {
            enum stop_reason why = STOP_SIGNAL;
            do {
                rip = fake_get(f, c, GDB_REG_RIP) + 1;
                x86_reg_set(f->regs[c], GDB_REG_RIP, rip);
                f->range_steps++;
                for (int i = 0; i < FAKE_MAX_BPS; i++)
                    if (f->bps[i].used && f->bps[i].addr == rip && f->bps[i].kind <= BP_HW)
                        why = f->bps[i].kind == BP_SW ? STOP_SWBREAK : STOP_HWBREAK;
            } while (why == STOP_SIGNAL && rip >= req->cpu[c].range_start &&
                     rip < req->cpu[c].range_end && f->range_steps % FAKE_RANGE_MAX);
            fake_post_stop(f, (struct stop_info){ .reason = why, .cpu = c, .signal = 5 });
            return;
        }
    for (int c = 0; c < f->ncpus; c++)
        if (req->cpu[c].action == RESUME_STEP) {
            x86_reg_set(f->regs[c], GDB_REG_RIP, fake_get(f, c, GDB_REG_RIP) + 1);
            fake_post_stop(f, (struct stop_info){ .reason = STOP_SIGNAL, .cpu = c, .signal = 5 });
            return;
        }
    for (int c = 0; c < f->ncpus && cpu < 0; c++)
        if (req->cpu[c].action == RESUME_CONTINUE)
            cpu = c;
    if (cpu < 0)
        return;
    rip = fake_get(f, cpu, GDB_REG_RIP);
    for (int i = 0; i < FAKE_MAX_BPS; i++) {
        const struct fake_bp *b = &f->bps[i];

        if (!b->used)
            continue;
        if ((b->kind == BP_SW || b->kind == BP_HW) && b->addr >= rip &&
            (!code || b->addr < code->addr))
            code = b;
        if (b->kind >= BP_WRITE && !watch)
            watch = b;
    }
    if (code) {
        x86_reg_set(f->regs[cpu], GDB_REG_RIP, code->addr);
        fake_post_stop(
            f, (struct stop_info){ .reason = code->kind == BP_SW ? STOP_SWBREAK : STOP_HWBREAK,
                                   .cpu = cpu });
    } else if (watch) {
        static const enum stop_reason why[] = {
            [BP_WRITE] = STOP_WATCH, [BP_READ] = STOP_RWATCH, [BP_ACCESS] = STOP_AWATCH
        };
        x86_reg_set(f->regs[cpu], GDB_REG_RIP, rip + 1);
        fake_post_stop(f, (struct stop_info){
                              .reason = why[watch->kind], .cpu = cpu, .watch_addr = watch->addr });
    } else if (f->exit_on_run) {
        fake_post_stop(f, (struct stop_info){ .reason = STOP_EXITED, .exit_code = f->exit_code });
    }
}

static __attribute__((unused)) int fake_resume(void *t, const struct resume_req *req)
{
    struct fake_target *f = t;

    pthread_mutex_lock(&f->lock);
    fake_log(f, "resume(");
    for (int c = 0; c < req->ncpus; c++)
        fake_log(f, "%c%s", "-csr"[req->cpu[c].action], c + 1 < req->ncpus ? "," : "");
    fake_log(f, ") ");
    f->last_req = *req;
    f->resumes++;
    f->running = true;
    fake_execute(f, req);
    pthread_mutex_unlock(&f->lock);
    return 0;
}

static __attribute__((unused)) int fake_wait_stop(void *t, struct stop_info *out)
{
    struct fake_target *f = t;
    char c;

    if (read(f->stop_pipe[0], &c, 1) != 1)
        return -EIO;
    pthread_mutex_lock(&f->lock);
    *out = f->pending;
    f->has_pending = false;
    f->running = false;
    fake_log(f, "wait_stop ");
    pthread_mutex_unlock(&f->lock);
    return 0;
}

static __attribute__((unused)) void fake_interrupt(void *t)
{
    struct fake_target *f = t;

    pthread_mutex_lock(&f->lock);
    f->interrupts++;
    fake_log(f, "interrupt ");
    if (f->running && !f->has_pending)
        fake_post_stop(f, (struct stop_info){ .reason = STOP_SIGNAL, .cpu = 0, .signal = 2 });
    pthread_mutex_unlock(&f->lock);
}

static __attribute__((unused)) bool fake_range_step(void *t)
{
    return ((struct fake_target *)t)->range_ok;
}

static __attribute__((unused)) int fake_monitor(void *t, int cpu, const char *cmd,
                                                struct strbuf *out)
{
    struct fake_target *f = t;

    pthread_mutex_lock(&f->lock);
    fake_log(f, "monitor(%s) ", cmd);
    pthread_mutex_unlock(&f->lock);
    if (strcmp(cmd, "help") == 0)
        return strbuf_puts(out, "  mode                 the CPU mode of each vCPU\n");
    if (strcmp(cmd, "mode") == 0)
        return strbuf_puts(out, "vCPU 0: long mode\n");
    if (strcmp(cmd, "flood") == 0) {
        for (int i = 0; i < 3000; i++)
            strbuf_printf(out, "line %04d of a long monitor output\n", i);
        return 0;
    }
    if (strcmp(cmd, "huge") == 0) {
        while (strbuf_puts(out, "0123456789abcdef0123456789abcdef\n") == 0)
            ;
        return 0;
    }
    if (strcmp(cmd, "fail") == 0)
        return -EIO;
    return -ENOENT;
}

static __attribute__((unused)) int fake_thread_info(void *t, int cpu, char *buf, size_t len)
{
    snprintf(buf, len, "vCPU %d, long mode", cpu);
    return 0;
}

static __attribute__((unused)) int fake_detach(void *t)
{
    struct fake_target *f = t;

    pthread_mutex_lock(&f->lock);
    f->detaches++;
    memset(f->bps, 0, sizeof(f->bps));
    f->running = true; /* runs freely; stops only through interrupt() */
    fake_log(f, "detach ");
    pthread_mutex_unlock(&f->lock);
    return 0;
}

static __attribute__((unused)) void fake_kill(void *t)
{
    struct fake_target *f = t;

    pthread_mutex_lock(&f->lock);
    f->kills++;
    fake_log(f, "kill ");
    pthread_mutex_unlock(&f->lock);
}

static const struct gdb_target_ops fake_ops = {
    .read_regs = fake_read_regs,
    .write_regs = fake_write_regs,
    .read_mem = fake_read_mem,
    .write_mem = fake_write_mem,
    .insert_bp = fake_insert_bp,
    .remove_bp = fake_remove_bp,
    .resume = fake_resume,
    .range_step = fake_range_step,
    .wait_stop = fake_wait_stop,
    .interrupt = fake_interrupt,
    .monitor = fake_monitor,
    .thread_info = fake_thread_info,
    .detach = fake_detach,
    .kill = fake_kill,
};

/* Clears the call log (between checks). */
static __attribute__((unused)) void fake_clear_log(struct fake_target *f)
{
    pthread_mutex_lock(&f->lock);
    f->log[0] = '\0';
    pthread_mutex_unlock(&f->lock);
}

/* A copy of the call log taken under the lock (the stub thread writes it). */
static __attribute__((unused)) void fake_log_copy(struct fake_target *f, char *buf, size_t len)
{
    size_t n;

    pthread_mutex_lock(&f->lock);
    n = strlen(f->log);
    if (n >= len)
        n = len - 1;
    memcpy(buf, f->log, n);
    buf[n] = '\0';
    pthread_mutex_unlock(&f->lock);
}

#endif
