/* The first program of every boot-sector tutorial: print a line with the BIOS's
 * teletype (int 10h, AH=0Eh), then stop. Booted with `vmm --disk hello.bin`. */
	.code16
	.section .text.entry
	.globl _start, done
_start:
	cli
	xor	%ax, %ax
	mov	%ax, %ds
	mov	%ax, %ss
	mov	$0x7c00, %sp
	sti
	mov	$msg, %si
	call	print
	mov	$msg2, %si
	call	print
	/* where the hardware cursor is now, read back from the CRTC as kernels do */
	mov	$0x3d4, %dx
	mov	$0x0e, %al
	out	%al, %dx
	inc	%dx
	in	%dx, %al
	mov	%al, %ah
	dec	%dx
	mov	$0x0f, %al
	out	%al, %dx
	inc	%dx
	in	%dx, %al		/* AX = cell index */
	mov	$80, %bl
	div	%bl			/* AL = row, AH = column */
	add	$0x3030, %ax
	mov	%al, cursor_row
	mov	%ah, cursor_col
	mov	$msg3, %si
	call	print
done:
	hlt
	jmp	done

/* print: the NUL-terminated string at DS:SI */
print:
	mov	$0x0e, %ah
	xor	%bh, %bh
1:	lodsb
	test	%al, %al
	jz	2f
	int	$0x10
	jmp	1b
2:	ret

msg:	.asciz	"Hello from the boot sector!\r\n"
msg2:	.asciz	"Booted by the mini-kvm BIOS.\r\n"
msg3:	.ascii	"CRTC cursor: row "	/* one digit each: both < 10 here */
cursor_row: .ascii "?"
	.ascii	", column "
cursor_col: .ascii "?"
	.asciz	"\r\n"

	.org	510
	.word	0xaa55
