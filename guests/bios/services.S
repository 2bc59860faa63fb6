/* A tour of the BIOS services a boot loader or tutorial kernel uses, printed so a
 * test can compare: sector 0 loads the rest (3 sectors) with int 13h and jumps
 * there. It prints int 11h, 12h, 15h (88h, E801h, A20 2400h-2402h), 10h (0Fh and
 * the cursor), checks that the tick count at 0040:006C moves without any BIOS
 * call and matches int 1Ah, that the RTC answers in BCD, sends a line through int
 * 14h, draws on the screen with int 10h AH=02h/09h/13h/06h (the test reads it back
 * with --vga-dump), and reboots itself with int 19h. The second boot (a flag at
 * 0000:0600 survives, RAM is not cleared) prints DL and ends with int 18h, which
 * gives up booting: status 1. */
#define FLAG 0x600

	.code16
	.section .text.entry
	.globl _start
_start:
	ljmp	$0, $1f
1:	xor	%ax, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$0x7c00, %sp
	mov	%dl, drive
	mov	$0x0203, %ax		/* 3 sectors */
	mov	$0x0002, %cx
	xor	%dh, %dh
	mov	$0x7e00, %bx
	int	$0x13
	jc	fail
	jmp	part2
fail:
	mov	$101, %al		/* never reached when all is well */
	out	%al, $0xf4

drive:	.byte	0			/* in sector 0: the load of the rest keeps it */

	.org	510
	.word	0xaa55

part2:
	cmpb	$1, FLAG
	je	second_boot

	mov	$s_11, %si
	int	$0x11
	call	say_hex
	mov	$s_12, %si
	int	$0x12
	call	say_hex
	mov	$s_88, %si
	mov	$0x88, %ah
	int	$0x15
	call	say_hex
	mov	$s_e801, %si
	mov	$0xe801, %ax
	int	$0x15
	call	say_hex
	mov	%bx, %ax
	mov	$s_blocks, %si
	call	say_hex
	/* A20: disable, ask, enable, ask */
	mov	$0x2400, %ax
	int	$0x15
	mov	$0x2402, %ax
	int	$0x15
	xor	%ah, %ah
	mov	$s_a20off, %si
	call	say_hex
	mov	$0x2401, %ax
	int	$0x15
	mov	$0x2402, %ax
	int	$0x15
	xor	%ah, %ah
	mov	$s_a20on, %si
	call	say_hex
	mov	$0x0f, %ah
	int	$0x10
	mov	$s_mode, %si
	call	say_hex

	/* the tick count moves by itself (no BIOS call in this loop) */
	mov	0x46c, %ebx
	mov	$50000000, %ecx
1:	cmp	0x46c, %ebx
	jne	2f
	addr32 loop 1b
	mov	$s_stuck, %si
	call	print
	jmp	3f
2:	mov	$s_moving, %si
	call	print
3:	/* int 1Ah AH=00h agrees with 0040:006C within a second (18 ticks) */
	xor	%ah, %ah
	int	$0x1a
	mov	%cx, %ax
	shl	$16, %eax
	mov	%dx, %ax
	sub	0x46c, %eax
	add	$18, %eax
	cmp	$36, %eax
	mov	$s_tickok, %si
	jb	4f
	mov	$s_tickbad, %si
4:	call	print
	/* RTC time in BCD, date in the 21st century */
	mov	$0x02, %ah
	int	$0x1a
	mov	$s_rtcbad, %si
	jc	5f
	cmp	$0x24, %ch
	jae	5f
	cmp	$0x60, %cl
	jae	5f
	mov	$0x04, %ah
	int	$0x1a
	cmp	$0x20, %ch
	jne	5f
	mov	$s_rtcok, %si
5:	call	print

	/* a line through the serial port services */
	mov	$s_serial, %si
6:	lodsb
	test	%al, %al
	jz	7f
	mov	$0x01, %ah
	xor	%dx, %dx		/* COM1 */
	int	$0x14
	jmp	6b
7:
	/* the screen: a scrolled line, a run of characters, a coloured string */
	mov	$0x02, %ah
	xor	%bh, %bh
	mov	$0x1500, %dx		/* row 21, column 0 */
	int	$0x10
	mov	$s_scroll, %si
	call	print_screen_only
	mov	$0x0601, %ax		/* up 1 line */
	mov	$0x07, %bh
	mov	$0x1400, %cx		/* rows 20-21, all columns */
	mov	$0x154f, %dx
	int	$0x10
	mov	$0x02, %ah
	xor	%bh, %bh
	mov	$0x1600, %dx		/* row 22 */
	int	$0x10
	mov	$0x0958, %ax		/* 'X' */
	mov	$0x004e, %bx		/* yellow on red, page 0 */
	mov	$5, %cx
	int	$0x10
	mov	$0x1301, %ax		/* write string, move the cursor */
	mov	$0x001f, %bx		/* white on blue */
	mov	$(s_attr_end - s_attr), %cx
	mov	$0x1700, %dx		/* row 23 */
	mov	$s_attr, %bp
	int	$0x10
	mov	$0x03, %ah
	xor	%bh, %bh
	int	$0x10
	mov	$s_crlf, %si
	call	print
	mov	%dx, %ax
	mov	$s_cursor, %si
	call	say_hex

	/* reboot: sector 0 again, from the disk */
	movb	$1, FLAG
	int	$0x19

second_boot:
	mov	$s_again, %si
	call	print
	movzbw	drive, %ax
	mov	$s_dl, %si
	call	say_hex
	int	$0x18
	mov	$99, %al		/* int 18h does not return */
	out	%al, $0xf4

/* say_hex: the string at SI, then AX in hex and a line end */
say_hex:
	call	print
	mov	$4, %cx
1:	rol	$4, %ax
	push	%ax
	and	$0xf, %al
	add	$'0', %al
	cmp	$'9', %al
	jbe	2f
	add	$7, %al
2:	mov	$0x0e, %ah
	int	$0x10
	pop	%ax
	loop	1b
	mov	$s_crlf, %si
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

/* characters at the cursor with AH=09h/03h/02h: the screen only, not the console */
print_screen_only:
	pusha
1:	lodsb
	test	%al, %al
	jz	2f
	mov	$0x09, %ah
	mov	$0x0007, %bx
	mov	$1, %cx
	int	$0x10
	mov	$0x03, %ah
	int	$0x10
	inc	%dl
	mov	$0x02, %ah
	int	$0x10
	jmp	1b
2:	popa
	ret

s_11:	.asciz	"int 11h equipment: "
s_12:	.asciz	"int 12h KiB: "
s_88:	.asciz	"int 15h 88h KiB: "
s_e801:	.asciz	"int 15h E801h KiB 1-16M: "
s_blocks: .asciz "int 15h E801h 64K above 16M: "
s_a20off: .asciz "A20 after 2400h: "
s_a20on: .asciz	"A20 after 2401h: "
s_mode:	.asciz	"int 10h 0Fh AX: "
s_stuck: .asciz	"ticks: stuck\r\n"
s_moving: .asciz "ticks: moving\r\n"
s_tickok: .asciz "int 1Ah ticks: match 0040:006C\r\n"
s_tickbad: .asciz "int 1Ah ticks: differ\r\n"
s_rtcok: .asciz	"RTC: BCD time, 20xx date\r\n"
s_rtcbad: .asciz "RTC: bad\r\n"
s_serial: .asciz "int 14h: hello over COM1\n"
s_scroll: .asciz "scrolled up one row"
s_attr:	.ascii	"white on blue"
s_attr_end:
s_cursor: .asciz "cursor after AH=13h (DH row, DL column): "
s_again: .asciz	"second boot, by int 19h\r\n"
s_dl:	.asciz	"DL: "
s_crlf:	.asciz	"\r\n"

	.org	4 * 512
