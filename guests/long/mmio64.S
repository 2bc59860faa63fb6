/* Unknown MMIO from long mode: a read above RAM must see zeros and a write must
 * vanish, each counted under its address in the --trace-exits summary. The VMM's
 * page tables map guest RAM only, so the guest maps the 2 MiB page at MMIO_ADDR
 * itself: CR3 -> PML4[0] -> PDPT[3] (the VMM's PD for 3-4 GiB, present but
 * empty) -> PDE 128. Expected stdout "0 0\n" (a 32-bit then a 64-bit read, each
 * into an all-ones register), status 0 through hlt; the summary says
 * "unknown MMIO 0xd0000000 accessed 3 times". */
#include "hypercall.inc"

#define MMIO_ADDR	0xd0000000
#define PDE_LARGE	0x83		/* present, writable, 2 MiB page */

	.code64
	.text
	.globl	_start
_start:
	mov	%cr3, %rax
	and	$-4096, %rax
	mov	(%rax), %rax		/* PML4[0] -> PDPT */
	and	$-4096, %rax
	mov	(3 * 8)(%rax), %rax	/* PDPT[3] -> PD for 3-4 GiB */
	and	$-4096, %rax
	mov	$(MMIO_ADDR | PDE_LARGE), %ecx	/* 32-bit mov: zero-extended */
	mov	%rcx, (((MMIO_ADDR >> 21) & 511) * 8)(%rax)

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
