/* A two-stage loader as OS tutorials build one, on a disk image of 25 sectors.
 * Stage 1 (sector 0) reads stage 2 (24 sectors) with int 13h AH=02h by CHS to
 * 0000:7E00 and jumps there. Stage 2 reads the same sectors again with the EDD
 * packet call (AH=42h) to 1000:0000 and compares, reads LBA 25 (past the image,
 * or a partial sector the test appends), prints the E820 memory map (the first
 * call asks for 20 bytes, the rest for 24), enables A20 (int 15h AX=2401h), enters
 * 32-bit protected mode and writes a line into VGA text memory at 0xB8000, then
 * ends with status 0 through port 0xf4 (any failure: a message, status 1). */
#define SECTORS2 24

	.code16
	.section .text.entry
	.globl _start, stage2, pm_entry, chs_read, chs_done
_start:
	ljmp	$0, $1f			/* CS = 0, whatever the BIOS used */
1:	xor	%ax, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$0x7c00, %sp
	mov	%dl, boot_drive
	mov	$s1msg, %si
	call	print
	mov	$(0x0200 | SECTORS2), %ax	/* read SECTORS2 sectors */
	mov	$0x0002, %cx		/* cylinder 0, sector 2 */
	xor	%dh, %dh		/* head 0 */
	mov	boot_drive, %dl
	mov	$0x7e00, %bx		/* ES:BX */
chs_read:
	int	$0x13
chs_done:
	jc	fail
	cmp	$SECTORS2, %al
	jne	fail
	jmp	stage2

fail:
	mov	$failmsg, %si
	call	print
	mov	$1, %al
	out	%al, $0xf4

print:
	pusha
	mov	$0x0e, %ah
1:	lodsb
	test	%al, %al
	jz	2f
	int	$0x10
	jmp	1b
2:	popa
	ret

boot_drive: .byte 0
s1msg:	.asciz	"stage 1: reading stage 2 with int 13h CHS\r\n"
failmsg: .asciz	"FAILED\r\n"

	.org	510
	.word	0xaa55

/* ---- stage 2: sector 1 onwards, at 0x7e00 ---- */
stage2:
	mov	$s2msg, %si
	call	print
	mov	$drvmsg, %si
	call	print
	movzbl	boot_drive, %eax
	call	hex32
	mov	$crlf, %si
	call	print
	/* EDD present? then the same sectors by LBA to 1000:0000 */
	mov	$0x41, %ah
	mov	$0x55aa, %bx
	mov	boot_drive, %dl
	int	$0x13
	jc	fail
	cmp	$0xaa55, %bx
	jne	fail
	mov	$dap, %si
	mov	$0x42, %ah
	mov	boot_drive, %dl
	int	$0x13
	jc	fail
	push	%ds
	mov	$0x1000, %ax
	mov	%ax, %es
	xor	%di, %di
	mov	$0x7e00, %si
	mov	$(SECTORS2 * 512), %cx
	cld
	repe cmpsb
	pop	%ds
	jne	fail
	mov	$lbamsg, %si
	call	print

	/* LBA 25: what lies past the 25 sectors of this image */
	movw	$25, dap_lba
	movw	$1, dap_count
	mov	$dap, %si
	mov	$0x42, %ah
	mov	boot_drive, %dl
	int	$0x13
	jc	fail
	mov	$tailmsg, %si
	call	print
	push	%ds
	mov	$0x1000, %ax
	mov	%ax, %ds
	xor	%si, %si
	movb	$0, 8			/* at most 8 characters */
	cmpb	$0, (%si)
	jne	1f
	pop	%ds
	mov	$zeros, %si
	call	print
	jmp	2f
1:	call	print
	pop	%ds
2:	mov	$crlf, %si
	call	print

	/* the E820 memory map */
	xor	%ax, %ax
	mov	%ax, %es
	xor	%ebx, %ebx
	mov	$20, %ecx		/* the first call: the classic 20 bytes */
