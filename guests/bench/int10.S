/* Launch to a boot sector's first BIOS output (tests/bench/bios.sh): print one
 * character with int 10h AH=0Eh, then end at once through port 0xf4, which is
 * mini-kvm's debug exit and QEMU's isa-debug-exit alike (QEMU's status is then
 * 2 * 42 + 1). So the process's lifetime is start-up, BIOS, one int 10h call. */
#define INT10_STATUS 42		/* tests/bench/bios.sh expects this */

	.code16
	.text
	.globl	_start
_start:
	mov	$0x0e41, %ax		/* teletype 'A' */
	xor	%bx, %bx
	int	$0x10
	mov	$INT10_STATUS, %al
	out	%al, $0xf4
	hlt

	.org	510
	.word	0xaa55
