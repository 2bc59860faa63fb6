/* Unknown MMIO from long mode: a read above RAM must see zeros and a write must
 * vanish, each counted under its address in the --trace-exits summary. A guest
 * running alone gets the VMM's page tables for the whole first 4 GiB, so
 * MMIO_ADDR is mapped, with no RAM behind it. Expected stdout "0 0\n" (a 32-bit then a 64-bit read, each
 * into an all-ones register), status 0 through hlt; the summary says
 * "unknown MMIO 0xd0000000 accessed 3 times". */
#include "hypercall.inc"

#define MMIO_ADDR	0xd0000000

	.code64
	.text
	.globl	_start
_start:
	mov	$MMIO_ADDR, %ecx
	mov	$-1, %rbx
	mov	(%rcx), %ebx		/* 32-bit read: also clears the upper half */
	hc	HC_PUTNUM
	hc_putc	' '
	mov	$MMIO_ADDR, %ecx
	mov	$-1, %rbx
	mov	(%rcx), %rbx
	hc	HC_PUTNUM
	hc_newline
	mov	$MMIO_ADDR, %ecx
	movl	$0x12345678, (%rcx)
	hlt
