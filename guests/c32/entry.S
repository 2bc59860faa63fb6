/* The entry of the C kernel k32.elf, the way small 32-bit kernels start theirs
 * (no multiboot header: mini-kvm loads the ELF32 by its program headers and enters
 * _start in flat 32-bit protected mode, interrupts off). The kernel brings its own
 * stack, clears EBP so that a backtrace ends here, calls kmain() and hands its
 * return value to the debug-exit port 0xf4 as the exit status. */
	.section .text.entry, "ax"
	.code32
	.globl	_start
	.type	_start, @function
_start:
	mov	$stack_top, %esp
	xor	%ebp, %ebp
	call	kmain
	out	%al, $0xf4		/* status = kmain's return value */
1:	hlt
	jmp	1b
	.size	_start, . - _start

	.bss
	.balign	16
stack:	.skip	16384
stack_top:

	.section .note.GNU-stack, "", @progbits
