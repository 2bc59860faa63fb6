/* Unknown ports: reads must see all-ones in the access width, writes must vanish,
 * and the VMM must count every access (a `rep outsb` of 3 counts 3) for the
 * --trace-exits summary. An unknown hypercall function counts against port 0x500.
 * Expected stdout "255 65535 65535 65535\n" (byte, word, the low and high halves of
 * a dword: putnum prints BX alone in real mode), status 0 through hlt. Summary:
 *   unknown port 0x1234 accessed 4 times  (in b/w/d, out b)
 *   unknown port 0x4321 accessed 3 times  (rep outsb)
 *   unknown port 0x500 accessed 1 times   (hypercall 0x77) */
#include "hypercall.inc"

#define UNKNOWN_PORT	0x1234
#define UNKNOWN_PORT2	0x4321

	.code16
	.text
	.globl	_start
_start:
	mov	$UNKNOWN_PORT, %dx
	xor	%eax, %eax		/* zeros in, so a VMM that leaves data alone shows */
	in	%dx, %al
	movzbl	%al, %ebx
	call	putnum_sp

	mov	$UNKNOWN_PORT, %dx
	xor	%eax, %eax
	in	%dx, %ax
	movzwl	%ax, %ebx
	call	putnum_sp

	mov	$UNKNOWN_PORT, %dx
	xor	%eax, %eax
	in	%dx, %eax
	mov	%eax, %ecx		/* hc clobbers AL */
	movzwl	%cx, %ebx
	call	putnum_sp
	shr	$16, %ecx
	movzwl	%cx, %ebx
	hc	HC_PUTNUM
	hc_newline

	mov	$UNKNOWN_PORT, %dx
	out	%al, %dx
	mov	$UNKNOWN_PORT2, %dx
	mov	$three, %si
	mov	$3, %cx
	cld
	rep outsb
	hc	0x77			/* no such hypercall function */
	hlt

/* putnum_sp: putnum BX, then a space. */
putnum_sp:
	hc	HC_PUTNUM
	hc_putc	' '
	ret

three:	.ascii	"abc"
