/* The user image (build/os-1k/shell.bin, linked at USER_BASE) inside the kernel. */
	.section .rodata
	.balign	4096
	.globl	shell_image, shell_image_end
shell_image:
	.incbin	SHELL_BIN
shell_image_end:
