/* A divide error with no handler of the guest's own: it reaches the BIOS's vector
 * 00h, which would return to the faulting div for ever; the VMM ends the guest
 * with a message naming CS:IP (fault_insn) and status 126. */
	.code16
	.section .text.entry
	.globl _start, fault_insn
_start:
	xor	%ax, %ax
	xor	%bl, %bl
fault_insn:
	div	%bl
	hlt

	.org	510
	.word	0xaa55
