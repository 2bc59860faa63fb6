/* The kernel's assembly: entry, trap stubs, the system-call entry, context switch. */
#include "kernel.h"

	.cfi_sections .debug_frame	/* with the C code's, for gdb; not loaded */

/* The VMM enters here in long mode on its own page tables and GDT. */
	.section .text.boot, "ax"
	.globl	boot
boot:
	lea	__stack_top(%rip), %rsp	/* the boot stack, later the idle process's */
	xor	%ebp, %ebp		/* ends gdb's backtraces here */
	call	kernel_main
	ud2				/* kernel_main never returns */

/* One stub per vector, TRAP_STUB_SIZE bytes apart (the IDT is filled from
 * trap_stubs + vector * TRAP_STUB_SIZE). Vectors where the CPU pushes no error
 * code push a zero, so that every trap_frame has the same layout. */
	.text
	.balign	TRAP_STUB_SIZE
	.globl	trap_stubs
trap_stubs:
	.set	vec, 0
	.rept	IDT_VECTORS
	.balign	TRAP_STUB_SIZE
	.if	!(vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30)
	push	$0
	.endif
	push	$vec
	jmp	trap_common
	.set	vec, vec + 1
	.endr

/* Pushes a register and tells the unwinder where it went. */
.macro SAVE reg
	push	%\reg
	.cfi_adjust_cfa_offset 8
	.cfi_rel_offset \reg, 0
.endm

/* The CFI describes the trap frame, so gdb's backtrace continues past it into
 * the interrupted code (a user program's, with the shell's symbols loaded).
 * Not marked .cfi_signal_frame: gdb 13 ignored the FDE in .debug_frame then. */
trap_common:
	.cfi_startproc simple
	.cfi_def_cfa rsp, 56		/* just past the frame: vector ... ss */
	.cfi_offset rip, -40
	.cfi_offset rsp, -16
	SAVE	rax
	SAVE	rbx
	SAVE	rcx
	SAVE	rdx
	SAVE	rsi
	SAVE	rdi
	SAVE	rbp
	SAVE	r8
	SAVE	r9
	SAVE	r10
	SAVE	r11
	SAVE	r12
	SAVE	r13
	SAVE	r14
	SAVE	r15
	mov	%rsp, %rdi		/* the struct trap_frame */
	cld
	call	trap_handler
	.cfi_endproc
trap_return:
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
	add	$16, %rsp		/* vector, error code */
	iretq

/* A new process's first return from switch_context lands here, on a kernel stack
 * that create_process filled with a trap_frame leading to ring 3. */
	.globl	user_entry
user_entry:
	jmp	trap_return

/* void switch_context(uint64_t *prev_sp, uint64_t *next_sp): the callee-saved
 * registers are all that a C caller expects to survive. */
	.globl	switch_context
switch_context:
	push	%rbp
	push	%rbx
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, (%rdi)
	mov	(%rsi), %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbx
	pop	%rbp
	ret

/* SYSCALL lands here (LSTAR): RCX = user rip, R11 = user rflags, RSP still the
 * user's. On a textbook CPU this runs at CPL 0. On the development hosts (nested
 * kvm_pvm, see docs/host-probe.md) SYSCALL leaves CS/SS at ring 3, so this runs at CPL 3:
 * that is why it has a page of its own that user mode may execute (memory.c).
 * There the climb is finished with int3 through the DPL-3 #BP gate, and
 * trap_handler recognises the #BP by its rip, syscall_bp_return. Both ways reach
 * trap_handler with the same kind of frame. R10 is the scratch register the
 * system-call ABI gives up (user.c). */
	.section .trampoline, "ax"
	.globl	syscall_entry, syscall_bp_return
syscall_entry:
	mov	%cs, %r10d
	test	$3, %r10b
	jnz	1f
	mov	%rsp, %r10		/* CPL 0: onto the kernel stack, frame as a trap's */
	mov	tss + 4(%rip), %rsp	/* TSS.RSP0 */
	push	$SEL_UDATA
	push	%r10
	push	%r11
	push	$SEL_UCODE
	push	%rcx
	push	$0
	push	$VEC_SYSCALL
	jmp	trap_common
1:	int3				/* CPL 3: through the #BP gate */
syscall_bp_return:
	ud2				/* not reached: the kernel returns to RCX */
