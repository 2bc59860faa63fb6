#include "vmm/int3.h"

#include <errno.h>
#include <sys/ioctl.h>

#include "vmm/guestmem.h"
#include "vmm/machine.h"
#include "vmm/x86/bits.h"

bool int3_emufail_at_rip(struct vcpu *v)
{
    struct kvm_regs r;
    struct kvm_sregs s;
    uint8_t byte;
    if (v->run->exit_reason != KVM_EXIT_INTERNAL_ERROR ||
        v->run->internal.suberror != KVM_INTERNAL_ERROR_EMULATION || vcpu_get_state(v, &r, &s) < 0)
        return false;
    return guestmem_access(&v->m->vm, &s, vcpu_linear_ip(&r, &s), &byte, 1, false, NULL) == 0 &&
           byte == OP_INT3;
}

int int3_reflect(struct vcpu *v, bool advance)
{
    struct kvm_vcpu_events ev;
    if (ioctl(v->fd, KVM_GET_VCPU_EVENTS, &ev) < 0)
        return -errno;
    if (advance) {
        struct kvm_regs r;
        int rc = vcpu_get_regs(v, &r);
        if (rc < 0)
            return rc;
        r.rip++;
        if ((rc = vcpu_set_regs(v, &r)) < 0)
            return rc;
    }
    ev.exception.injected = 1;
    ev.exception.nr = VEC_BP;
    ev.exception.has_error_code = 0;
    ev.flags = 0;
    return ioctl(v->fd, KVM_SET_VCPU_EVENTS, &ev) < 0 ? -errno : 0;
}
