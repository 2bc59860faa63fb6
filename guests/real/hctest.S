/* Every output hypercall once, then one getchar, then the exit hypercall.
 * Expected with stdin at EOF (/dev/null):
 *   hctest: putchar ok
 *   putnum: 0 7 65535
 *   getchar: none
 * and status 0. */
#include "print.inc"

	.code16
	.text
	.globl	_start
_start:
	print	hc_puts, "hctest: putchar ok"
	hc_newline

	print	hc_puts, "putnum:"
	hc_putc	' '
	mov	$0, %ebx
	hc	HC_PUTNUM
	hc_putc	' '
	mov	$7, %ebx
	hc	HC_PUTNUM
	hc_putc	' '
	/* The upper half of EBX is set on purpose: in real mode the argument is
	 * BX alone, so this must print 65535, not 4294967295. */
	mov	$0xffffffff, %ebx
	hc	HC_PUTNUM
	hc_newline

	print	hc_puts, "getchar: "
	hc	HC_GETCHAR
	cmp	$0xffff, %ax		/* all-ones in AX: no byte */
	je	.Lnone
	movzbl	%al, %ebx
	hc	HC_PUTCHAR
	jmp	.Lgot
.Lnone:
	print	hc_puts, "none"
.Lgot:
	hc_newline
	hc_exit	0
	hlt				/* not reached: the exit hypercall ends the VMM */

	DEFINE_HC_PUTS hc_puts
