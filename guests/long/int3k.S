/* A kernel that uses int3 itself: its #BP handler counts and returns. Under gdb
 * (or not) the guest's own int3 must reach that handler as on hardware, while
 * gdb's breakpoints elsewhere still stop. Prints "bp handled 2", exits 0. */
#include "print.inc"
#include "idt64.inc"

	.code64
	.text
	.globl	_start, after_int3, done, bp_handler, count
_start:
	lea	stack_top(%rip), %rsp
	set_gate 3, bp_handler
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

	DEFINE_IDT
	.bss
count:	.quad	0
	.skip	4096
stack_top:
