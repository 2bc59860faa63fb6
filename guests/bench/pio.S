/* Port-I/O exit rate: PIO_COUNT putchar hypercalls ('.' each), one VM exit apiece,
 * then status 0 through the debug-exit port. Ring-0 code is emulated on the
 * development hosts (about a microsecond an instruction), so the loop is unrolled
 * to two instructions per exit: AL is reloaded every time because the hypercall
 * ABI lets the VMM rewrite AX.
 * tests/bench/run.sh reads PIO_COUNT from the #define line: keep it a plain number. */
#include "hypercall.inc"

#define PIO_COUNT 200000
#define UNROLL    100

	.code16
	.text
	.globl	_start
_start:
	mov	$(PIO_COUNT / UNROLL), %ecx
	mov	$'.', %ebx
	mov	$HC_PORT, %dx
.Lloop:
	.rept	UNROLL
	mov	$HC_PUTCHAR, %al
	out	%al, %dx
	.endr
	dec	%ecx
	jnz	.Lloop
	port_exit 0
	hlt				/* not reached */

	.if	PIO_COUNT % UNROLL
	.error	"PIO_COUNT must be a multiple of UNROLL"
	.endif
