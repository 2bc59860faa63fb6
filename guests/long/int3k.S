/* A kernel that uses int3 itself: its #BP handler counts and returns. Under gdb
 * (or not) the guest's own int3 must reach that handler as on hardware, while
 * gdb's breakpoints elsewhere still stop. Prints "bp handled 2", exits 0. */
#include "print.inc"

#define SEL_KCODE64	0x10
#define GATE_INT	0x8e

	.code64
	.text
	.globl	_start, after_int3, done, bp_handler, count
_start:
	lea	stack_top(%rip), %rsp
	lea	bp_handler(%rip), %rax		/* gate 3 -> bp_handler */
	mov	%eax, %edx
	and	$0xffff, %edx
	mov	%eax, %ecx
	and	$0xffff0000, %ecx
	shl	$32, %rcx
	or	%rcx, %rdx
	movabs	$((GATE_INT << 40) | (SEL_KCODE64 << 16)), %rcx
	or	%rcx, %rdx
	mov	%rdx, idt + 3 * 16(%rip)
	shr	$32, %rax
	mov	%eax, idt + 3 * 16 + 8(%rip)
	lidt	idt_desc(%rip)
	int3
after_int3:
	int3
done:
	print	hc_puts, "bp handled "
	mov	count(%rip), %rbx
	hc	HC_PUTNUM
	hc_newline
	hc_exit	0

bp_handler:
	incq	count(%rip)
	iretq

	DEFINE_HC_PUTS hc_puts

	.section .rodata
idt_desc:
	.word	4 * 16 - 1
	.quad	idt

	.bss
	.balign	16
idt:	.skip	4 * 16
count:	.quad	0
	.skip	4096
stack_top:
