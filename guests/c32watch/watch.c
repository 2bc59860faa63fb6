/* A 32-bit C kernel for watchpoints beyond the four debug registers
 * (tests/gdb/watchpages.sh, the watch bench): six values of 1, 2, 4 and 8 bytes, one
 * of them straddling a page boundary, written twice each, with unwatched neighbours
 * on the same pages written in between (those writes must land and must not stop),
 * and a store of an unchanged value (no stop). Then a loop for the bench: `bench`
 * rounds, each a write to `hot` and a sweep over `cold` (another page). c32's entry.S starts it and
 * hands kmain's return value, a checksum of everything written, to port 0xf4; a run
 * under gdb must end with the same status as one without. */
#include <stdint.h>

struct __attribute__((packed)) two_pages {
    uint8_t b1; /* offset 0 */
    uint8_t pad;
    uint16_t h2;         /* 2 */
    uint32_t w4;         /* 4 */
    uint64_t q8;         /* 8 */
    uint8_t near[4076];  /* 16: neighbours, not watched */
    uint64_t cross;      /* 4092: bytes 4092-4095 on the first page, 4096-4099 on the next */
    uint32_t after;      /* 4100, second page */
    uint8_t far[4092];   /* the rest of the second page */
};

struct two_pages pages __attribute__((aligned(4096)));

volatile int bench = 0; /* rounds of the bench loop; the bench sets it from gdb */
volatile uint32_t hot;
volatile uint32_t cold[256] __attribute__((aligned(4096))); /* not on hot's page */

static uint32_t checksum(const volatile uint8_t *p, uint32_t n)
{
    uint32_t sum = 0;
    for (uint32_t i = 0; i < n; i++) sum = sum * 31 + p[i];
    return sum;
}

int kmain(void)
{
    for (int round = 1; round <= 2; round++) {
        for (int i = 0; i < 4076; i += 97) pages.near[i] = (uint8_t)(i + round); /* WP-NEAR */
        pages.b1 = (uint8_t)round;                                               /* WP-B1 */
        pages.far[100] = (uint8_t)round;                                         /* WP-FAR */
        pages.h2 = (uint16_t)(0x1111 * round);                                   /* WP-H2 */
        pages.w4 = 0x01010101u * round;                                          /* WP-W4 */
        pages.q8 = 0x0101010101010101ull * round;                                /* WP-Q8 */
        pages.cross = 0x0202020202020202ull * round;                             /* WP-CROSS */
        pages.after = 0x03030303u * round;                                       /* WP-AFTER */
        pages.b1 = (uint8_t)round;                                               /* WP-SAME */
    }
    for (int r = 0; r < bench; r++) { /* WP-BENCH */
        hot = (uint32_t)r + 1; /* WP-HOT */
        for (int i = 0; i < 256; i += 8) cold[i] += (uint32_t)r;
    }
    uint32_t sum = checksum((const volatile uint8_t *)&pages, sizeof(pages)) + hot;
    return (int)(sum % 200) + 10; /* WP-RETURN: 10..209, never a VMM status */
}
