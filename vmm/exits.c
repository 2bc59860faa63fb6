#include "vmm/exits.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vmm/int3.h"
#include "vmm/linux/linux.h"
#include "vmm/machine.h"
#include "vmm/util.h"
#include "vmm/x86/bits.h"

typedef enum exit_action (*exit_fn)(struct vcpu *v);

static void trace_exit(struct vcpu *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void trace_exit(struct vcpu *v, const char *fmt, ...)
{
    if (!exit_stats_trace_take(&v->m->stats))
        return;
    char line[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    struct kvm_regs r;
    unsigned long long rip = vcpu_get_regs(v, &r) == 0 ? r.rip : 0;
    fprintf(stderr, "trace: vcpu %d %s %s rip 0x%llx\n", v->id,
            exit_reason_name(v->run->exit_reason), line, rip);
}

static enum exit_action on_io(struct vcpu *v)
{
    struct kvm_run *run = v->run;
    uint8_t *base = (uint8_t *)run + run->io.data_offset;
    bool write = run->io.direction == KVM_EXIT_IO_OUT;
    const struct pio_dev *dev = pio_find(&v->m->pio, run->io.port);

    for (uint32_t i = 0; i < run->io.count; i++) {
        uint8_t *data = base + (size_t)i * run->io.size;
        trace_exit(v, "%s port 0x%x size %u%s", write ? "out" : "in", run->io.port, run->io.size,
                   dev ? "" : " (unknown port)");
        if (!dev) {
            exit_stats_unknown(&v->m->stats, run->io.port, false);
            if (!write)
                memset(data, 0xff, run->io.size);
            continue;
        }
        struct io_req req = {
            .addr = run->io.port, .size = run->io.size, .write = write, .data = data, .vcpu = v
        };
        int rc = dev->io(dev->owner, &req);
        if (rc < 0) {
            fprintf(stderr, "vmm: vcpu %d (%s): %s port 0x%x: %s\n", v->id, v->name, dev->name,
                    run->io.port, strerror(-rc));
            machine_stop(v->m, VMM_STATUS_VCPU_ERROR);
            return EXIT_STOP;
        }
        if (v->finished)
            return EXIT_VCPU_DONE;
        if (atomic_load(&v->m->stopping))
            return EXIT_STOP;
    }
    return EXIT_CONTINUE;
}

static enum exit_action on_mmio(struct vcpu *v)
{
    struct kvm_run *run = v->run;
    /* Nothing is mapped outside RAM yet: reads see zeros, writes vanish, both counted
     * so a runaway guest shows up in the summary rather than as a hang. */
    trace_exit(v, "%s gpa 0x%llx len %u (unknown MMIO)", run->mmio.is_write ? "write" : "read",
               (unsigned long long)run->mmio.phys_addr, run->mmio.len);
    exit_stats_unknown(&v->m->stats, run->mmio.phys_addr, true);
    if (!run->mmio.is_write)
        memset(run->mmio.data, 0, sizeof(run->mmio.data));
    return EXIT_CONTINUE;
}

static enum exit_action on_hlt(struct vcpu *v)
{
    trace_exit(v, "halted");
    return EXIT_VCPU_DONE;
}

static enum exit_action fatal(struct vcpu *v, const char *what, int status)
{
    struct kvm_regs r;
    struct kvm_sregs s;
    if (vcpu_get_state(v, &r, &s) == 0) {
        enum vcpu_cpu_mode mode = vcpu_mode_of(&s);
        if (mode == VMODE_REAL)
            fprintf(stderr, "vmm: vcpu %d (%s): %s at rip 0x%llx (%s, cs:ip %04x:%04llx)\n", v->id,
                    v->name, what, (unsigned long long)r.rip, vcpu_mode_name(mode), s.cs.selector,
                    (unsigned long long)(r.rip & 0xffff));
        else
            fprintf(stderr, "vmm: vcpu %d (%s): %s at rip 0x%llx (%s)\n", v->id, v->name, what,
                    (unsigned long long)r.rip, vcpu_mode_name(mode));
    } else {
        fprintf(stderr, "vmm: vcpu %d (%s): %s (registers unreadable)\n", v->id, v->name, what);
    }
    vcpu_dump_state(v, stderr);
    machine_stop(v->m, status);
    return EXIT_STOP;
}

/* Hosts that refuse 32-bit and PAE paging without long mode shut the vCPU down at
 * the CR0.PG write (docs/host-probe.md): say so, or the guest looks broken. */
static void shutdown_paging_hint(struct vcpu *v)
{
    struct kvm_regs r;
    struct kvm_sregs s;
    if (v->m->probe.row[PROBE_PAGING32] != PROBE_NO || vcpu_get_state(v, &r, &s) < 0)
        return;
    if ((s.cr0 & CR0_PG) && !(s.efer & EFER_LME))
        fprintf(stderr,
                "vmm: vcpu %d (%s): the guest turned on 32-bit or PAE paging without long mode, "
                "which this host refuses (vmm --probe: \"32-bit paging ... runs: no\"): a host "
                "limit, not a guest bug\n",
                v->id, v->name);
}

/* The triple-fault report: the register dump (fatal), then why (vmm/forensics/)
 * and the last instructions when --history kept them. */
static enum exit_action on_shutdown(struct vcpu *v)
{
    shutdown_paging_hint(v);
    struct strbuf sb;
    strbuf_init(&sb, 64 * 1024);
    forensics_report(v, &sb);
    if (v->hist.count)
        history_print(&v->hist, 0, &sb);
    enum exit_action a = fatal(v, "triple fault", VMM_STATUS_TRIPLE_FAULT);
    fputs(strbuf_str(&sb), stderr);
    strbuf_free(&sb);
    return a;
}

static enum exit_action on_internal_error(struct vcpu *v)
{
    struct kvm_run *run = v->run;
    /* the guest's own int3 where the host's emulator gave up on it: its #BP */
    if (int3_emufail_at_rip(v) && int3_reflect(v, true) == 0)
        return EXIT_CONTINUE;
    char what[160];
    int n = snprintf(
        what, sizeof(what), "KVM internal error (suberror %u%s", run->internal.suberror,
        run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION ? ": emulation failure" : "");
    for (uint32_t i = 0; i < run->internal.ndata && i < 4 && n > 0 && (size_t)n < sizeof(what); i++)
        n += snprintf(what + n, sizeof(what) - (size_t)n, "%s0x%llx", i ? " " : ", data ",
                      (unsigned long long)run->internal.data[i]);
    if (n > 0 && (size_t)n < sizeof(what) - 1)
        snprintf(what + n, sizeof(what) - (size_t)n, ")");
    return fatal(v, what, VMM_STATUS_VCPU_ERROR);
}

static enum exit_action on_fail_entry(struct vcpu *v)
{
    char what[120];
    snprintf(what, sizeof(what), "VM entry failed (hardware reason 0x%llx, cpu %u)",
             (unsigned long long)v->run->fail_entry.hardware_entry_failure_reason,
             v->run->fail_entry.cpu);
    return fatal(v, what, VMM_STATUS_VCPU_ERROR);
}

static enum exit_action on_system_event(struct vcpu *v)
{
    switch (v->run->system_event.type) {
    case KVM_SYSTEM_EVENT_SHUTDOWN: machine_stop(v->m, VMM_STATUS_OK); return EXIT_STOP;
    case KVM_SYSTEM_EVENT_RESET:
        fprintf(stderr, "vmm: vcpu %d (%s): guest requested reset\n", v->id, v->name);
        machine_stop(v->m, VMM_STATUS_OK);
        return EXIT_STOP;
    default: return fatal(v, "unexpected system event", VMM_STATUS_VCPU_ERROR);
    }
}

static enum exit_action on_intr(struct vcpu *v)
{
    return EXIT_CONTINUE;
}

static const struct {
    uint32_t reason;
    exit_fn fn;
} exit_table[] = {
    { KVM_EXIT_IO, on_io },
    { KVM_EXIT_MMIO, on_mmio },
    { KVM_EXIT_HLT, on_hlt },
    { KVM_EXIT_SHUTDOWN, on_shutdown },
    { KVM_EXIT_INTERNAL_ERROR, on_internal_error },
    { KVM_EXIT_FAIL_ENTRY, on_fail_entry },
    { KVM_EXIT_SYSTEM_EVENT, on_system_event },
    { KVM_EXIT_INTR, on_intr },
};

bool exits_known(uint32_t reason)
{
    for (size_t i = 0; i < ARRAY_SIZE(exit_table); i++)
        if (exit_table[i].reason == reason)
            return true;
    return false;
}

enum exit_action exits_handle(struct vcpu *v)
{
    uint32_t reason = v->run->exit_reason;
    if (linux_on_exit(v))
        return EXIT_CONTINUE;
    for (size_t i = 0; i < ARRAY_SIZE(exit_table); i++)
        if (exit_table[i].reason == reason)
            return exit_table[i].fn(v);
    char what[64];
    snprintf(what, sizeof(what), "unhandled exit %s (%u)", exit_reason_name(reason), reason);
    return fatal(v, what, VMM_STATUS_VCPU_ERROR);
}
