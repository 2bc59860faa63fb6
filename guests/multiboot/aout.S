/* A flat multiboot kernel: flags bit 16 says that the header's address fields
 * tell the loader where the image goes (the a.out kludge). It checks the magic
 * and that its .bss was zeroed, writes a line to VGA and COM1, exits 0 (1 on a
 * wrong magic, 2 on a dirty .bss). */
#define MB_MAGIC 0x1badb002
#define MB_FLAGS 0x10002

	.section .multiboot, "a"
	.globl	_start
header:
	.long	MB_MAGIC
	.long	MB_FLAGS
	.long	-(MB_MAGIC + MB_FLAGS)
	.long	header			/* header_addr */
	.long	0x100000		/* load_addr */
	.long	load_end		/* load_end_addr */
	.long	bss_end			/* bss_end_addr */
	.long	_start			/* entry_addr */

	.text
_start:
	cmp	$0x2badb002, %eax
	jne	badmagic
	cmpl	$0, bss_word
	jne	dirty
	mov	$msg, %esi
	mov	$0xb8000, %edi
1:	lodsb
	test	%al, %al
	jz	2f
	mov	%al, %bl
	mov	$0x3f8, %dx
	out	%al, %dx
	mov	$0x07, %ah
	mov	%bl, %al
	stosw
	jmp	1b
2:	mov	$'\n', %al		/* a line end for the serial side only */
	mov	$0x3f8, %dx
	out	%al, %dx
	xor	%al, %al
	out	%al, $0xf4
badmagic:
	mov	$1, %al
	out	%al, $0xf4
dirty:
	mov	$2, %al
	out	%al, $0xf4

	.section .rodata
msg:	.asciz	"a.out kludge kernel: magic ok, bss clean"

	.bss
	.balign	4
bss_word: .long	0
	.skip	4096

	.section .note.GNU-stack, "", @progbits
