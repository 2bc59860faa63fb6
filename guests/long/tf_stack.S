/* Triple fault from an unmapped stack: every exception has a gate, but rsp points
 * to memory no page table maps. A store to an unmapped page raises #PF, whose frame
 * cannot be pushed (#PF again, so #DF), whose frame cannot be pushed either:
 * shutdown. */
#include "idt64.inc"

#define NOWHERE	0x7ff000000000		/* canonical, never mapped here */

	.code64
	.text
	.globl	_start, fault_insn
_start:
	.irp	v, 6, 8, 10, 11, 12, 13, 14
	set_gate \v, handler
	.endr
	lidt	idt_desc(%rip)
	movabs	$NOWHERE, %rsp
	movabs	$NOWHERE + 0x100000, %rdi
fault_insn:
	movq	$1, (%rdi)
handler:
	hlt
	jmp	handler

	DEFINE_IDT
