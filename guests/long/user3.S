/* A ring-3 program under a tiny kernel, for debugging user mode with gdb.
 * The kernel installs a GDT (the VMM's selectors plus a TSS), an IDT whose #DB,
 * #BP, #UD, #GP and #PF gates print "kernel saw vector N" and exit 99, and enters
 * ring 3 with iretq. Ring 3 sums 5+4+3+2+1 in user_loop and ends with ud2 at
 * user_done, which the kernel's #UD gate treats as the way out: it prints
 * "user result 15" and exits 0. So a debugger that lets the guest kernel see its
 * own traps (single steps, breakpoints) changes the output and the status.
 * (No SYSCALL: on the development hosts it does not reach CPL 0; int $0x80 from
 * ring 3 arrives as #UD there. See guests/long/ring3.S.) */
#include "print.inc"
#include "tss64.inc"

#define SEL_KCODE64	0x10
#define SEL_UDATA	0x28
#define SEL_UCODE64	0x30
#define GATE_INT	0x8e		/* present, DPL 0, 64-bit interrupt gate */
#define GATE_INT_DPL3	0xee
#define NVEC		15

	.code64
	.text
	.globl	_start, user_main, user_loop, user_after, user_done
_start:
	lea	kstack_top(%rip), %rsp
	/* TSS descriptor: base split across the descriptor, done at run time */
	install_tss kstack_top

	/* IDT: one gate per handler in vec_table (vector, handler, type) */
	lea	vec_table(%rip), %rsi
1:	movzbl	(%rsi), %edi			/* vector; 0xff ends the table */
	cmp	$0xff, %edi
	je	2f
	mov	8(%rsi), %rax			/* handler */
	movzbl	1(%rsi), %ecx			/* gate type */
	mov	%eax, %edx
	and	$0xffff, %edx
	mov	%eax, %r8d
	and	$0xffff0000, %r8d
	shl	$32, %r8
	or	%r8, %rdx
	shl	$40, %rcx
	or	%rcx, %rdx
	movabs	$(SEL_KCODE64 << 16), %rcx
	or	%rcx, %rdx
	shl	$4, %rdi
	lea	idt(%rip), %r9
	mov	%rdx, (%r9, %rdi)
	shr	$32, %rax
	mov	%eax, 8(%r9, %rdi)
	add	$16, %rsi
	jmp	1b
2:	lidt	idt_desc(%rip)

	print	hc_puts, "kernel: entering ring 3"
	hc_newline
	push	$(SEL_UDATA | 3)
	lea	ustack_top(%rip), %rax
	push	%rax
	push	$0x2
	push	$(SEL_UCODE64 | 3)
	lea	user_main(%rip), %rax
	push	%rax
	iretq

/* Ring 3 */
user_main:
	xor	%eax, %eax
	mov	$5, %ecx
user_loop:
	add	%ecx, %eax
	dec	%ecx
	jnz	user_loop
user_after:
	mov	%eax, %ebx
user_done:
	ud2

/* Kernel side: a gate per vector pushes the vector number */
.macro VEC n
vec\n:
	mov	$\n, %r12d
	jmp	trap
.endm
	VEC 1
	VEC 3
	VEC 6
	VEC 13
	VEC 14

trap:
	cmp	$6, %r12d
	jne	3f
	lea	user_done(%rip), %rax
	cmp	%rax, (%rsp)			/* #UD frame: rip first */
	jne	3f
	mov	%rbx, %r13
	print	hc_puts, "user result "
	mov	%r13, %rbx
	hc	HC_PUTNUM
	hc_newline
	hc_exit	0
3:	print	hc_puts, "kernel saw vector "
	mov	%r12, %rbx
	hc	HC_PUTNUM
	hc_newline
	hc_exit	99
	hlt

	DEFINE_HC_PUTS hc_puts

	.section .rodata
	.balign	8
vec_table:
	.byte	1, GATE_INT, 0, 0, 0, 0, 0, 0
	.quad	vec1
	.byte	3, GATE_INT_DPL3, 0, 0, 0, 0, 0, 0
	.quad	vec3
	.byte	6, GATE_INT, 0, 0, 0, 0, 0, 0
	.quad	vec6
	.byte	13, GATE_INT, 0, 0, 0, 0, 0, 0
	.quad	vec13
	.byte	14, GATE_INT, 0, 0, 0, 0, 0, 0
	.quad	vec14
	.byte	0xff, 0, 0, 0, 0, 0, 0, 0
	.quad	0
idt_desc:
	.word	NVEC * 16 - 1
	.quad	idt

	.bss
	.balign	16
idt:
	.skip	NVEC * 16
tss:
	.skip	TSS_SIZE
	.balign	16
	.skip	4096
kstack_top:
	.skip	4096
ustack_top:

	gdt_with_tss
