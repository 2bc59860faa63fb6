/* Triple fault from missing IDT gates: a #PF handler is installed, nothing else.
 * The ud2 raises #UD, whose gate is not present (#NP, or #GP), whose gate is not
 * present either (#DF), which is not present: shutdown. What `vmm` explains at the
 * triple fault (tests/run/forensics.sh). */
#include "idt64.inc"

	.code64
	.text
	.globl	_start, fault_insn
_start:
	lea	stack_top(%rip), %rsp
	set_gate 14, handler
	lidt	idt_desc(%rip)
fault_insn:
	ud2
handler:
	hlt
	jmp	handler

	DEFINE_IDT
	.bss
	.skip	4096
stack_top:
