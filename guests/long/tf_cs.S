/* Triple fault from a bad CS descriptor after lgdt: every exception has a gate, but
 * the new GDT's entry 0x10 (the code selector in use, and the gates' selector) is a
 * data segment. CS keeps working until something loads it: the ud2's #UD delivery
 * does, and faults (#GP), and so does #GP's and #DF's: shutdown. */
#include "idt64.inc"

	.code64
	.text
	.globl	_start, fault_insn
_start:
	lea	stack_top(%rip), %rsp
	.irp	v, 6, 8, 10, 11, 12, 13, 14
	set_gate \v, handler
	.endr
	lidt	idt_desc(%rip)
	lgdt	gdt_desc(%rip)
fault_insn:
	ud2
handler:
	hlt
	jmp	handler

	.section .rodata
	.balign	8
gdt:	.quad	0
	.quad	0
	.quad	0x00cf93000000ffff	/* 0x10: data, where the code segment should be */
	.quad	0x00cf93000000ffff	/* 0x18: data */
gdt_desc:
	.word	4 * 8 - 1
	.quad	gdt

	DEFINE_IDT
	.bss
	.skip	4096
stack_top:
