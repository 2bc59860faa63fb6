/* int 1Ah: the tick count (18.2 Hz since midnight, from the host clock) and the
 * RTC's time and date (UTC, BCD, as the CMOS clock gives them). */
#include <string.h>
#include <time.h>

#include "vmm/bios/bios_priv.h"
#include "vmm/machine.h"

#define TICKS_PER_DAY 0x1800b0u /* 1573040: the PIT's 1193182 Hz / 65536, a day */

static uint8_t bcd(int v)
{
    return (uint8_t)((v / 10) << 4 | v % 10);
}

uint32_t bios_ticks_now(struct bios *b)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t ns = (uint64_t)(ts.tv_sec % 86400) * 1000000000ull + (uint64_t)ts.tv_nsec;
    int64_t ticks = (int64_t)(ns / 1000 * 1193182 / 65536 / 1000000);
    pthread_mutex_lock(&b->lock);
    ticks += b->tick_adjust;
    pthread_mutex_unlock(&b->lock);
    ticks %= TICKS_PER_DAY;
    return (uint32_t)(ticks < 0 ? ticks + TICKS_PER_DAY : ticks);
}

void bios_tick(struct bios *b)
{
    if (!b->present)
        return;
    uint32_t t = bios_ticks_now(b);
    uint8_t *bda = bios_bda(b->m);
    if (bda)
        memcpy(bda + BDA_TICKS, &t, 4);
}

void rtc_get_ticks(struct bios_call *c)
{
    uint32_t t = bios_ticks_now(c->b);
    set_16(&c->r.rcx, (uint16_t)(t >> 16));
    set_16(&c->r.rdx, (uint16_t)t);
    set_lo(&c->r.rax, 0); /* midnight has not passed since the last read */
    c->cf = false;
}

void rtc_set_ticks(struct bios_call *c)
{
    uint32_t want = (uint32_t)((uint16_t)c->r.rcx << 16 | (uint16_t)c->r.rdx);
    uint32_t now = bios_ticks_now(c->b);
    pthread_mutex_lock(&c->b->lock);
    c->b->tick_adjust += (int64_t)want - (int64_t)now;
    pthread_mutex_unlock(&c->b->lock);
    bios_tick(c->b);
    c->cf = false;
}

static struct tm utc_now(void)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    return tm;
}

void rtc_get_time(struct bios_call *c)
{
    struct tm tm = utc_now();
    set_hi(&c->r.rcx, bcd(tm.tm_hour));
    set_lo(&c->r.rcx, bcd(tm.tm_min));
    set_hi(&c->r.rdx, bcd(tm.tm_sec));
    set_lo(&c->r.rdx, 0); /* no daylight saving */
    c->cf = false;
}

void rtc_get_date(struct bios_call *c)
{
    struct tm tm = utc_now();
    int year = tm.tm_year + 1900;
    set_hi(&c->r.rcx, bcd(year / 100));
    set_lo(&c->r.rcx, bcd(year % 100));
    set_hi(&c->r.rdx, bcd(tm.tm_mon + 1));
    set_lo(&c->r.rdx, bcd(tm.tm_mday));
    c->cf = false;
}

void rtc_set_ignored(struct bios_call *c)
{
    c->cf = false; /* the host's clock is the clock */
}
