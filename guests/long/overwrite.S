/* gdb test guest, long mode: code that the guest itself rewrites, as a loader
 * copying code would. `target` is called, then overwritten by a copy of its own
 * bytes from `template` (the int3 of a breakpoint there is gone), then `checkpoint`
 * is called, then `target` again. With breakpoints on target and checkpoint, gdb
 * must stop at target, checkpoint and target again: the breakpoint the guest
 * overwrote is back after the stop at checkpoint (tests/gdb/overwrite.sh). Exits
 * with status 5 through port 0xf4. */
	.code64
	.text
#include "hypercall.inc"
	.globl	_start
_start:
	call	target
	lea	template(%rip), %rsi
	lea	target(%rip), %rdi
	mov	$(template_end - template), %ecx
	rep movsb
	call	checkpoint
	call	target
	mov	$5, %al
	out	%al, $EXIT_PORT
	hlt

	.globl	target
target:
	nop
	nop
	ret

	.globl	checkpoint
checkpoint:
	nop
	ret

/* the same bytes as target */
template:
	nop
	nop
	ret
template_end:
