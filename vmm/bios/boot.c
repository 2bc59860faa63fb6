/* Booting: sector 0 of the disk at 0000:7C00 with DL = the drive (at start, and
 * again on int 19h), int 18h (the guest gave up booting), and the CPU exceptions
 * that reach the BIOS's vectors: a fault would return to the faulting
 * instruction for ever, so the guest ends with a message naming it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "vmm/bios/bios_priv.h"
#include "vmm/devices/blkdev.h"
#include "vmm/machine.h"
#include "vmm/util.h"

#define BOOT_ADDR 0x7c00u
#define BOOT_STATUS_FAILED 1

int bios_load_boot_sector(struct bios *b)
{
    uint8_t *dst = vm_gpa_to_hva(&b->m->vm, BOOT_ADDR, 512);
    if (!b->disk.dev || !dst)
        return -ENODEV;
    return blkdev_rw(b->disk.dev, 0, 1, dst, false);
}

int bios_setup_boot_vcpu(struct bios *b, struct vcpu *v)
{
    struct kvm_regs r;
    int rc = vcpu_get_regs(v, &r);
    if (rc < 0)
        return rc;
    r.rdx = b->disk.drive;
    return vcpu_set_regs(v, &r);
}

void boot_failed(struct bios_call *c)
{
    fprintf(stderr, "vmm: vcpu %d (%s): int 18h: the guest found nothing to boot, stopping\n",
            c->v->id, c->v->name);
    bios_end_guest(c, BOOT_STATUS_FAILED);
}

void boot_reboot(struct bios_call *c)
{
    if (bios_load_boot_sector(c->b) < 0) {
        fprintf(stderr, "vmm: vcpu %d (%s): int 19h: no --disk to boot, stopping\n", c->v->id,
                c->v->name);
        bios_end_guest(c, BOOT_STATUS_FAILED);
        return;
    }
    set_16(&c->r.rdx, c->b->disk.drive);
    c->next = BIOS_BOOT;
}

void boot_exception(struct bios_call *c)
{
    static const char *const names[] = { [0x00] = "#DE divide error",
                                         [0x06] = "#UD invalid opcode",
                                         [0x07] = "#NM no math coprocessor" };
    uint16_t ip, cs;
    memcpy(&ip, c->frame + 2, 2);
    memcpy(&cs, c->frame + 4, 2);
    fprintf(stderr,
            "vmm: vcpu %d (%s): %s at %04x:%04x in real mode (BIOS vector %02Xh, the guest "
            "installed no handler), stopping\n",
            c->v->id, c->v->name,
            c->vec < ARRAY_SIZE(names) && names[c->vec] ? names[c->vec] : "exception", cs, ip,
            c->vec);
    bios_end_guest(c, VMM_STATUS_VCPU_ERROR);
}
