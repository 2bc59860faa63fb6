/* The table "2 x 1 = 2" .. "9 x 9 = 81", one product a line, numbers through
 * the putnum hypercall, then hlt. */
#include "print.inc"

	.code16
	.text
	.globl	_start
_start:
	mov	$2, %cx			/* CX: left factor; DI: right factor */
.Lrow:
	mov	$1, %di
.Lcol:
	mov	%cx, %bx
	hc	HC_PUTNUM
	print	hc_puts, " x "
	mov	%di, %bx
	hc	HC_PUTNUM
	print	hc_puts, " = "
	mov	%cx, %ax
	mul	%di			/* DX:AX = CX * DI; DX is scratch anyway */
	mov	%ax, %bx
	hc	HC_PUTNUM
	hc_newline
	inc	%di
	cmp	$9, %di
	jbe	.Lcol
	inc	%cx
	cmp	$9, %cx
	jbe	.Lrow
	hlt

	DEFINE_HC_PUTS hc_puts
