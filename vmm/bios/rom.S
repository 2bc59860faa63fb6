/* The BIOS ROM: real-mode code copied to F000:ROM_OFF, linear 0xF0000 + ROM_OFF
 * (docs/bios.md). Every interrupt vector that the BIOS serves leads to an 8-byte
 * slot that loads BP with BIOS_SIG | vector and jumps to one trap: `out` to
 * BIOS_PORT, which the VMM answers with the service done in C. The VMM reads the
 * caller's BP, IP, CS and FLAGS from the stack and writes results into registers
 * and the stacked FLAGS (CF, ZF), then sets BP to say what the trap does next:
 * 0 return, BIOS_AGAIN ORed in: trap again (a key is awaited; the vCPU leaves
 * KVM_RUN between tries so gdb and signals are served), BIOS_BOOT: jump to the
 * boot sector the VMM loaded at 0000:7C00. No register but BP is touched here, so
 * the vector is never taken from RIP, whose value at a port exit differs between
 * hosts. The offsets below are fixed by .org so the C side can name them. */
#include "vmm/bios/bios_abi.h"

	.section .rodata.bios, "a"
	.code16
	.globl bios_rom_start, bios_rom_end

bios_rom_start:
/* 256 slots of 8 bytes: slot v at ROM_OFF + 8 * v */
	.set v, 0
	.rept 256
	.org bios_rom_start + 8 * v, 0x90
	push %bp
	mov $(BIOS_SIG | v), %bp
	jmp bios_trap
	.set v, v + 1
	.endr

	.org bios_rom_start + ROM_TRAP_OFF, 0x90
bios_trap:
	outb %al, $BIOS_PORT
	test $BIOS_AGAIN, %bp
	jz 1f
	and $~BIOS_AGAIN, %bp
	jmp bios_trap
1:	test $BIOS_BOOT, %bp
	jnz 2f
	pop %bp
	iret
2:	/* int 19h: the VMM loaded sector 0 and set DL; start it as a PC does */
	add $8, %sp			/* BP, IP, CS, FLAGS: this boot never returns */
	xor %bp, %bp
	ljmp $0, $0x7c00

/* Hardware interrupts (only with --irqchip): acknowledge and return. */
	.org bios_rom_start + ROM_IRQ_MASTER_OFF, 0x90
	push %ax
	mov $0x20, %al
	outb %al, $0x20
	pop %ax
	iret
	.org bios_rom_start + ROM_IRQ_SLAVE_OFF, 0x90
	push %ax
	mov $0x20, %al
	outb %al, $0xa0
	outb %al, $0x20
	pop %ax
	iret
/* Vectors a program may call that do nothing on a PC (1Bh, 1Ch) */
	.org bios_rom_start + ROM_IRET_OFF, 0x90
	iret

/* Power-on: a stack below the boot sector, then int 19h boots the disk. */
	.org bios_rom_start + ROM_POST_OFF, 0x90
	cli
	xor %ax, %ax
	mov %ax, %ss
	mov $0x7c00, %sp
	mov %ax, %ds
	mov %ax, %es
	int $0x19
	hlt

/* The diskette parameter table (int 1Eh points here, as on a PC): 1.44 MB */
	.org bios_rom_start + ROM_FDPT_OFF, 0
	.byte 0xaf, 0x02, 0x25, 0x02, 18, 0x1b, 0xff, 0x6c, 0xf6, 0x0f, 0x08

/* The reset vector at F000:FFF0, the BIOS date and the model byte (AT) */
	.org bios_rom_start + (0x10000 - ROM_OFF) - 16, 0
	ljmp $ROM_SEG, $(ROM_OFF + ROM_POST_OFF)
	.ascii "12/01/26"
	.byte 0, 0xfc, 0
bios_rom_end:

	.section .note.GNU-stack, "", @progbits
