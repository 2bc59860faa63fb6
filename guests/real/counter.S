/* "count: 1" .. "count: 10", one a line, with the putchar, putnum and newline
 * hypercalls, then hlt. */
#include "print.inc"

	.code16
	.text
	.globl	_start
_start:
	mov	$1, %cx			/* CX survives hc_puts and the hypercalls */
.Lline:
	print	hc_puts, "count: "
	mov	%cx, %bx
	hc	HC_PUTNUM
	hc_newline
	inc	%cx
	cmp	$10, %cx
	jbe	.Lline
	hlt

	DEFINE_HC_PUTS hc_puts
