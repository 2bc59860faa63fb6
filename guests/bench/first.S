/* Time to first instruction: the entry instruction itself ends the run through
 * the debug-exit port, so the whole process lifetime is start-up + one exit +
 * teardown. The status is not 0 so that a VMM which merely halted cannot pass. */
#include "hypercall.inc"

#define FIRST_STATUS 42		/* tests/bench/run.sh expects this */

	.code16
	.text
	.globl	_start
_start:
	port_exit FIRST_STATUS
	hlt				/* not reached */