e820_next:
	mov	$0xe820, %eax
	mov	$0x534d4150, %edx	/* 'SMAP' */
	mov	$e820buf, %di
	int	$0x15
	jc	fail
	cmp	$0x534d4150, %eax
	jne	fail
	push	%ebx
	push	%ecx
	mov	$e820msg, %si
	call	print
	mov	e820buf + 4, %eax
	call	hex32
	mov	e820buf, %eax
	call	hex32
	mov	$sp1, %si
	call	print
	mov	e820buf + 12, %eax
	call	hex32
	mov	e820buf + 8, %eax
	call	hex32
	mov	$typemsg, %si
	call	print
	mov	e820buf + 16, %al
	add	$'0', %al
	mov	$0x0e, %ah
	int	$0x10
	mov	$sizemsg, %si
	call	print
	pop	%ecx
	mov	%cl, %al
	call	dec8
	mov	$crlf, %si
	call	print
	pop	%ebx
	mov	$24, %ecx
	test	%ebx, %ebx
	jnz	e820_next

	/* A20 three ways, as tutorials try them: the BIOS, the keyboard controller's
	 * output port (command D1h), the fast gate at port 92h; then the classic
	 * wrap-around check */
	mov	$0x2401, %ax
	int	$0x15
	jc	fail
	call	kbc_wait
	mov	$0xd1, %al
	out	%al, $0x64
	call	kbc_wait
	mov	$0xdf, %al
	out	%al, $0x60
	call	kbc_wait
	in	$0x92, %al
	or	$2, %al
	and	$0xfe, %al		/* bit 0 would reset the machine */
	out	%al, $0x92
	mov	$0xffff, %ax
	mov	%ax, %es
	movw	$0x1234, 0x500
	movw	$0x4321, %es:0x510
	cmpw	$0x1234, 0x500
	jne	fail
	mov	$a20msg, %si
	call	print

	/* 32-bit protected mode */
	cli
	lgdt	gdt_desc
	mov	%cr0, %eax
	or	$1, %eax
	mov	%eax, %cr0
	ljmp	$0x08, $pm_entry

/* kbc_wait: until the keyboard controller's input buffer is empty */
kbc_wait:
	in	$0x64, %al
	test	$2, %al
	jnz	kbc_wait
	ret

/* hex32: EAX as 8 hex digits */
hex32:
	pusha
	mov	$8, %cx
1:	rol	$4, %eax
	push	%eax
	and	$0xf, %al
	add	$'0', %al
	cmp	$'9', %al
	jbe	2f
	add	$7, %al
2:	mov	$0x0e, %ah
	int	$0x10
	pop	%eax
	loop	1b
	popa
	ret

/* dec8: AL (< 100) in decimal */
dec8:
	pusha
	xor	%ah, %ah
	mov	$10, %bl
	div	%bl
	add	$0x3030, %ax
	mov	%ah, %bl
	mov	$0x0e, %ah
	int	$0x10
	mov	%bl, %al
	int	$0x10
	popa
	ret

	.code32
pm_entry:
	mov	$0x10, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$0x90000, %esp
	mov	$pmmsg, %esi
	mov	$(0xb8000 + 12 * 160), %edi
	mov	$0x1f, %ah		/* white on blue */
1:	lodsb
	test	%al, %al
	jz	2f
	stosw
	jmp	1b
2:	xor	%al, %al
	out	%al, $0xf4

	.balign	8
gdt:	.quad	0
	.quad	0x00cf9a000000ffff	/* 0x08: code, flat 4 GiB */
	.quad	0x00cf92000000ffff	/* 0x10: data */
gdt_desc:
	.word	gdt_desc - gdt - 1
	.long	gdt

	.balign	4
dap:	.byte	16, 0
dap_count: .word SECTORS2
	.word	0, 0x1000		/* 1000:0000 */
dap_lba: .quad	1
e820buf: .fill	24, 1, 0

s2msg:	.asciz	"stage 2: running at 0000:7E00\r\n"
lbamsg:	.asciz	"stage 2: EDD read of 24 sectors matches the CHS read\r\n"
tailmsg: .asciz	"sector 25: "
drvmsg:	.asciz	"boot drive (DL): "
zeros:	.asciz	"zeros"
e820msg: .asciz	"e820: "
sp1:	.asciz	" "
typemsg: .asciz	" type "
sizemsg: .asciz	" size "
a20msg:	.asciz	"A20 on\r\n"
crlf:	.asciz	"\r\n"
pmmsg:	.asciz	"Protected mode: hello from 0xB8000"

	.org	25 * 512
