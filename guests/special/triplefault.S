/* A triple fault in real mode. The IDT (the IVT, in real mode) gets limit 0, so on
 * a textbook CPU the #UD from ud2 cannot be delivered: #GP, then #DF, then
 * shutdown. Its base lies far outside guest RAM as well, because the development
 * hosts deliver real-mode interrupts through KVM's instruction emulator, which
 * ignores the IDTR limit (a zero-limit IVT at 0 just sends #UD to 0000:0000); there
 * the IVT read itself fails and KVM raises the triple fault. (int3 instead of ud2
 * spins inside KVM on those hosts without ever exiting: the emulated int3 retries.)
 * The VMM reports the triple fault with the faulting rip and exits with status
 * 125. ud2 is the instruction after the 6-byte lidtl at 0x7c00, at 0x7c06
 * (fault_insn); tests/run/guests.sh asserts that address. Runs alone: segment 0. */
#define IVT_NOWHERE	0xfff00000	/* no RAM here: guest memory is a few MiB */

	.code16
	.text
	.globl	_start, fault_insn
_start:
	lidtl	idt_null		/* 32-bit form: all 32 bits of the base */
fault_insn:
	ud2
	hlt				/* not reached */

	.section .rodata
idt_null:
	.word	0			/* limit 0 */
	.long	IVT_NOWHERE
