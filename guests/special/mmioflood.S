/* Floods an MMIO address with writes forever. 64-bit code in a flat image: run it
 * with `--mode long` (entered at 0x7c00 in long mode on the VMM's page tables).
 * Those tables map guest RAM only, so the guest first maps the 2 MiB page at
 * MMIO_ADDR itself: CR3 -> PML4[0] -> PDPT[3] (the VMM's PD for 3-4 GiB, present
 * but empty) -> PDE 128. No RAM lies there, so each write is an MMIO exit. Only
 * --timeout (or a signal) ends it. */
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
flood:	movl	%eax, (%rcx)
	jmp	flood
