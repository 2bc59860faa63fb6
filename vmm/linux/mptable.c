/* The Intel MultiProcessor table (MP spec 1.4) that tells an SMP kernel its CPUs
 * (--smp N): a floating pointer where Linux scans for it (the last KiB of base
 * memory, which the e820 map reserves), then a configuration table: one processor
 * entry per vCPU (local APIC id = vCPU id, as KVM's in-kernel LAPIC has it), the
 * ISA bus, the in-kernel IOAPIC at its default address, ISA IRQ n -> IOAPIC pin n
 * (KVM's default GSI routing), and the PIC's ExtINT on LINT0, NMI on LINT1.
 * Chosen over ACPI's MADT: a few fixed-size records and two checksums, and the
 * test kernel needs no ACPI. The APs then start the way real ones do: the kernel
 * sends INIT and SIPI through its LAPIC and KVM's in-kernel LAPIC wakes them. */
#include <errno.h>
#include <string.h>

#include "vmm/linux/linux_priv.h"
#include "vmm/machine.h"

#define MP_LAPIC_BASE 0xfee00000u
#define MP_IOAPIC_BASE 0xfec00000u
#define MP_APIC_VERSION 0x14 /* an integrated APIC */
#define MP_ISA_IRQS 16

enum { MP_PROCESSOR = 0, MP_BUS = 1, MP_IOAPIC = 2, MP_INTSRC = 3, MP_LINTSRC = 4 };
enum { MP_INT = 0, MP_NMI = 1, MP_EXTINT = 3 };
enum { MP_CPU_ENABLED = 1, MP_CPU_BSP = 2 };

struct __attribute__((packed)) mp_floating {
    char signature[4]; /* "_MP_" */
    uint32_t table;
    uint8_t length; /* in 16-byte units */
    uint8_t version;
    uint8_t checksum;
    uint8_t feature[5]; /* 0: a configuration table follows */
};

struct __attribute__((packed)) mp_header {
    char signature[4]; /* "PCMP" */
    uint16_t length;
    uint8_t version;
    uint8_t checksum;
    char oem[8];
    char product[12];
    uint32_t oem_table;
    uint16_t oem_size;
    uint16_t entries;
    uint32_t lapic;
    uint16_t ext_length;
    uint8_t ext_checksum;
    uint8_t reserved;
};

struct __attribute__((packed)) mp_cpu {
    uint8_t type, apic_id, apic_version, flags;
    uint32_t signature, features;
    uint32_t reserved[2];
};

struct __attribute__((packed)) mp_bus {
    uint8_t type, id;
    char name[6];
};

struct __attribute__((packed)) mp_ioapic {
    uint8_t type, id, version, flags;
    uint32_t addr;
};

struct __attribute__((packed)) mp_irq {
    uint8_t type, irq_type;
    uint16_t flags; /* 0: the bus's default polarity and trigger */
    uint8_t src_bus, src_irq, dst_apic, dst_pin;
};

_Static_assert(sizeof(struct mp_floating) == 16, "MP floating pointer is 16 bytes");
_Static_assert(sizeof(struct mp_header) == 44, "MP table header is 44 bytes");
_Static_assert(sizeof(struct mp_cpu) == 20, "MP processor entry is 20 bytes");
_Static_assert(sizeof(struct mp_bus) == 8 && sizeof(struct mp_ioapic) == 8 &&
                   sizeof(struct mp_irq) == 8,
               "MP bus, IOAPIC and interrupt entries are 8 bytes");

static uint8_t mp_checksum(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint8_t sum = 0;
    while (n--)
        sum = (uint8_t)(sum + *b++);
    return (uint8_t)-sum;
}

size_t linux_mptable_size(int ncpus)
{
    return sizeof(struct mp_floating) + sizeof(struct mp_header) +
           (size_t)ncpus * sizeof(struct mp_cpu) + sizeof(struct mp_bus) +
           sizeof(struct mp_ioapic) + (MP_ISA_IRQS + 2) * sizeof(struct mp_irq);
}

int linux_mptable_write(uint8_t *dst, uint32_t gpa, size_t room, int ncpus)
{
    if (ncpus < 1 || ncpus > MACHINE_MAX_VCPUS || linux_mptable_size(ncpus) > room)
        return -ENOSPC;
    memset(dst, 0, linux_mptable_size(ncpus));
    struct mp_floating *f = (struct mp_floating *)dst;
    struct mp_header *h = (struct mp_header *)(f + 1);
    uint8_t *p = (uint8_t *)(h + 1);
    uint8_t ioapic_id = (uint8_t)ncpus; /* after the CPUs' APIC ids */

    for (int i = 0; i < ncpus; i++, p += sizeof(struct mp_cpu)) {
        struct mp_cpu c = { .type = MP_PROCESSOR,
                            .apic_id = (uint8_t)i,
                            .apic_version = MP_APIC_VERSION,
                            .flags = MP_CPU_ENABLED | (i == 0 ? MP_CPU_BSP : 0),
                            .signature = 0x600, /* family 6: the kernel reads CPUID */
                            .features = 0x201 /* FPU, APIC */ };
        memcpy(p, &c, sizeof(c));
    }
    struct mp_bus bus = { .type = MP_BUS, .id = 0, .name = { 'I', 'S', 'A', ' ', ' ', ' ' } };
    memcpy(p, &bus, sizeof(bus));
    p += sizeof(bus);
    struct mp_ioapic io = { .type = MP_IOAPIC,
                            .id = ioapic_id,
                            .version = MP_APIC_VERSION,
                            .flags = 1, /* usable */
                            .addr = MP_IOAPIC_BASE };
    memcpy(p, &io, sizeof(io));
    p += sizeof(io);
    for (uint8_t irq = 0; irq < MP_ISA_IRQS; irq++, p += sizeof(struct mp_irq)) {
        struct mp_irq e = { .type = MP_INTSRC,
                            .irq_type = MP_INT,
                            .src_bus = 0,
                            .src_irq = irq,
                            .dst_apic = ioapic_id,
                            .dst_pin = irq };
        memcpy(p, &e, sizeof(e));
    }
    const struct mp_irq lints[] = {
        { .type = MP_LINTSRC, .irq_type = MP_EXTINT, .dst_apic = 0, .dst_pin = 0 },
        { .type = MP_LINTSRC, .irq_type = MP_NMI, .dst_apic = 0xff, .dst_pin = 1 },
    };
    memcpy(p, lints, sizeof(lints));
    p += sizeof(lints);

    memcpy(h->signature, "PCMP", 4);
    h->length = (uint16_t)(p - (uint8_t *)h);
    h->version = 4;
    memcpy(h->oem, "MINIKVM ", 8);
    memcpy(h->product, "VMM SMP     ", 12);
    h->entries = (uint16_t)(ncpus + 2 + MP_ISA_IRQS + 2);
    h->lapic = MP_LAPIC_BASE;
    h->checksum = mp_checksum(h, h->length);

    memcpy(f->signature, "_MP_", 4);
    f->table = gpa + (uint32_t)sizeof(*f);
    f->length = 1;
    f->version = 4;
    f->checksum = mp_checksum(f, sizeof(*f));
    return 0;
}
