/* The contract between the BIOS ROM (rom.S, real-mode code) and the VMM's side of
 * it (bios.c): where things lie in the F000 segment and what the trap port means.
 * Included from assembly too: macros only. */
#ifndef MINIKVM_BIOS_ABI_H
#define MINIKVM_BIOS_ABI_H

#define ROM_SEG 0xf000
#define ROM_OFF 0xe000 /* the ROM image covers F000:E000-F000:FFFF */
#define ROM_SIZE (0x10000 - ROM_OFF)

/* Offsets from ROM_OFF */
#define ROM_SLOT_SIZE 8
#define ROM_TRAP_OFF 0x800
#define ROM_IRQ_MASTER_OFF 0x840
#define ROM_IRQ_SLAVE_OFF 0x850
#define ROM_IRET_OFF 0x860
#define ROM_POST_OFF 0x870
#define ROM_FDPT_OFF 0xfc7 /* F000:EFC7, where a PC keeps it */

/* `out %al, $BIOS_PORT` with BP = BIOS_SIG | vector; the VMM answers in BP. */
#define BIOS_PORT 0xe5
#define BIOS_SIG 0x8100
#define BIOS_SIG_MASK 0xff00
#define BIOS_AGAIN 0x4000
#define BIOS_BOOT 0x2000

#endif
