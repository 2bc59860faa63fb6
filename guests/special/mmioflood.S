/* Floods an MMIO address with writes forever. 64-bit code in a flat image: run it
 * with `--mode long` (entered at 0x7c00 in long mode on the VMM's page tables).
 * Those tables map the first 4 GiB for a guest running alone; no RAM lies at
 * MMIO_ADDR, so each write is an MMIO exit. Only
 * --timeout (or a signal) ends it. */
#define MMIO_ADDR	0xd0000000

	.code64
	.text
	.globl	_start
_start:
	mov	$MMIO_ADDR, %ecx
flood:	movl	%eax, (%rcx)
	jmp	flood
