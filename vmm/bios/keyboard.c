/* int 16h: keys are the console's input bytes (stdin), given the scan code of a US
 * keyboard. A read with no key waits in slices: the vCPU leaves its port exit
 * every KBD_SLICE_MS (the ROM traps again), so gdb, signals and --timeout still
 * reach it. Only that vCPU waits. */
#include <string.h>
#include <time.h>

#include "vmm/bios/bios_priv.h"
#include "vmm/machine.h"
#include "vmm/util.h"

#define KBD_SLICE_MS 50
#define KBD_POLL_MS 2

/* Scan codes of the printable keys, unshifted and shifted, from scan code 02h. */
static const struct {
    uint8_t first;
    const char *plain, *shifted;
} key_rows[] = {
    { 0x02, "1234567890-=", "!@#$%^&*()_+" },
    { 0x10, "qwertyuiop[]", "QWERTYUIOP{}" },
    { 0x1e, "asdfghjkl;'`", "ASDFGHJKL:\"~" },
    { 0x2b, "\\zxcvbnm,./", "|ZXCVBNM<>?" },
};

static const struct {
    uint8_t ascii, scan;
} key_special[] = {
    { '\r', 0x1c }, { '\b', 0x0e }, { '\t', 0x0f }, { 0x1b, 0x01 }, { ' ', 0x39 },
};

/* AX for a byte of input: AH scan code, AL ASCII. */
static uint16_t key_word(int ch)
{
    uint8_t a = (uint8_t)ch;
    if (a == '\n')
        a = '\r'; /* Enter */
    if (a == 0x7f)
        a = '\b'; /* a terminal's Backspace */
    for (size_t i = 0; i < ARRAY_SIZE(key_special); i++)
        if (key_special[i].ascii == a)
            return (uint16_t)(key_special[i].scan << 8 | a);
    for (size_t i = 0; i < ARRAY_SIZE(key_rows); i++) {
        const char *p = strchr(key_rows[i].plain, a);
        if (!p || !a)
            p = strchr(key_rows[i].shifted, a);
        if (p && a) {
            const char *base =
                strchr(key_rows[i].plain, a) ? key_rows[i].plain : key_rows[i].shifted;
            return (uint16_t)((key_rows[i].first + (p - base)) << 8 | a);
        }
    }
    /* Ctrl-A..Ctrl-Z: the letter's key */
    if (a >= 1 && a <= 26)
        return (uint16_t)((key_word('a' + a - 1) & 0xff00) | a);
    return a;
}

void kbd_read(struct bios_call *c)
{
    struct timespec ts = { 0, KBD_POLL_MS * 1000000L };
    int ch = console_getc(&c->m->con);
    for (int waited = 0; ch < 0 && waited < KBD_SLICE_MS; waited += KBD_POLL_MS) {
        if (atomic_load(&c->m->stopping) || atomic_load(&c->v->kicked))
            break;
        nanosleep(&ts, NULL);
        ch = console_getc(&c->m->con);
    }
    if (ch < 0) {
        c->next = BIOS_AGAIN;
        return;
    }
    set_16(&c->r.rax, key_word(ch));
}

void kbd_peek(struct bios_call *c)
{
    int ch = console_peekc(&c->m->con);
    c->zf = ch < 0;
    if (ch >= 0)
        set_16(&c->r.rax, key_word(ch));
}

void kbd_shift_flags(struct bios_call *c)
{
    set_lo(&c->r.rax, 0);
    if (AH(c) == 0x12)
        set_hi(&c->r.rax, 0);
}
