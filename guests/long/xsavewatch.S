/* gdb test guest, long mode: a watched value written by an instruction KVM's
 * instruction emulator does not know (xsave), so that a watchpoint keeping the page
 * read-only makes KVM fail (tests/gdb/xsavewatch.sh). First an ordinary store to
 * `marker` (same page), then xsave of the x87 state into `area`, whose first word is
 * the x87 control word (0x37f after reset, never 0). Status 5 at the end; 7 where
 * CPUID has no XSAVE (the VMM hides it where the host's emulator lacks it). */
	.code64
	.text
#include "hypercall.inc"
	.globl	_start
_start:
	mov	$1, %eax
	cpuid
	bt	$26, %ecx		/* CPUID.1:ECX.XSAVE */
	jnc	no_xsave
	mov	%cr4, %rax
	or	$(1 << 18), %rax	/* CR4.OSXSAVE */
	mov	%rax, %cr4
	xor	%ecx, %ecx
	mov	$3, %eax		/* XCR0: x87 and SSE */
	xor	%edx, %edx
	xsetbv
	movl	$1, marker
	mov	$1, %eax		/* x87 only */
	xor	%edx, %edx
	.globl	store
store:
	xsave	area
	.globl	after
after:
	mov	$5, %al
	out	%al, $EXIT_PORT
	hlt
no_xsave:
	mov	$7, %al
	out	%al, $EXIT_PORT
	hlt

	.data
	.balign	4096
	.globl	area, marker
area:	.skip	1024
marker:	.long	0
