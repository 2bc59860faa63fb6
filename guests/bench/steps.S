/* The instruction history's cost (tests/bench/history.sh): STEP_LOOPS passes of a
 * three-instruction loop, then status 0 through the debug-exit port. The bench runs
 * it plainly and with --history, and divides the difference by the instruction
 * count. tests/bench/history.sh reads STEP_LOOPS from the #define line. */
#include "hypercall.inc"

#define STEP_LOOPS 20000

	.code16
	.text
	.globl	_start
_start:
	mov	$STEP_LOOPS, %ecx
1:	inc	%ax
	dec	%ecx
	jnz	1b
	port_exit 0
