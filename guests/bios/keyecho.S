/* A keyboard echo, as tutorials write one: read a key with int 16h (AH=00h waits
 * for it), print it with int 10h AH=0Eh, Enter gives a new line, 'q' ends (exit
 * status 0 through the debug-exit port 0xf4). Before the first read it asks
 * AH=01h whether a key is waiting, and prints "key waiting" or "no key yet". */
	.code16
	.section .text.entry
	.globl _start
_start:
	xor	%ax, %ax
	mov	%ax, %ds
	mov	%ax, %ss
	mov	$0x7c00, %sp
	mov	$prompt, %si
	call	print
	mov	$0x01, %ah		/* peek: ZF set when there is no key */
	int	$0x16
	mov	$nokey, %si
	jz	1f
	mov	$haskey, %si
1:	call	print
next:
	xor	%ah, %ah
	int	$0x16			/* AL = ASCII, AH = scan code */
	cmp	$'q', %al
	je	quit
	mov	$0x0e, %ah
	int	$0x10
	cmp	$'\r', %al
	jne	next
	mov	$0x0e0a, %ax
	int	$0x10
	jmp	next
quit:
	mov	$bye, %si
	call	print
	xor	%al, %al
	out	%al, $0xf4

print:
	mov	$0x0e, %ah
1:	lodsb
	test	%al, %al
	jz	2f
	int	$0x10
	jmp	1b
2:	ret

prompt:	.asciz	"type, q quits\r\n"
nokey:	.asciz	"no key yet\r\n"
haskey:	.asciz	"key waiting\r\n"
bye:	.asciz	"bye\r\n"

	.org	510
	.word	0xaa55
