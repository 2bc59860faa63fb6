/* gdb benchmarks (tests/bench/gdb.sh): an endless three-instruction loop that
 * both the VMM and QEMU run. For QEMU it is a boot sector: exactly 512 bytes
 * ending in 0x55 0xAA, which the BIOS loads at 0000:7C00 and jumps to; the VMM
 * enters the same file at 0000:7C00 directly.
 *
 * tests/bench/gdb_bench.py relies on the shape of bench_loop: from bench_loop,
 * every third stepi is the `inc`, and each pass through bench_loop adds exactly
 * 1 to AX, so it can tell that every stepi was one instruction and every
 * `continue` one pass. Interrupts are off so that QEMU's BIOS timer cannot step
 * in between. */

	.code16
	.text
	.globl	_start, bench_loop
_start:
	cli
	xor	%ax, %ax
	xor	%bx, %bx
bench_loop:
	inc	%ax
	add	%ax, %bx
	jmp	bench_loop

	/* The BIOS boots a sector only with this signature in its last two bytes;
	 * .org also fails the build if the code ever outgrows the sector. */
	.org	510, 0
	.byte	0x55, 0xaa
