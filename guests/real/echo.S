/* Echo: getchar (spinning while it answers all-ones: no byte yet), putchar the
 * byte back, stop after echoing a '\n' and leave through the exit hypercall with
 * status 0. stdin "hello\n" gives stdout "hello\n". At end of input getchar keeps
 * answering all-ones, so input without a newline spins until the caller's timeout. */
#include "hypercall.inc"

	.code16
	.text
	.globl	_start
_start:
	hc	HC_GETCHAR
	cmp	$0xffff, %ax
	je	_start
	movzbl	%al, %ebx		/* BL keeps the byte: hc reuses AL */
	hc	HC_PUTCHAR
	cmp	$'\n', %bl
	jne	_start
	hc_exit	0
	hlt				/* not reached */
