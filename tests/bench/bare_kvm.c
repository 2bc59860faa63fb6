/* bare_kvm: the lower bound the VMM is benchmarked against. It does the least a
 * KVM user can do to run a flat real-mode image: one VM, one memslot, one vCPU
 * entered at 0000:7C00, and a KVM_RUN loop that does nothing per exit but count.
 * It loads the same flat images from guests/bench/ as the VMM, so both run the same
 * instructions.
 *
 *   bare_kvm first IMAGE   run until the first exit, which must be an OUT to
 *                          port 0xf4; exit with the byte written
 *   bare_kvm loop IMAGE    re-enter KVM_RUN after every OUT exit until an OUT to
 *                          port 0xf4; exit with that byte and print on stderr
 *                          "bare_kvm: N IO exits in S s (R exits/s)"
 *
 * Any other exit (IN included), or a 0xf4 write that is not one byte, is an error
 * (status 126), as are bad arguments (2). Test code: it may use <linux/kvm.h>. */
#define _GNU_SOURCE
#include "vmm/util.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MEM_SIZE (4u << 20) /* the VMM's default guest RAM */
#define LOAD_ADDR 0x7c00u
#define EXIT_PORT 0xf4
#define STATUS_USAGE 2
#define STATUS_ERROR 126

struct bare {
    int kvm_fd, vm_fd, vcpu_fd;
    uint8_t *mem;
    struct kvm_run *run;
    size_t run_size;
};

/* Reads IMAGE straight into guest memory at LOAD_ADDR; it must fit below 1 MiB. */
static int bare_load(struct bare *b, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    size_t room = 0x100000u - LOAD_ADDR, got = 0;
    for (;;) {
        ssize_t n = read(fd, b->mem + LOAD_ADDR + got, room - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = n < 0 ? -errno : 0;
            close(fd);
            if (e)
                return e;
            return got ? 0 : -ENODATA;
        }
        got += (size_t)n;
        if (got == room) {
            char extra;
            n = read(fd, &extra, 1);
            close(fd);
            return n == 0 ? 0 : -EFBIG;
        }
    }
}

static int bare_open(struct bare *b)
{
    b->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (b->kvm_fd < 0)
        return -errno;
    b->vm_fd = ioctl(b->kvm_fd, KVM_CREATE_VM, 0);
    if (b->vm_fd < 0)
        return -errno;
    /* Needed for real mode on VMX hosts without unrestricted guest; cheap elsewhere. */
    if (ioctl(b->vm_fd, KVM_SET_TSS_ADDR, 0xfffbd000ul) < 0)
        return -errno;
    void *mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED)
        return -errno;
    b->mem = mem;
    struct kvm_userspace_memory_region region = {
        .slot = 0,
        .guest_phys_addr = 0,
        .memory_size = MEM_SIZE,
        .userspace_addr = (uintptr_t)mem,
    };
    if (ioctl(b->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
        return -errno;
    int run_size = ioctl(b->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (run_size < (int)sizeof(struct kvm_run))
        return run_size < 0 ? -errno : -EPROTO;
    b->run_size = (size_t)run_size;
    b->vcpu_fd = ioctl(b->vm_fd, KVM_CREATE_VCPU, 0);
    if (b->vcpu_fd < 0)
        return -errno;
    void *run = mmap(NULL, b->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, b->vcpu_fd, 0);
    if (run == MAP_FAILED)
        return -errno;
    b->run = run;
    return 0;
}

/* Real mode at 0000:7C00: only CS differs from what a new vCPU holds (F000 with
 * base FFFF0000), but all segments are set so nothing depends on reset values. */
static int bare_enter_real(struct bare *b)
{
    struct kvm_sregs s;
    if (ioctl(b->vcpu_fd, KVM_GET_SREGS, &s) < 0)
        return -errno;
    struct kvm_segment *segs[] = { &s.cs, &s.ds, &s.es, &s.fs, &s.gs, &s.ss };
    for (size_t i = 0; i < ARRAY_SIZE(segs); i++) {
        segs[i]->selector = 0;
        segs[i]->base = 0;
    }
    if (ioctl(b->vcpu_fd, KVM_SET_SREGS, &s) < 0)
        return -errno;
    struct kvm_regs r = { .rip = LOAD_ADDR, .rsp = LOAD_ADDR, .rflags = 0x2 };
    if (ioctl(b->vcpu_fd, KVM_SET_REGS, &r) < 0)
        return -errno;
    return 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs until the guest writes port 0xf4; *status gets the byte, *io_exits the
 * number of port-I/O exits including that last one. With first_only, the first
 * exit must already be that write. */
static int bare_run(struct bare *b, int first_only, int *status, uint64_t *io_exits)
{
    struct kvm_run *run = b->run;
    for (*io_exits = 0;;) {
        if (ioctl(b->vcpu_fd, KVM_RUN, 0) < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (run->exit_reason != KVM_EXIT_IO) {
            fprintf(stderr, "bare_kvm: unexpected exit reason %u\n", run->exit_reason);
            return -EPROTO;
        }
        /* No device answers here: a guest that reads a port is not a bench guest
         * and would spin on whatever the data buffer holds. */
        if (run->io.direction != KVM_EXIT_IO_OUT) {
            fprintf(stderr, "bare_kvm: IN from port 0x%x: no devices here\n", run->io.port);
            return -EPROTO;
        }
        ++*io_exits;
        if (run->io.port == EXIT_PORT) {
            if (run->io.size != 1 || run->io.count != 1) {
                fprintf(stderr, "bare_kvm: OUT to port 0xf4 of size %u\n", run->io.size);
                return -EPROTO;
            }
            *status = ((uint8_t *)run)[run->io.data_offset];
            return 0;
        }
        if (first_only) {
            fprintf(stderr, "bare_kvm: first exit is port 0x%x, not 0xf4\n", run->io.port);
            return -EPROTO;
        }
    }
}

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "first") && strcmp(argv[1], "loop"))) {
        fprintf(stderr, "usage: bare_kvm first|loop IMAGE\n");
        return STATUS_USAGE;
    }
    int first_only = strcmp(argv[1], "first") == 0;
    struct bare b = { .kvm_fd = -1, .vm_fd = -1, .vcpu_fd = -1 };
    int rc = bare_open(&b);
    if (rc < 0) {
        fprintf(stderr, "bare_kvm: /dev/kvm: VM setup failed: %s\n", strerror(-rc));
        return STATUS_ERROR;
    }
    rc = bare_load(&b, argv[2]);
    if (rc < 0) {
        fprintf(stderr, "bare_kvm: %s: %s\n", argv[2], strerror(-rc));
        return STATUS_USAGE;
    }
    rc = bare_enter_real(&b);
    if (rc < 0) {
        fprintf(stderr, "bare_kvm: vCPU setup failed: %s\n", strerror(-rc));
        return STATUS_ERROR;
    }
    int status = 0;
    uint64_t exits = 0;
    double t0 = now_s();
    rc = bare_run(&b, first_only, &status, &exits);
    double dt = now_s() - t0;
    if (rc < 0) {
        if (rc != -EPROTO) /* bare_run has already said what it did not expect */
            fprintf(stderr, "bare_kvm: KVM_RUN: %s\n", strerror(-rc));
        return STATUS_ERROR;
    }
    if (!first_only)
        fprintf(stderr, "bare_kvm: %llu IO exits in %.3f s (%.0f exits/s)\n",
                (unsigned long long)exits, dt, dt > 0 ? (double)exits / dt : 0.0);
    /* Descriptors and mappings go with the process, as they do for the VMM. */
    return status;
}
