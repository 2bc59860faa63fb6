/* The kernel proper: boot, processes, traps and system calls. */
#include "kernel.h"

extern char __bss[], __bss_end[];
extern char shell_image[], shell_image_end[]; /* shell_image.S: the user image */

struct process procs[PROCS_MAX + 1];
struct process *current_proc;
static uint8_t kernel_stacks[PROCS_MAX][KSTACK_SIZE] __attribute__((aligned(16)));
static int last_exit_status;

/* A process running program PROG of the user image, ready to enter ring 3 on
 * its first switch; NULL when the table is full. */
static struct process *create_process(int prog)
{
    struct process *p = NULL;
    for (int i = 1; i <= PROCS_MAX && !p; i++)
        if (procs[i].state == PROC_UNUSED)
            p = &procs[i];
    if (!p)
        return NULL;

    uint64_t *pml4 = new_address_space();
    uint64_t image_size = shell_image_end - shell_image;
    for (uint64_t off = 0; off < image_size; off += PAGE_SIZE) {
        uint64_t page = alloc_page();
        uint64_t n = image_size - off < PAGE_SIZE ? image_size - off : PAGE_SIZE;
        memcpy((void *)page, shell_image + off, n);
        map_page(pml4, USER_BASE + off, page, PTE_U | PTE_W);
    }
    for (uint64_t va = USER_STACK_TOP - USER_STACK_SIZE; va < USER_STACK_TOP; va += PAGE_SIZE)
        map_page(pml4, va, alloc_page(), PTE_U | PTE_W);

    /* The kernel stack: a trap frame that returns to the user image's entry, and
     * under it what switch_context pops (six registers, then user_entry). */
    p->pid = p - procs;
    p->kstack_top = (uint64_t)kernel_stacks[p->pid - 1] + KSTACK_SIZE;
    struct trap_frame *f = (struct trap_frame *)(p->kstack_top - sizeof(*f));
    memset(f, 0, sizeof(*f));
    f->rip = USER_BASE;
    f->cs = SEL_UCODE;
    f->rflags = RFLAGS_IF | 2;
    f->rsp = USER_STACK_TOP - 8; /* as if called: rsp + 8 is 16-byte aligned */
    f->ss = SEL_UDATA;
    f->rdi = prog;
    uint64_t *sp = (uint64_t *)f;
    *--sp = (uint64_t)user_entry;
    for (int i = 0; i < 6; i++)
        *--sp = 0;
    p->sp = (uint64_t)sp;
    p->pml4 = pml4;
    p->state = PROC_RUNNABLE;
    return p;
}

/* Runs the next runnable user process after this one; a user process with
 * nobody else to run gives way to idle, which waits for the next interrupt. */
void yield(void)
{
    struct process *next = &procs[0];
    for (int i = 1; i <= PROCS_MAX; i++) {
        struct process *p = &procs[(current_proc->pid + i) % (PROCS_MAX + 1)];
        if (p->pid > 0 && p->state == PROC_RUNNABLE) {
            next = p;
            break;
        }
    }
    if (next == current_proc)
        return;
    struct process *prev = current_proc;
    set_kernel_stack(next->kstack_top);
    write_cr3((uint64_t)next->pml4);
    current_proc = next;
    switch_context(&prev->sp, &next->sp);
}

__attribute__((noreturn)) static void exit_process(int status)
{
    current_proc->state = PROC_EXITED;
    current_proc->exit_status = status;
    last_exit_status = status;
    yield();
    PANIC("exited process %d ran again", current_proc->pid);
}

/* Runs program PROG in a new process and waits for it to end. */
static int spawn(int prog)
{
    struct process *child = create_process(prog);
    if (!child)
        return -1;
    while (child->state != PROC_EXITED)
        yield();
    free_address_space(child->pml4);
    child->state = PROC_UNUSED;
    return child->exit_status;
}

/* Copies the user's NUL-terminated string at VA, or fails (-1). */
static int copy_user_string(char *dst, uint64_t va, size_t max)
{
    for (size_t i = 0; i < max; i++) {
        if ((i == 0 || (va + i) % PAGE_SIZE == 0) &&
            !user_range_ok(current_proc->pml4, va + i, 1, false))
            return -1;
        dst[i] = ((const char *)va)[i];
        if (dst[i] == '\0')
            return 0;
    }
    return -1;
}

