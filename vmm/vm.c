#include "vmm/vm.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

int vm_open(struct vm *vm, uint64_t mem_size)
{
    memset(vm, 0, sizeof(*vm));
    vm->kvm_fd = vm->vm_fd = -1;
    if (mem_size == 0 || mem_size > VM_MEM_MAX || (mem_size & 0xfff))
        return -EINVAL;

    vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (vm->kvm_fd < 0)
        return -errno;
    int ver = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
    if (ver != KVM_API_VERSION)
        goto fail_proto;
    vm->run_size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (vm->run_size < (int)sizeof(struct kvm_run))
        goto fail_proto;
    vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
    if (vm->vm_fd < 0)
        goto fail_errno;

    /* KVM on Intel needs a TSS area below 4 GiB outside RAM for real-mode emulation. */
    if (ioctl(vm->vm_fd, KVM_SET_TSS_ADDR, 0xfffbd000ul) < 0)
        goto fail_errno;

    vm->mem = mmap(NULL, mem_size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (vm->mem == MAP_FAILED) {
        vm->mem = NULL;
        goto fail_errno;
    }
    vm->mem_size = mem_size;
    int rc = vm_set_readonly_pages(vm, NULL, 0);
    if (rc < 0) {
        vm_close(vm);
        return rc;
    }
    return 0;

fail_proto:
    vm_close(vm);
    return -EPROTO;
fail_errno : {
    int e = -errno;
    vm_close(vm);
    return e;
}
}

int vm_create_irqchip(struct vm *vm)
{
    if (ioctl(vm->vm_fd, KVM_CREATE_IRQCHIP, 0) < 0)
        return -errno;
    struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };
    if (ioctl(vm->vm_fd, KVM_CREATE_PIT2, &pit) < 0)
        return -errno;
    vm->irqchip = true;
    return 0;
}

void vm_close(struct vm *vm)
{
    if (vm->mem)
        munmap(vm->mem, vm->mem_size);
    if (vm->vm_fd >= 0)
        close(vm->vm_fd);
    if (vm->kvm_fd >= 0)
        close(vm->kvm_fd);
    vm->mem = NULL;
    vm->vm_fd = vm->kvm_fd = -1;
}

static int slot_set(struct vm *vm, int id, const struct slot_range *r, bool present)
{
    struct kvm_userspace_memory_region region = {
        .slot = (uint32_t)id,
        .flags = r->ro ? KVM_MEM_READONLY : 0,
        .guest_phys_addr = r->gpa,
        .memory_size = present ? r->size : 0,
        .userspace_addr = (uintptr_t)(vm->mem + r->gpa),
    };
    return ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0 ? -errno : 0;
}

/* Deletes the ranges that are not in NEW, then adds those that are new: KVM refuses
 * overlapping slots, and ranges kept as they are keep their mappings. */
static int slots_apply(struct vm *vm, const struct slot_layout *nl)
{
    bool used[SLOTS_MAX] = { false };
    int ids[SLOTS_MAX];
    for (int i = 0; i < vm->slots.n; i++) {
        int rc = 0;
        if (slots_find(nl, &vm->slots.r[i]) >= 0)
            used[vm->slot_id[i]] = true;
        else
            rc = slot_set(vm, vm->slot_id[i], &vm->slots.r[i], false);
        if (rc < 0)
            return rc;
    }
    for (int i = 0; i < nl->n; i++) {
        int j = slots_find(&vm->slots, &nl->r[i]);
        if (j >= 0) {
            ids[i] = vm->slot_id[j];
            continue;
        }
        int id = 0;
        while (used[id])
            id++; /* SLOTS_MAX ids for at most SLOTS_MAX ranges: one is free */
        used[id] = true;
        ids[i] = id;
        int rc = slot_set(vm, id, &nl->r[i], true);
        if (rc < 0)
            return rc;
    }
    vm->slots = *nl;
    memcpy(vm->slot_id, ids, sizeof(ids[0]) * (size_t)nl->n);
    return 0;
}

int vm_set_readonly_pages(struct vm *vm, uint64_t *pages, int npages)
{
    struct slot_layout nl;
    int rc = slots_layout(vm->mem_size, pages, npages, &nl);
    if (rc == 0 && npages > 0 && ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_READONLY_MEM) <= 0)
        rc = -EOPNOTSUPP;
    if (rc == 0 && nl.n > 1 && ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS) < nl.n)
        rc = -E2BIG;
    if (rc == 0)
        rc = slots_apply(vm, &nl);
    if (rc < 0 && !(vm->slots.n == 1 && !vm->slots.r[0].ro)) {
        /* perhaps half applied: back to all RAM in one read-write slot (deleting
         * a slot that is not there fails harmlessly) */
        for (int id = 0; id < SLOTS_MAX; id++) {
            struct slot_range none = { 0 };
            slot_set(vm, id, &none, false);
        }
        vm->slots.n = 0;
        struct slot_layout one;
        if (slots_layout(vm->mem_size, NULL, 0, &one) == 0)
            slots_apply(vm, &one);
    }
    return rc;
}

void *vm_gpa_to_hva(const struct vm *vm, uint64_t gpa, uint64_t len)
{
    if (gpa > vm->mem_size || len > vm->mem_size - gpa)
        return NULL;
    return vm->mem + gpa;
}

int vm_irq_line(struct vm *vm, int irq, int level)
{
    struct kvm_irq_level l = { .irq = (uint32_t)irq, .level = (uint32_t)level };
    if (!vm->irqchip)
        return -ENODEV;
    return ioctl(vm->vm_fd, KVM_IRQ_LINE, &l) < 0 ? -errno : 0;
}
