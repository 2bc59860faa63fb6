#include "vmm/bios/e820.h"

#define LOW_END 0x9fc00ull /* a 1 KiB EBDA below 640 KiB */
#define ROM_START 0xf0000ull
#define HIGH 0x100000ull

int e820_build(uint64_t mem, uint64_t top_reserved, struct e820_entry *out)
{
    int n = 0;
    out[n++] = (struct e820_entry){ 0, mem < LOW_END ? mem : LOW_END, E820_RAM };
    if (mem <= LOW_END)
        return n;
    out[n++] = (struct e820_entry){ LOW_END, 0xa0000 - LOW_END, E820_RESERVED };
    out[n++] = (struct e820_entry){ ROM_START, HIGH - ROM_START, E820_RESERVED };
    if (mem <= HIGH)
        return n;
    uint64_t ram_end = mem - top_reserved > HIGH ? mem - top_reserved : HIGH;
    if (ram_end > HIGH)
        out[n++] = (struct e820_entry){ HIGH, ram_end - HIGH, E820_RAM };
    if (ram_end < mem)
        out[n++] = (struct e820_entry){ ram_end, mem - ram_end, E820_RESERVED };
    return n;
}
