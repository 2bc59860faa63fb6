/* Guest code for the host probe (hostprobe.c). Each snippet is copied to
 * PROBE_CODE in a throw-away VM and reports through port PROBE_PORT: AL = marker.
 * Absolute addresses are PROBE_CODE + (label - snippet start). */
#define PROBE_CODE 0x8000
#define PROBE_DATA 0x9000
#define PROBE_PORT 0x555
#define PROBE_MMIO 0x400000        /* just past the probe VM's 4 MiB of RAM */
#define PML4 0x3f1000            /* x86_build_tables' PML4 in a 4 MiB window */
#define VMM_GDT 0x3f0000
#define MARK(n) mov $PROBE_PORT, %dx; mov $n, %al; out %al, (%dx)
#define ABS(sym, start) (PROBE_CODE + (sym) - (start))

    .section .rodata.probe, "a"

/* real, protected, long: the mode runs at all */
    .globl probe_real_start, probe_real_end
    .code16
probe_real_start:
    MARK(1)
    hlt
probe_real_end:

    .globl probe_prot_start, probe_prot_end
    .code32
probe_prot_start:
    MARK(1)
    hlt
probe_prot_end:

    .globl probe_long_start, probe_long_end
    .code64
probe_long_start:
    MARK(1)
    hlt
probe_long_end:

/* ring 0: marker 3, a timed loop of rcx iterations, a breakpoint target, a store
 * watched by DR0, marker 4 */
    .globl probe_ring0_start, probe_ring0_end, probe_ring0_bp, probe_ring0_store
probe_ring0_start:
    MARK(3)
1:  dec %rcx
    jnz 1b
probe_ring0_bp:
    nop
    nop
probe_ring0_store:
    movl %eax, PROBE_DATA
    nop
    MARK(4)
    hlt
probe_ring0_end:

/* ring 3 through SYSRET. Ring 3 reports by a store to PROBE_MMIO (mapped by the
 * probe's page tables, backed by no RAM: an MMIO exit), since neither port I/O
 * under IOPL 3 nor SYSCALL back to ring 0 works on every host. Marker 3 in ring 3,
 * a loop of r8 iterations, a breakpoint target, marker 4, then SYSCALL: its target
 * reports 0x10 + the CPL it runs at. */
    .globl probe_ring3_start, probe_ring3_end, probe_ring3_bp
probe_ring3_start:
    mov $0xc0000081, %ecx        /* STAR: kernel CS 0x10, sysret base 0x20 */
    xor %eax, %eax
    mov $0x00200010, %edx
    wrmsr
    mov $0xc0000082, %ecx        /* LSTAR */
    mov $ABS(4f, probe_ring3_start), %eax
    xor %edx, %edx
    wrmsr
    lea 2f(%rip), %rcx
    mov $0x2, %r11
    sysretq
2:  movb $3, PROBE_MMIO
    mov %r8, %rcx
1:  dec %rcx
    jnz 1b
probe_ring3_bp:
    nop
    nop
    movb $4, PROBE_MMIO
    syscall
    ud2
4:  mov %cs, %eax
    and $3, %al
    add $0x10, %al
    movb %al, PROBE_MMIO
    hlt
probe_ring3_end:

/* int3 in ring 3 (no IDT: if the guest gets it, it shuts down) */
    .globl probe_int3ring3_start, probe_int3ring3_end
probe_int3ring3_start:
    lea 2f(%rip), %rcx
    mov $0x2, %r11
    sysretq
2:  int3
    movb $4, PROBE_MMIO
    ud2
probe_int3ring3_end:

/* int3 in ring 0 */
    .globl probe_int3_start, probe_int3_end
probe_int3_start:
    int3
    MARK(4)
    hlt
probe_int3_end:

/* int3 in real mode; if it goes to the IVT, vector 3 is 0000:0000, where the
 * probe puts probe_ivt0 (marker 5) */
    .globl probe_int3real_start, probe_int3real_end, probe_ivt0_start, probe_ivt0_end
    .code16
