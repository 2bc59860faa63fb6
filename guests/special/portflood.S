/* Floods an unknown port (0x1234) with writes and reads forever: every access is a
 * VM exit that the VMM counts. Only --timeout (or a signal) ends it; with
 * --trace-exits the trace must stop at its cap however many exits follow. */
	.code16
	.text
	.globl	_start
_start:
	mov	$0x1234, %dx
flood:	out	%al, %dx
	in	%dx, %al
	jmp	flood