static int64_t sys_file(struct trap_frame *f)
{
    char name[FILE_NAME_MAX];
    uint64_t buf = f->rsi, len = f->rdx;
    bool write = f->rax == SYS_WRITEFILE;
    if (copy_user_string(name, f->rdi, sizeof(name)) < 0 || !name[0] ||
        !user_range_ok(current_proc->pml4, buf, len, !write) || (write && len > FILE_DATA_MAX))
        return -1;
    struct file *file = fs_lookup(name, write);
    if (!file)
        return -1;
    if (!write) {
        len = len < file->size ? len : file->size;
        memcpy((void *)buf, file->data, len);
        return len;
    }
    memcpy(file->data, (const void *)buf, len);
    file->size = len;
    return fs_flush() < 0 ? -1 : (int64_t)len;
}

static int64_t sys_listfile(uint64_t index, uint64_t buf, uint64_t len)
{
    int n = 0;
    for (int i = 0; i < FILES_MAX; i++) {
        if (!files[i].in_use || n++ != (int)index)
            continue;
        size_t need = strlen(files[i].name) + 1;
        if (need > len || !user_range_ok(current_proc->pml4, buf, need, true))
            return -1;
        memcpy((void *)buf, files[i].name, need);
        return files[i].size;
    }
    return -1;
}

static void handle_syscall(struct trap_frame *f)
{
    int64_t ret = 0;
    switch (f->rax) {
    case SYS_PUTCHAR: putchar(f->rdi); break;
    case SYS_GETCHAR:
        while ((ret = console_getc()) < 0)
            yield(); /* idle waits for the UART's interrupt (or the timer's) */
        break;
    case SYS_EXIT:
        printf("process %d exited with status %d\n", current_proc->pid, (int)f->rdi);
        exit_process((int)f->rdi);
    case SYS_READFILE:
    case SYS_WRITEFILE: ret = sys_file(f); break;
    case SYS_YIELD: yield(); break;
    case SYS_UPTIME: ret = ticks; break;
    case SYS_LISTFILE: ret = sys_listfile(f->rdi, f->rsi, f->rdx); break;
    case SYS_SPAWN: ret = spawn(f->rdi); break;
    default: ret = -1; break;
    }
    f->rax = ret;
}

void trap_handler(struct trap_frame *f)
{
    if (f->vector == VEC_SYSCALL || (f->vector == 3 && f->rip == (uint64_t)syscall_bp_return)) {
        f->rip = f->rcx; /* SYSCALL saved the user's rip and rflags there */
        f->rflags = (f->r11 & RFLAGS_USER) | RFLAGS_IF | 2;
        handle_syscall(f);
        return;
    }
    if (f->vector >= IRQ_BASE && f->vector < IRQ_BASE + 16) {
        handle_irq(f->vector - IRQ_BASE);
        return;
    }
    report_exception(f);
    if ((f->cs & 3) == 3) {
        printf("process %d killed\n", current_proc->pid);
        exit_process(-1);
    }
    PANIC("unexpected trap %lu in the kernel", f->vector);
}

/* Idle's pause: interrupts on until the next one has been handled. */
static void wait_for_interrupt(void)
{
    __asm__ volatile("sti; hlt; cli");
}

void kernel_main(void)
{
    memset(__bss, 0, __bss_end - __bss);
    cpu_init();
    printf("\nos-1k: Operating System in 1000 Lines, x86-64 port\n");
    paging_init();
    irq_init();
    fs_init();

    current_proc = &procs[0]; /* from here on this is the idle process */
    procs[0].pml4 = kernel_pml4;
    procs[0].state = PROC_RUNNABLE;
    if (!create_process(PROG_SHELL))
        PANIC("cannot create the shell");
    for (;;) {
        yield();
        int live = 0;
        for (int i = 1; i <= PROCS_MAX; i++)
            live += procs[i].state == PROC_RUNNABLE;
        if (live == 0) {
            printf("os-1k: no processes left, exiting with status %d\n", last_exit_status);
            machine_exit(last_exit_status);
        }
        wait_for_interrupt();
    }
}
