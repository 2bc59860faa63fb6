/* Calls BIOS functions that do not exist here (int 15h AH=C0h, the system
 * configuration table; int 10h AX=4F00h, VESA) the way careful code does: test CF,
 * say what came back, and go on. Exit status 0 through port 0xf4 when both calls
 * failed cleanly (CF set, AH=86h), 1 otherwise. */
	.code16
	.section .text.entry
	.globl _start
_start:
	xor	%ax, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	$0xc0, %ah
	int	$0x15
	jnc	bad
	cmp	$0x86, %ah
	jne	bad
	mov	$0x4f00, %ax
	mov	$0x600, %di
	int	$0x10
	jnc	bad
	cmp	$0x86, %ah
	jne	bad
	mov	$ok, %si
	call	print
	xor	%al, %al
	out	%al, $0xf4
bad:
	mov	$1, %al
	out	%al, $0xf4

print:
	mov	$0x0e, %ah
1:	lodsb
	test	%al, %al
	jz	2f
	int	$0x10
	jmp	1b
2:	ret

ok:	.asciz	"unsupported calls: CF set, AH=86h, going on\r\n"

	.org	510
	.word	0xaa55
