/* The first 24 Fibonacci numbers, 0 .. 28657 (all fit in 16 bits), one a line,
 * then hlt. */
#include "print.inc"

#define COUNT 24

	.code16
	.text
	.globl	_start
_start:
	xor	%di, %di		/* DI = F(n), BP = F(n+1) */
	mov	$1, %bp
	mov	$COUNT, %cx
.Lnext:
	mov	%di, %bx
	hc	HC_PUTNUM
	hc_newline
	mov	%di, %ax		/* (F(n), F(n+1)) <- (F(n+1), F(n) + F(n+1)) */
	add	%bp, %ax		/* the last sum, F(25), wraps: never printed */
	mov	%bp, %di
	mov	%ax, %bp
	loop	.Lnext
	hlt
