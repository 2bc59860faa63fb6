/* Exits with status 42 through the debug-exit port, printing nothing. */
#include "hypercall.inc"

	.code16
	.text
	.globl	_start
_start:
	port_exit 42
	hlt				/* not reached */
