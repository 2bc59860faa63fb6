/* Ring 0 -> ring 3 -> ring 0.
 * Ring 0 (emulated on the development hosts, so kept short) programs
 * STAR/LSTAR/SFMASK, loads its own GDT (the VMM's selectors plus a TSS), TSS and
 * a one-gate IDT, takes its own stacks and enters ring 3 with sysretq. Ring 3
 * (native there) runs ITERATIONS rounds of integer arithmetic and comes back with
 * syscall; ring 0 prints the result and the CPL ring 3 saw, then exits with
 * status 0. Expected:
 *   ring0: entering ring 3
 *   ring0: back from ring 3, result 16210814150631421520
 *   ring0: ring 3 ran at cpl 3
 *
 * Host quirks (kvm_pvm development machines, measured 2026-11-21): SYSCALL from
 * ring 3 sets RIP = LSTAR, RCX, R11 and masks RFLAGS, but CS/SS stay at ring 3
 * (0x33/0x2b), so the entry code runs at CPL 3 and its first port access faults;
 * and `int $0x80` from ring 3 arrives as #UD (vector 6), whatever the IDT says.
 * Exceptions from ring 3 do reach the guest's IDT, int3 as #BP (vector 3). So the
 * entry checks CS.RPL and, still at CPL 3, finishes the climb with int3 through a
 * DPL-3 gate for #BP (TSS.RSP0 gives the ring-0 stack). Both ways end in the same
 * ring-0 code with the same output, so the test passes on textbook KVM and here
 * alike; the TSS and IDT exist only for that second way.
 *
 * The VMM's GDT has 0x10 code64 DPL0, 0x18 data DPL0, 0x20 code32 DPL3,
 * 0x28 data DPL3, 0x30 code64 DPL3; its page tables map everything with U=1.
 * This guest's GDT keeps those selectors, so no segment register is reloaded. */
#include "print.inc"
#include "tss64.inc"

#define MSR_EFER	0xc0000080
#define MSR_STAR	0xc0000081
#define MSR_LSTAR	0xc0000082
#define MSR_SFMASK	0xc0000084
#define EFER_SCE	(1 << 0)

#define SEL_KCODE64	0x10

/* SYSCALL loads CS = STAR[47:32] and SS = that + 8 (0x10, 0x18); SYSRETQ loads
 * CS = STAR[63:48] + 16 and SS = STAR[63:48] + 8, both with RPL 3 (0x33, 0x2b). */
#define STAR_SYSCALL_CS	SEL_KCODE64
#define STAR_SYSRET_BASE	0x20
/* Cleared on syscall: TF, IF, DF, AC, so the ring-0 entry starts clean. */
#define SFMASK_BITS	((1 << 8) | (1 << 9) | (1 << 10) | (1 << 18))
/* Ring 3 runs with interrupts off too: there is no interrupt controller. */
#define USER_RFLAGS	0x2

#define VEC_BP		3		/* #BP: int3, the DPL-3 gate ring 3 may use */
#define IDT_ENTRIES	(VEC_BP + 1)	/* every other vector is absent: a fault */
#define GATE_INT_DPL3	0xee		/* present, DPL 3, 64-bit interrupt gate */

#define ITERATIONS	10000000
#define STACK_SIZE	4096

	.code64
	.text
	.globl	_start
_start:
	lea	kstack_top(%rip), %rsp

	/* TSS: RSP0 for the int gate; its descriptor's base is split across fields,
	 * which only run-time code can do (the assembler cannot shift a symbol). */
	install_tss kstack_top

	/* IDT: one gate, the way back from ring 3 if SYSCALL does not get there. */
	lea	int_entry(%rip), %rax
	mov	%eax, %edx
	and	$0xffff, %edx			/* offset[15:0] */
	mov	%eax, %ecx
	and	$0xffff0000, %ecx
	shl	$32, %rcx			/* offset[31:16] -> bits 48..63 */
	or	%rcx, %rdx
	movabs	$((GATE_INT_DPL3 << 40) | (SEL_KCODE64 << 16)), %rcx
	or	%rcx, %rdx
	mov	%rdx, idt + VEC_BP * 16(%rip)
	shr	$32, %rax
	mov	%eax, idt + VEC_BP * 16 + 8(%rip)	/* offset[63:32] */
	lidt	idt_desc(%rip)

	mov	$MSR_EFER, %ecx		/* the VMM sets SCE; this guest does not rely on it */
	rdmsr
	or	$EFER_SCE, %eax
	wrmsr
	mov	$MSR_STAR, %ecx
	xor	%eax, %eax
	mov	$((STAR_SYSRET_BASE << 16) | STAR_SYSCALL_CS), %edx
	wrmsr
	mov	$MSR_LSTAR, %ecx
	lea	syscall_entry(%rip), %rax
	mov	%rax, %rdx
	shr	$32, %rdx
	wrmsr
	mov	$MSR_SFMASK, %ecx
	mov	$SFMASK_BITS, %eax
	xor	%edx, %edx
	wrmsr

	print	hc_puts, "ring0: entering ring 3"
	hc_newline

	lea	user_main(%rip), %rcx	/* sysretq: RIP <- RCX, RFLAGS <- R11 */
	mov	$USER_RFLAGS, %r11d
	lea	ustack_top(%rip), %rsp	/* sysret keeps RSP: switch by hand */
	sysretq

/* Ring 3. For i = ITERATIONS down to 1: t = acc * 31 + i; acc = t ^ (t >> 7)
 * (mod 2^64, acc starts at 0). The result goes back in RDI, the CS selector seen
 * here in RSI. */
user_main:
	xor	%eax, %eax
	mov	$ITERATIONS, %ecx
.Lround:
	imul	$31, %rax, %rax
	add	%rcx, %rax
	mov	%rax, %rdx
	shr	$7, %rdx
	xor	%rdx, %rax
	dec	%ecx
	jnz	.Lround
	mov	%rax, %rdi
	mov	%cs, %esi
	syscall				/* RCX, R11 are overwritten: nothing lives there */
	ud2				/* not reached: ring 0 never returns here */

/* SYSCALL lands here on ring 3's stack (it does not switch stacks). Textbook CPUs
 * are at CPL 0 now; the quirky host is still at CPL 3 (see the top). */
syscall_entry:
	mov	%cs, %eax
	test	$3, %al
	jz	back_in_ring0
	int3				/* the quirky host: #BP gate to CPL 0 */
	ud2				/* not reached */

/* The gate: CPL 0 on TSS.RSP0, an interrupt frame on the stack (dropped below). */
int_entry:
back_in_ring0:
	lea	kstack_top(%rip), %rsp
	mov	%rdi, %r12		/* R12, R13 survive hc_puts */
	mov	%rsi, %r13
	print	hc_puts, "ring0: back from ring 3, result "
	mov	%r12, %rbx
	hc	HC_PUTNUM
	hc_newline
	print	hc_puts, "ring0: ring 3 ran at cpl "
	mov	%r13, %rbx
	and	$3, %ebx
	hc	HC_PUTNUM
	hc_newline
	hc_exit	0
	hlt				/* not reached */

	DEFINE_HC_PUTS hc_puts

	.section .rodata
idt_desc:
	.word	IDT_ENTRIES * 16 - 1
	.quad	idt

	.bss
	.balign	16
idt:
	.skip	IDT_ENTRIES * 16
tss:
	.skip	TSS_SIZE
	.balign	16
kstack:
	.skip	STACK_SIZE
kstack_top:
ustack:
	.skip	STACK_SIZE
ustack_top:

	gdt_with_tss
