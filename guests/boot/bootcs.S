/* A boot sector the way tutorials write one: the first instruction is a far jump
 * to 07C0:start, which normalises CS:IP (some BIOSes enter at 07C0:0000, others at
 * 0000:7C00), so from `start` on CS = DS = 07C0 and IP is a small offset. There is
 * no BIOS under mini-kvm, so the message goes to COM1 instead of int 0x10; the
 * status (5) leaves through the debug-exit port 0xf4. Labels after the jump are
 * used as offsets from _start (OFF), their linear address is 0x7c00 + offset:
 * the ELF32 twin build/guests/boot/bootcs.sym.elf lets gdb `break start`. */
#include "uart.inc"

#define BOOTSEG		0x07c0
#define OFF(x)		((x) - _start)
#define EXIT_PORT	0xf4
#define STATUS		5

	.code16
	.text
	.globl	_start, start, print, next_char, done, msg
_start:
	ljmp	$BOOTSEG, $OFF(start)
start:
	mov	%cs, %ax		/* 07C0 */
	mov	%ax, %ds
	mov	%ax, %es
	cld
	mov	$OFF(msg), %si
	call	print
done:
	mov	$STATUS, %al
	out	%al, $EXIT_PORT
	hlt

/* print: the NUL-terminated string at DS:SI to COM1. */
print:
next_char:
	lodsb
	test	%al, %al
	jz	1f
	uart_putc_al
	jmp	next_char
1:	ret

msg:	.asciz	"Booted at 07C0:start\n"

	.org	510
	.word	0xaa55			/* the boot signature */
