/* 32-bit arithmetic, each result printed with the putnum hypercall (EBX is the
 * argument in protected mode), then the exit hypercall with status 0:
 *   sum 1..1000 = 500500
 *   12345 * 6789 = 83810205
 *   4000000000 / 12345 = 324017 rem 10135
 *   1 << 31 = 2147483648
 *   0xdeadbeef >> 8 = 14593470
 *   4294967295 + 2 = 1
 * Results are computed, not loaded: the loop runs 1000 times (~3000 emulated
 * instructions). */
#include "print.inc"

/* put_num "LABEL", REG: LABEL, then the unsigned decimal of REG.
 * Clobbers EAX, EBX, EDX, ESI, EDI. */
.macro put_num label, reg
	mov	\reg, %edi		/* EDI survives hc_puts */
	print	hc_puts, "\label"
	mov	%edi, %ebx
	hc	HC_PUTNUM
.endm

/* put_line "LABEL", REG: put_num and a newline. */
.macro put_line label, reg
	put_num	"\label", \reg
	hc_newline
.endm

	.code32
	.text
	.globl	_start
_start:
	xor	%eax, %eax
	mov	$1000, %ecx
.Lsum:
	add	%ecx, %eax
	loop	.Lsum
	put_line "sum 1..1000 = ", %eax

	mov	$12345, %eax
	mov	$6789, %ecx
	mul	%ecx
	put_line "12345 * 6789 = ", %eax

	mov	$4000000000, %eax	/* above 2^31: an unsigned division */
	xor	%edx, %edx
	mov	$12345, %ecx
	div	%ecx
	mov	%edx, %ebp		/* the remainder, kept past put_num */
	put_num	"4000000000 / 12345 = ", %eax
	put_line " rem ", %ebp

	mov	$1, %eax
	shl	$31, %eax
	put_line "1 << 31 = ", %eax

	mov	$0xdeadbeef, %eax
	shr	$8, %eax
	put_line "0xdeadbeef >> 8 = ", %eax

	mov	$0xffffffff, %eax
	add	$2, %eax		/* carries out of bit 31 */
	put_line "4294967295 + 2 = ", %eax

	hc_exit	0
	hlt				/* not reached */

	DEFINE_HC_PUTS hc_puts
