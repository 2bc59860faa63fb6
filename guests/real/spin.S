/* Spins forever: the target of Ctrl-C tests. */
	.code16
	.text
	.globl	_start, spin
_start:	xor	%ax, %ax
spin:	inc	%ax
	jmp	spin
