/* Page walk: hand-built tables for every paging mode in a fake guest RAM; page sizes,
 * offsets, permission accumulation, the level where a walk stops, non-canonical
 * addresses and tables that point outside RAM. */
#include "tests/unit/check.h"
#include "vmm/x86/pagewalk.h"

#include <errno.h>
#include <stdlib.h>

#include "vmm/util.h"
#include "vmm/x86/bits.h"

#define RAM_SIZE (2u << 20)

/* short names for the entry bits, to keep the hand-built tables readable */
#define P PTE_P
#define RW PTE_RW
#define US PTE_US
#define PS PTE_PS
#define XD PTE_XD

struct fake_ram {
    uint8_t *mem;
    size_t size;
    int reads;
};

static int ram_read(void *arg, uint64_t pa, void *buf, size_t len)
{
    struct fake_ram *r = arg;
    r->reads++;
    if (pa > r->size || len > r->size - pa)
        return -EFAULT;
    memcpy(buf, r->mem + pa, len);
    return 0;
}

static void put32(struct fake_ram *r, uint64_t pa, uint32_t v)
{
    if (pa + 4 > r->size)
        abort(); /* a bug in the test */
    memcpy(r->mem + pa, &v, 4);
}

static void put64(struct fake_ram *r, uint64_t pa, uint64_t v)
{
    if (pa + 8 > r->size)
        abort();
    memcpy(r->mem + pa, &v, 8);
}

static int walk(struct fake_ram *r, const struct pw_cpu *c, uint64_t linear, struct pw_result *res)
{
    return pagewalk(c, linear, ram_read, r, res);
}

static void test_paging_off(struct fake_ram *r)
{
    struct pw_cpu c = { .cr0 = CR0_PE, .cr3 = 0x1000 };
    struct pw_result res;
    CHECK_INT("off rc", walk(r, &c, 0x12345, &res), 0);
    CHECK_INT("off phys", res.phys, 0x12345);
    CHECK_INT("off kind", res.kind, PW_NONE);
    CHECK_INT("off nlevels", res.nlevels, 0);
    CHECK_INT("off page size", res.page_size, 0);
    CHECK_STR("off name", pw_kind_name(res.kind), "paging off");
}

/* 32-bit: PD at 0x1000, PT at 0x2000. */
static void test_32bit(struct fake_ram *r)
{
    struct pw_cpu c = { .cr0 = CR0_PE | CR0_PG, .cr3 = 0x1000 | 0x18 /* PWT|PCD */ };
    struct pw_result res;
    put32(r, 0x1000 + 1 * 4, 0x2000 | P | RW | US);
    put32(r, 0x2000 + 3 * 4, 0x567000 | P | RW | US);
    CHECK_INT("32 4k rc", walk(r, &c, 0x00403abc, &res), 0);
    CHECK_INT("32 4k phys", res.phys, 0x567abc);
    CHECK_INT("32 4k size", res.page_size, 4096);
    CHECK_INT("32 4k kind", res.kind, PW_32BIT);
    CHECK_INT("32 4k nlevels", res.nlevels, 2);
    CHECK_INT("32 4k lv0 level", res.lv[0].level, 2);
    CHECK_INT("32 4k lv0 pa", res.lv[0].entry_pa, 0x1004);
    CHECK_INT("32 4k lv0 entry", res.lv[0].entry, 0x2007);
    CHECK_INT("32 4k lv1 level", res.lv[1].level, 1);
    CHECK_INT("32 4k lv1 pa", res.lv[1].entry_pa, 0x200c);
    CHECK("32 4k writable user", res.writable && res.user && !res.nx);

    /* A supervisor-only, read-only PDE for a 4 MiB page; with PSE-36 high bits. */
    put32(r, 0x1000 + 2 * 4, 0x00c00000 | P | PS);
    put32(r, 0x1000 + 5 * 4, 0x01400000 | (0x3u << 13) | P | RW | US | PS);
    c.cr4 = CR4_PSE;
    CHECK_INT("32 4m rc", walk(r, &c, 0x00812345, &res), 0);
    CHECK_INT("32 4m phys", res.phys, 0xc12345);
    CHECK_INT("32 4m size", res.page_size, 4u << 20);
    CHECK_INT("32 4m nlevels", res.nlevels, 1);
    CHECK("32 4m not user", !res.user && !res.writable);
    CHECK_INT("32 4m pse36 rc", walk(r, &c, 0x017fffff, &res), 0);
    CHECK_INT("32 4m pse36 phys", res.phys, 0x3017fffffull);
    /* The 4 KiB path still works with PSE on. */
    CHECK_INT("32 4k with pse", walk(r, &c, 0x00403abc, &res), 0);
    CHECK_INT("32 4k with pse phys", res.phys, 0x567abc);

    /* Without CR4.PSE the PS bit is ignored: the PDE points at a "table" at
     * 0xc00000, outside the fake RAM. */
    c.cr4 = 0;
    CHECK_INT("32 no pse rc", walk(r, &c, 0x00812345, &res), -EFAULT);
    CHECK_INT("32 no pse nlevels", res.nlevels, 1);

    CHECK_INT("32 pde absent rc", walk(r, &c, 0x00c00000, &res), -EFAULT);
    CHECK_INT("32 pde absent nlevels", res.nlevels, 1);
    CHECK_INT("32 pde absent level", res.lv[0].level, 2);
    CHECK_INT("32 pte absent rc", walk(r, &c, 0x00404000, &res), -EFAULT);
    CHECK_INT("32 pte absent nlevels", res.nlevels, 2);
    CHECK_INT("32 pte absent level", res.lv[1].level, 1);
    CHECK_INT("32 above 4G", walk(r, &c, 0x100000000ull, &res), -EINVAL);
}

