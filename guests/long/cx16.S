/* cmpxchg16b in ring 0: an instruction some hosts' ring-0 emulators lack (docs/host-probe.md).
 * Where it runs: prints "cx16 ok", exit 0. Where it does not: the VMM reports an
 * emulation failure at emu_insn (under gdb: a SIGILL stop there). */
#include "print.inc"

	.code64
	.text
	.globl	_start, emu_insn
_start:
	xor	%eax, %eax
	xor	%edx, %edx
	xor	%ebx, %ebx
	xor	%ecx, %ecx
	lea	slot(%rip), %rdi
emu_insn:
	cmpxchg16b (%rdi)
	print	hc_puts, "cx16 ok"
	hc_newline
	hc_exit	0

	DEFINE_HC_PUTS hc_puts

	.data
	.balign	16
slot:	.quad	0, 0