probe_int3real_start:
    int3
    MARK(4)
    hlt
probe_int3real_end:
probe_ivt0_start:
    MARK(5)
    hlt
probe_ivt0_end:
    .code64

/* cmpxchg16b in ring 0 */
    .globl probe_cx16_start, probe_cx16_end
probe_cx16_start:
    xor %eax, %eax
    xor %edx, %edx
    xor %ebx, %ebx
    xor %ecx, %ecx
    mov $PROBE_DATA, %edi
    cmpxchg16b (%rdi)
    MARK(4)
    hlt
probe_cx16_end:

/* INIT/SIPI: the boot vCPU (flat 32-bit, no paging, so the LAPIC's page is
 * reachable) enables its LAPIC and starts APIC id 1 at 0x1000 (SIPI vector 1),
 * where probe_ap16 says it runs. */
#define LAPIC 0xfee00000
    .globl probe_apstart_start, probe_apstart_end
    .code32
probe_apstart_start:
    mov $LAPIC, %ebx
    movl $0x1ff, 0xf0(%ebx)          /* SVR: software enable, spurious vector 0xff */
    movl $0x01000000, 0x310(%ebx)    /* ICR high: destination APIC id 1 */
    movl $0x00004500, 0x300(%ebx)    /* INIT, level assert */
    movl $0x01000000, 0x310(%ebx)
    movl $0x00004601, 0x300(%ebx)    /* start-up IPI, vector 1: 0x1000 */
    MARK(6)
    hlt
probe_apstart_end:

    .globl probe_ap16_start, probe_ap16_end
    .code16
probe_ap16_start:
    MARK(7)
    hlt
probe_ap16_end:
    .code64

/* CPUID.1:ECX to the port as a 32-bit value */
    .globl probe_cpuid_start, probe_cpuid_end
probe_cpuid_start:
    mov $1, %eax
    xor %ecx, %ecx
    cpuid
    mov %ecx, %eax
    mov $PROBE_PORT, %dx
    out %eax, (%dx)
    hlt
probe_cpuid_end:

/* 32-bit paging: a 4 MiB PSE page directory at PROBE_DATA, then CR0.PG without LME */
    .globl probe_paging32_start, probe_paging32_end
    .code32
probe_paging32_start:
    movl $0x83, PROBE_DATA        /* PDE 0: present, writable, 4 MiB */
    mov %cr4, %eax
    or $0x10, %eax               /* PSE */
    mov %eax, %cr4
    mov $PROBE_DATA, %eax
    mov %eax, %cr3
    mov %cr0, %eax
    or $0x80000000, %eax
    mov %eax, %cr0
    jmp 1f
1:  MARK(4)
    hlt
probe_paging32_end:

/* real -> protected -> long, all by the guest, using the VMM's GDT and page tables */
    .globl probe_switch_start, probe_switch_end
    .code16
probe_switch_start:
    cli
    lgdtl %cs:ABS(3f, probe_switch_start)
    mov %cr0, %eax
    or $1, %eax
    mov %eax, %cr0
    ljmpl $0x08, $ABS(1f, probe_switch_start)
    .code32
1:  mov $0x18, %ax
    mov %ax, %ds
    mov %ax, %ss
    mov %cr4, %eax
    or $0x20, %eax               /* PAE */
    mov %eax, %cr4
    mov $PML4, %eax
    mov %eax, %cr3
    mov $0xc0000080, %ecx
    rdmsr
    or $0x100, %eax              /* LME */
    wrmsr
    mov %cr0, %eax
    or $0x80000000, %eax
    mov %eax, %cr0
    ljmp $0x10, $ABS(2f, probe_switch_start)
    .code64
2:  MARK(4)
    hlt
3:  .word 0x37
    .long VMM_GDT
probe_switch_end:

    .section .note.GNU-stack, "", @progbits