/* PAE: PDPT at 0x3020 (32-byte aligned, not page aligned), PD 0x4000, PT 0x5000. */
static void test_pae(struct fake_ram *r)
{
    struct pw_cpu c = { .cr0 = CR0_PE | CR0_PG, .cr3 = 0x3020, .cr4 = CR4_PAE, .efer = EFER_NXE };
    struct pw_result res;
    put64(r, 0x3020 + 1 * 8, 0x4000 | P); /* PDPTEs have no RW/US */
    put64(r, 0x4000 + 1 * 8, 0x5000 | P | RW | US);
    put64(r, 0x5000 + 1 * 8, 0x123456000ull | P | RW | US | XD);
    put64(r, 0x4000 + 2 * 8, 0x00a00000 | 0x1000 /* PAT */ | P | RW | US | PS);
    CHECK_INT("pae 4k rc", walk(r, &c, 0x40201abc, &res), 0);
    CHECK_INT("pae 4k phys", res.phys, 0x123456abcull);
    CHECK_INT("pae 4k kind", res.kind, PW_PAE);
    CHECK_INT("pae 4k nlevels", res.nlevels, 3);
    CHECK_INT("pae 4k lv0 level", res.lv[0].level, 3);
    CHECK_INT("pae 4k lv0 pa", res.lv[0].entry_pa, 0x3028);
    CHECK_INT("pae 4k lv2 pa", res.lv[2].entry_pa, 0x5008);
    CHECK("pae 4k perms (PDPTE has no RW/US)", res.writable && res.user && res.nx);
    CHECK_INT("pae 2m rc", walk(r, &c, 0x40412345, &res), 0);
    CHECK_INT("pae 2m phys (PAT bit not in address)", res.phys, 0xa12345);
    CHECK_INT("pae 2m size", res.page_size, 2u << 20);
    CHECK_INT("pae 2m nlevels", res.nlevels, 2);
    CHECK("pae 2m not nx", !res.nx);
    CHECK_INT("pae pdpte absent", walk(r, &c, 0x80000000, &res), -EFAULT);
    CHECK_INT("pae pdpte absent nlevels", res.nlevels, 1);
    CHECK_INT("pae pde absent", walk(r, &c, 0x40600000, &res), -EFAULT);
    CHECK_INT("pae pde absent nlevels", res.nlevels, 2);
    CHECK_INT("pae pte absent", walk(r, &c, 0x40202000, &res), -EFAULT);
    CHECK_INT("pae pte absent nlevels", res.nlevels, 3);
    CHECK_STR("pae name", pw_kind_name(res.kind), "PAE");
}

/* 4-level: PML4 0x10000, PDPT 0x11000, PD 0x12000, PT 0x13000; a second PDPT at
 * 0x14000 for the higher half. PML4[0xff] -> PDPT. */
#define LA(l4, l3, l2, l1, off) \
    (((uint64_t)(l4) << 39) | ((uint64_t)(l3) << 30) | ((uint64_t)(l2) << 21) | \
     ((uint64_t)(l1) << 12) | (uint64_t)(off))
#define HIGH(a) ((a) | 0xffff000000000000ull)

