/* The multiboot header and entry of the C kernel (kmain.c): GRUB's boot.S from
 * the tutorials. The loader enters at _start in 32-bit protected mode with
 * EAX = the bootloader magic and EBX = the info structure. */
#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0x3			/* page-aligned modules, memory info */

	.section .multiboot, "a"
	.balign	4
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)

	.text
	.globl	_start
_start:
	mov	$stack_top, %esp
	push	%ebx			/* the info structure */
	push	%eax			/* the magic */
	call	kmain
	/* kmain returns the exit status */
	out	%al, $0xf4
1:	hlt
	jmp	1b

	.bss
	.balign	16
	.skip	16384
stack_top:

	.section .note.GNU-stack, "", @progbits
