#include "vmm/devices/cmos.h"

#include <string.h>
#include <time.h>

#include "vmm/pio.h"

enum {
    RTC_SEC = 0x00,
    RTC_MIN = 0x02,
    RTC_HOUR = 0x04,
    RTC_WDAY = 0x06,
    RTC_MDAY = 0x07,
    RTC_MONTH = 0x08,
    RTC_YEAR = 0x09,
    RTC_STATUS_A = 0x0a,
    RTC_STATUS_B = 0x0b,
    RTC_STATUS_C = 0x0c,
    RTC_STATUS_D = 0x0d,
    CMOS_BASEMEM_LO = 0x15,
    CMOS_BASEMEM_HI = 0x16,
    CMOS_EXTMEM_LO = 0x17,
    CMOS_EXTMEM_HI = 0x18,
    CMOS_EXTMEM2_LO = 0x30,
    CMOS_EXTMEM2_HI = 0x31,
    CMOS_HIGHMEM_LO = 0x34,
    CMOS_HIGHMEM_HI = 0x35,
    CMOS_CENTURY = 0x32,
};
#define STATUS_A_DIVIDER 0x26 /* 32.768 kHz base, 1024 Hz rate; UIP (bit 7) clear */
#define STATUS_B_24H 0x02     /* 24-hour, BCD (bit 2 clear), no interrupts */
#define STATUS_D_VRT 0x80     /* battery good */
#define NMI_DISABLE 0x80      /* bit 7 of the index masks NMI, not part of it */

static uint8_t bcd(int v)
{
    return (uint8_t)(((v / 10) << 4) | (v % 10));
}

int cmos_init(struct cmos *c, uint64_t mem_size)
{
    memset(c, 0, sizeof(*c));
    c->ram[RTC_STATUS_A] = STATUS_A_DIVIDER;
    c->ram[RTC_STATUS_B] = STATUS_B_24H;
    c->ram[RTC_STATUS_D] = STATUS_D_VRT;
    c->ram[CMOS_BASEMEM_LO] = 640 & 0xff;
    c->ram[CMOS_BASEMEM_HI] = 640 >> 8;
    /* KiB between 1 MiB and 64 MiB, then 64 KiB units above 16 MiB, as BIOSes do */
    uint64_t ext_k = mem_size > (1u << 20) ? (mem_size - (1u << 20)) >> 10 : 0;
    if (ext_k > 0xfc00)
        ext_k = 0xfc00;
    c->ram[CMOS_EXTMEM_LO] = c->ram[CMOS_EXTMEM2_LO] = (uint8_t)ext_k;
    c->ram[CMOS_EXTMEM_HI] = c->ram[CMOS_EXTMEM2_HI] = (uint8_t)(ext_k >> 8);
    uint64_t high = mem_size > (16u << 20) ? (mem_size - (16u << 20)) >> 16 : 0;
    if (high > 0xffff)
        high = 0xffff;
    c->ram[CMOS_HIGHMEM_LO] = (uint8_t)high;
    c->ram[CMOS_HIGHMEM_HI] = (uint8_t)(high >> 8);
    return -pthread_mutex_init(&c->lock, NULL);
}

void cmos_destroy(struct cmos *c)
{
    pthread_mutex_destroy(&c->lock);
}

/* The clock registers read the host's time at the moment of the read. */
static uint8_t cmos_read(struct cmos *c, uint8_t reg)
{
    time_t now = time(NULL);
    struct tm tm;
    if (reg <= RTC_YEAR || reg == CMOS_CENTURY) {
        if (!gmtime_r(&now, &tm))
            memset(&tm, 0, sizeof(tm));
        switch (reg) {
        case RTC_SEC: return bcd(tm.tm_sec);
        case RTC_MIN: return bcd(tm.tm_min);
        case RTC_HOUR: return bcd(tm.tm_hour);
        case RTC_WDAY: return bcd(tm.tm_wday + 1);
        case RTC_MDAY: return bcd(tm.tm_mday);
        case RTC_MONTH: return bcd(tm.tm_mon + 1);
        case RTC_YEAR: return bcd(tm.tm_year % 100);
        case CMOS_CENTURY: return bcd(19 + tm.tm_year / 100);
        default: return c->ram[reg]; /* the alarm registers */
        }
    }
    if (reg == RTC_STATUS_C)
        return 0; /* no interrupt flags: reading clears them */
    return c->ram[reg];
}

int cmos_io(void *owner, struct io_req *req)
{
    struct cmos *c = owner;
    pthread_mutex_lock(&c->lock);
    if (req->addr == CMOS_BASE) {
        if (req->write)
            c->index = req->data[0] & ~NMI_DISABLE & 0x7f;
        else
            req->data[0] = 0xff; /* the index port is write-only */
    } else if (req->write) {
        /* the clock's format (BCD, 24-hour) and registers stay fixed whatever is written */
        if (c->index > RTC_STATUS_D)
            c->ram[c->index] = req->data[0];
    } else {
        req->data[0] = cmos_read(c, c->index);
    }
    for (unsigned i = 1; i < req->size; i++)
        if (!req->write)
            req->data[i] = 0xff;
    pthread_mutex_unlock(&c->lock);
    return 0;
}