static void build_4level(struct fake_ram *r)
{
    put64(r, 0x10000 + 0xff * 8, 0x11000 | P | RW | US);
    put64(r, 0x11000 + 1 * 8, 0x12000 | P | RW | US);
    put64(r, 0x12000 + 1 * 8, 0x13000 | P | RW | US);
    put64(r, 0x13000 + 1 * 8, 0x7654321000ull | P | RW | US);
    put64(r, 0x12000 + 2 * 8, 0x400000000ull | P | RW | US | PS);  /* 2M */
    put64(r, 0x11000 + 2 * 8, 0x8000000000ull | P | RW | US | PS); /* 1G */
    /* Permission mix: PD[3] supervisor-only, PT[2] read-only and XD. */
    put64(r, 0x12000 + 3 * 8, 0x15000 | P | RW);
    put64(r, 0x15000 + 0 * 8, 0x200000 | P | RW | US);
    put64(r, 0x13000 + 2 * 8, 0x201000 | P | US | XD);
    /* XD on the PDPTE only: every page below inherits it. */
    put64(r, 0x11000 + 4 * 8, 0x12000 | P | RW | US | XD);
    /* Higher half: PML4[256] -> PDPT 0x14000 -> PDPT[0] 1G page at 0. */
    put64(r, 0x10000 + 256 * 8, 0x14000 | P | RW);
    put64(r, 0x14000, 0 | P | RW | PS);
    /* A PD entry pointing to a table beyond RAM. */
    put64(r, 0x12000 + 5 * 8, 0x7ffff000ull | P | RW | US);
}

static void test_4level(struct fake_ram *r)
{
    struct pw_cpu c = { .cr0 = CR0_PE | CR0_PG,
                        .cr3 = 0x10000,
                        .cr4 = CR4_PAE,
                        .efer = EFER_LME | EFER_LMA | EFER_NXE };
    struct pw_result res;
    build_4level(r);

    CHECK_INT("4l 4k rc", walk(r, &c, LA(0xff, 1, 1, 1, 0xabc), &res), 0);
    CHECK_INT("4l 4k phys", res.phys, 0x7654321abcull);
    CHECK_INT("4l 4k size", res.page_size, 4096);
    CHECK_INT("4l 4k kind", res.kind, PW_4LEVEL);
    CHECK_INT("4l 4k nlevels", res.nlevels, 4);
    CHECK_INT("4l 4k lv0 level", res.lv[0].level, 4);
    CHECK_INT("4l 4k lv0 pa", res.lv[0].entry_pa, 0x10000 + 0xff * 8);
    CHECK_INT("4l 4k lv1 level", res.lv[1].level, 3);
    CHECK_INT("4l 4k lv3 level", res.lv[3].level, 1);
    CHECK_INT("4l 4k lv3 entry", res.lv[3].entry, 0x7654321000ull | P | RW | US);
    CHECK("4l 4k perms", res.writable && res.user && !res.nx);

    CHECK_INT("4l 2m rc", walk(r, &c, LA(0xff, 1, 2, 0x12, 0x345), &res), 0);
    CHECK_INT("4l 2m phys", res.phys, 0x400012345ull);
    CHECK_INT("4l 2m size", res.page_size, 2u << 20);
    CHECK_INT("4l 2m nlevels", res.nlevels, 3);

    CHECK_INT("4l 1g rc", walk(r, &c, LA(0xff, 2, 0x11, 0x23, 0x456), &res), 0);
    CHECK_INT("4l 1g phys", res.phys, 0x8000000000ull + LA(0, 0, 0x11, 0x23, 0x456));
    CHECK_INT("4l 1g size", res.page_size, 1u << 30);
    CHECK_INT("4l 1g nlevels", res.nlevels, 2);

    CHECK_INT("4l supervisor pde rc", walk(r, &c, LA(0xff, 1, 3, 0, 0x10), &res), 0);
    CHECK_INT("4l supervisor pde phys", res.phys, 0x200010);
    CHECK("4l supervisor pde -> not user", !res.user && res.writable && !res.nx);
    CHECK_INT("4l ro xd pte rc", walk(r, &c, LA(0xff, 1, 1, 2, 0), &res), 0);
    CHECK("4l ro xd pte", !res.writable && res.user && res.nx);
    CHECK_INT("4l xd pdpte rc", walk(r, &c, LA(0xff, 4, 1, 1, 0), &res), 0);
    CHECK("4l xd pdpte -> nx", res.nx && res.writable && res.user);
    c.efer &= ~EFER_NXE;
    CHECK_INT("4l no nxe rc", walk(r, &c, LA(0xff, 4, 1, 1, 0), &res), 0);
    CHECK("4l no nxe -> not nx", !res.nx);
    c.efer |= EFER_NXE;

    CHECK_INT("4l high rc", walk(r, &c, HIGH(LA(256, 0, 3, 4, 5)), &res), 0);
    CHECK_INT("4l high phys", res.phys, LA(0, 0, 3, 4, 5));
    CHECK("4l high supervisor", !res.user && res.writable);

    static const struct {
        const char *name;
        uint64_t la;
        int nlevels;
    } absent[] = {
        { "4l pml4e absent", LA(0x1, 0, 0, 0, 0), 1 },
        { "4l pdpte absent", LA(0xff, 0, 0, 0, 0), 2 },
        { "4l pde absent", LA(0xff, 1, 0, 0, 0), 3 },
        { "4l pte absent", LA(0xff, 1, 1, 0, 0), 4 },
    };
    for (size_t i = 0; i < ARRAY_SIZE(absent); i++) {
        char name[64];
        CHECK_INT(absent[i].name, walk(r, &c, absent[i].la, &res), -EFAULT);
        snprintf(name, sizeof(name), "%s nlevels", absent[i].name);
        CHECK_INT(name, res.nlevels, absent[i].nlevels);
        snprintf(name, sizeof(name), "%s level", absent[i].name);
        CHECK_INT(name, res.lv[res.nlevels - 1].level, 5 - absent[i].nlevels);
        snprintf(name, sizeof(name), "%s entry recorded", absent[i].name);
        CHECK_INT(name, res.lv[res.nlevels - 1].entry & P, 0);
    }

    CHECK_INT("4l non-canonical", walk(r, &c, 0x0000800000000000ull, &res), -EINVAL);
    CHECK_INT("4l non-canonical high", walk(r, &c, 0xfff0000000000000ull, &res), -EINVAL);
    CHECK_INT("4l top canonical", walk(r, &c, 0xffff800000000000ull, &res), 0);

    int before = r->reads;
    CHECK_INT("4l table outside ram", walk(r, &c, LA(0xff, 1, 5, 0, 0), &res), -EFAULT);
    CHECK_INT("4l table outside ram nlevels", res.nlevels, 3);
    CHECK_INT("4l table outside ram reads", r->reads - before, 4);
    c.cr3 = 0x40000000;
    CHECK_INT("4l cr3 outside ram", walk(r, &c, 0, &res), -EFAULT);
    CHECK_INT("4l cr3 outside ram nlevels", res.nlevels, 0);
    c.cr3 = 0xfffffffffffff000ull; /* masked to bits 51:12: still far outside */
    CHECK_INT("4l cr3 huge", walk(r, &c, 0, &res), -EFAULT);
    CHECK_STR("4l name", pw_kind_name(PW_4LEVEL), "4-level");
}

/* 5-level: PML5 at 0x20000; PML5[1] -> the 4-level PML4 above. */
static void test_5level(struct fake_ram *r)
{
    struct pw_cpu c = { .cr0 = CR0_PE | CR0_PG,
                        .cr3 = 0x20000,
                        .cr4 = CR4_PAE | CR4_LA57,
                        .efer = EFER_LME | EFER_LMA };
    struct pw_result res;
    put64(r, 0x20000 + 1 * 8, 0x10000 | P | RW | US);
    uint64_t la = (1ull << 48) | LA(0xff, 1, 1, 1, 0x77);
    CHECK_INT("5l rc", walk(r, &c, la, &res), 0);
    CHECK_INT("5l phys", res.phys, 0x7654321077ull);
    CHECK_INT("5l kind", res.kind, PW_5LEVEL);
    CHECK_INT("5l nlevels", res.nlevels, 5);
    CHECK_INT("5l lv0 level", res.lv[0].level, 5);
    CHECK_INT("5l lv0 pa", res.lv[0].entry_pa, 0x20008);
    CHECK_INT("5l 2m", walk(r, &c, (1ull << 48) | LA(0xff, 1, 2, 0, 1), &res), 0);
    CHECK_INT("5l 2m phys", res.phys, 0x400000001ull);
    /* A 48-bit non-canonical address is fine with 57 bits; bit 57 is not. */
    CHECK_INT("5l pml5e absent", walk(r, &c, 0x0000800000000000ull, &res), -EFAULT);
    CHECK_INT("5l pml5e absent nlevels", res.nlevels, 1);
    CHECK_INT("5l pml5e absent level", res.lv[0].level, 5);
    CHECK_INT("5l non-canonical", walk(r, &c, 0x0100000000000000ull, &res), -EINVAL);
    CHECK_INT("5l canonical high", walk(r, &c, 0xff00000000000000ull, &res), -EFAULT);
    CHECK_STR("5l name", pw_kind_name(PW_5LEVEL), "5-level");
    CHECK_STR("32 name", pw_kind_name(PW_32BIT), "32-bit");
}

int main(void)
{
    struct fake_ram r = { .mem = calloc(1, RAM_SIZE), .size = RAM_SIZE };
    if (!r.mem)
        return 1;
    test_paging_off(&r);
    test_32bit(&r);
    test_pae(&r);
    test_4level(&r);
    test_5level(&r);
    free(r.mem);
    return CHECK_DONE();
}
