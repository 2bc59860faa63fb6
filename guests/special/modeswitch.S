/* The whole climb a boot loader makes, done by the guest itself: real mode ->
 * 32-bit protected mode (own GDT, CR0.PE, far jump) -> long mode (own PAE page
 * tables with one 2 MiB identity page, CR3, CR4.PAE, EFER.LME, CR0.PG, far jump
 * to a 64-bit code segment). It prints one line from each mode with the putchar
 * hypercall, whose argument register the VMM must read with the current width,
 * and leaves through the exit hypercall with status 0. Runs alone: segment 0,
 * so offsets are physical addresses. No 32-bit paging in between (these hosts
 * refuse CR0.PG without EFER.LME): paging is turned on with LME already set. */
#include "print.inc"

#define SEL_CODE32	0x08
#define SEL_DATA	0x10
#define SEL_CODE64	0x18

#define CR0_PE		(1 << 0)
#define CR0_PG		(1 << 31)
#define CR4_PAE		(1 << 5)
#define MSR_EFER	0xc0000080
#define EFER_LME	(1 << 8)

#define PT_BASE		0x10000		/* PML4, PDPT, PD: three pages from here */
#define PML4		PT_BASE
#define PDPT		(PT_BASE + 0x1000)
#define PD		(PT_BASE + 0x2000)
#define PTE_P		(1 << 0)
#define PTE_W		(1 << 1)
#define PTE_PS		(1 << 7)	/* in a PD entry: a 2 MiB page */

#define STACK_TOP	0x7c00		/* below the image, as at entry */

	.code16
	.text
	.globl	_start
_start:
	cli
	print	puts16, "real mode\n"

	lgdtl	gdt_desc		/* 32-bit form: the full base, not 24 bits */
	mov	%cr0, %eax
	or	$CR0_PE, %eax
	mov	%eax, %cr0
	ljmpl	$SEL_CODE32, $pm32

	.code32
pm32:
	mov	$SEL_DATA, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	%ax, %fs
	mov	%ax, %gs
	mov	$STACK_TOP, %esp
	print	puts32, "protected mode\n"

	/* Guest memory may not be zero: clear the three tables, then link them. */
	mov	$PT_BASE, %edi
	xor	%eax, %eax
	mov	$(3 * 4096 / 4), %ecx
	cld
	rep stosl
	movl	$(PDPT | PTE_P | PTE_W), PML4
	movl	$(PD | PTE_P | PTE_W), PDPT
	movl	$(0 | PTE_P | PTE_W | PTE_PS), PD	/* 0 .. 2 MiB, identity */
	mov	$PML4, %eax
	mov	%eax, %cr3
	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	mov	%cr0, %eax
	or	$CR0_PG, %eax
	mov	%eax, %cr0		/* now long mode, compatibility submode */
	ljmp	$SEL_CODE64, $lm64

	.code64
lm64:
	print	puts64, "long mode\n"
	hc_exit	0
	hlt				/* not reached */

	.code16
	DEFINE_HC_PUTS puts16
	.code32
	DEFINE_HC_PUTS puts32
	.code64
	DEFINE_HC_PUTS puts64

	.section .rodata
	.balign	8
gdt:
	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08: code, 32-bit, base 0, 4 GiB, DPL 0 */
	.quad	0x00cf92000000ffff	/* 0x10: data, read/write, base 0, 4 GiB */
	.quad	0x00af9a000000ffff	/* 0x18: code, 64-bit (L=1, D=0), DPL 0 */
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	gdt
