#include "vmm/cpuid.h"

#include <errno.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>

#include "vmm/probe/hostprobe.h"
#include "vmm/util.h"

#define CPUID_MAX_ENTRIES 100

enum cpuid_reg { R_EBX, R_ECX, R_EDX };

/* Features whose instructions a software ring-0 emulator may lack (docs/host-probe.md). They
 * are hidden only when the probe found ring-0 code emulated: on real KVM they run. */
static const struct {
    uint32_t leaf, index;
    enum cpuid_reg reg;
    int bit;
} emulator_gaps[] = {
    { 1, 0, R_ECX, 13 },          /* CX16 (cmpxchg16b) */
    { 1, 0, R_ECX, 22 },          /* MOVBE */
    { 1, 0, R_ECX, 23 },          /* POPCNT */
    { 1, 0, R_ECX, 25 },          /* AES */
    { 1, 0, R_ECX, 1 },           /* PCLMULQDQ */
    { 1, 0, R_ECX, 20 },          /* SSE4.2 (crc32) */
    { 1, 0, R_ECX, 26 },          /* XSAVE */
    { 1, 0, R_ECX, 28 },          /* AVX */
    { 1, 0, R_ECX, 3 },           /* MONITOR/MWAIT */
    { 7, 0, R_EBX, 5 },           /* AVX2 */
    { 7, 0, R_EBX, 10 },          /* INVPCID */
    { 7, 0, R_EBX, 19 },          /* ADX */
    { 7, 0, R_EBX, 20 },          /* SMAP (stac/clac) */
    { 7, 0, R_EBX, 24 },          /* CLWB */
    { 7, 0, R_ECX, 22 },          /* RDPID */
    { 0x80000001, 0, R_EDX, 27 }, /* RDTSCP */
};

static uint32_t *entry_reg(struct kvm_cpuid_entry2 *e, enum cpuid_reg r)
{
    return r == R_EBX ? &e->ebx : r == R_ECX ? &e->ecx : &e->edx;
}

int cpuid_setup(int vcpu_fd, int kvm_fd, int vcpu_id, const struct hostprobe *probe)
{
    size_t sz = sizeof(struct kvm_cpuid2) + CPUID_MAX_ENTRIES * sizeof(struct kvm_cpuid_entry2);
    struct kvm_cpuid2 *c = calloc(1, sz);
    if (!c)
        return -ENOMEM;
    c->nent = CPUID_MAX_ENTRIES;
    if (ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, c) < 0) {
        int e = -errno;
        free(c);
        return e;
    }
    bool hide = probe && probe->done && !hostprobe_yes(probe, PROBE_RING0_NATIVE);
    for (uint32_t i = 0; i < c->nent; i++) {
        struct kvm_cpuid_entry2 *e = &c->entries[i];
        if (e->function == 1) {
            /* Initial APIC id, so SMP guests tell their CPUs apart. */
            e->ebx = (e->ebx & 0x00ffffffu) | ((uint32_t)vcpu_id << 24);
        }
        if (e->function == 0xb || e->function == 0x1f)
            e->edx = (uint32_t)vcpu_id;
        for (size_t g = 0; hide && g < ARRAY_SIZE(emulator_gaps); g++)
            if (emulator_gaps[g].leaf == e->function && emulator_gaps[g].index == e->index)
                *entry_reg(e, emulator_gaps[g].reg) &= ~(1u << emulator_gaps[g].bit);
    }
    int rc = ioctl(vcpu_fd, KVM_SET_CPUID2, c) < 0 ? -errno : 0;
    free(c);
    return rc;
}
