/* The smallest guest: one hlt. No output; with no interrupt controller the VMM
 * ends the vCPU on hlt, with status 0. */
	.code16
	.text
	.globl	_start
_start:
	hlt
