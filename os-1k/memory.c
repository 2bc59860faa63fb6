/* Pages and 4-level page tables. Guest-physical memory is identity-mapped in the
 * kernel's half, so a page's physical address is also a pointer to it. */
#include "kernel.h"

extern char __free_ram[], __free_ram_end[], __trampoline[];

uint64_t *kernel_pml4;
static uint64_t next_free = (uint64_t)__free_ram;
static uint64_t free_list; /* freed pages, linked through their first word */

uint64_t alloc_page(void)
{
    uint64_t page = free_list;
    if (page) {
        free_list = *(uint64_t *)page;
    } else {
        if (next_free >= (uint64_t)__free_ram_end)
            PANIC("out of memory");
        page = next_free;
        next_free += PAGE_SIZE;
    }
    memset((void *)page, 0, PAGE_SIZE);
    return page;
}

static void free_page(uint64_t page)
{
    *(uint64_t *)page = free_list;
    free_list = page;
}

/* The entry for VA in the table at LEVEL (4: PML4 ... 1: page table), making
 * missing tables on the way if CREATE. Tables above the leaf allow everything;
 * the leaf's bits decide (a large page is a leaf: NULL below it). */
static uint64_t *walk(uint64_t *table, uint64_t va, int level, bool create)
{
    for (int l = 4; l > level; l--) {
        uint64_t *e = &table[va >> (12 + 9 * (l - 1)) & 511];
        if (!(*e & PTE_P)) {
            if (!create)
                return NULL;
            *e = alloc_page() | PTE_P | PTE_W | PTE_U;
        } else if (*e & PTE_PS) {
            return NULL;
        }
        table = (uint64_t *)(*e & PTE_ADDR);
    }
    return &table[va >> (12 + 9 * (level - 1)) & 511];
}

void map_page(uint64_t *pml4, uint64_t va, uint64_t pa, uint64_t flags)
{
    if (va % PAGE_SIZE || pa % PAGE_SIZE)
        PANIC("map_page: unaligned va %lx or pa %lx", va, pa);
    *walk(pml4, va, 1, true) = pa | flags | PTE_P;
}

/* The kernel's first GiB: RAM identity-mapped, supervisor-only, the first 2 MiB
 * in 4 KiB pages (page 0 stays out, so NULL faults), the rest in 2 MiB pages.
 * The one exception is the system-call trampoline (boot.S), which user mode may
 * execute. Every address space shares this page directory. */
void paging_init(void)
{
    kernel_pml4 = (uint64_t *)alloc_page();
    uint64_t *pt = walk(kernel_pml4, 0, 1, true);
    for (uint64_t i = 1; i < 512; i++)
        pt[i] = i * PAGE_SIZE | PTE_P | PTE_W;
    pt[(uint64_t)__trampoline / PAGE_SIZE] = (uint64_t)__trampoline | PTE_P | PTE_U;
    uint64_t *pd = walk(kernel_pml4, 0, 2, false);
    uint64_t ram_end = ALIGN_UP((uint64_t)__free_ram_end, LARGE_PAGE_SIZE);
    for (uint64_t pa = LARGE_PAGE_SIZE; pa < ram_end; pa += LARGE_PAGE_SIZE)
        pd[pa / LARGE_PAGE_SIZE] = pa | PTE_P | PTE_W | PTE_PS;
    write_cr3((uint64_t)kernel_pml4);
}

uint64_t *new_address_space(void)
{
    uint64_t *pml4 = (uint64_t *)alloc_page();
    uint64_t *pdpt = (uint64_t *)alloc_page();
    pml4[0] = (uint64_t)pdpt | PTE_P | PTE_W | PTE_U;
    pdpt[0] = *walk(kernel_pml4, 0, 3, false); /* the kernel's page directory */
    return pml4;
}

static void free_table(uint64_t *table, int level)
{
    for (int i = 0; i < 512; i++) {
        if (!(table[i] & PTE_P))
            continue;
        if (level > 1)
            free_table((uint64_t *)(table[i] & PTE_ADDR), level - 1);
        else
            free_page(table[i] & PTE_ADDR);
    }
    free_page((uint64_t)table);
}

/* Frees the user half: its pages and tables. Not while PML4 is in CR3. */
void free_address_space(uint64_t *pml4)
{
    uint64_t *pdpt = (uint64_t *)(pml4[0] & PTE_ADDR);
    pdpt[0] = 0; /* shared: not ours to free */
    free_table(pml4, 4);
}

/* Whether user code may access [va, va+len) itself; system calls check their
 * pointers with this before the kernel touches them. */
bool user_range_ok(uint64_t *pml4, uint64_t va, size_t len, bool write)
{
    uint64_t need = PTE_P | PTE_U | (write ? PTE_W : 0);
    if (va < USER_BASE || va + len < va || va + len > USER_STACK_TOP)
        return false;
    for (uint64_t page = va & ~(uint64_t)(PAGE_SIZE - 1); page < va + len; page += PAGE_SIZE) {
        uint64_t *e = walk(pml4, page, 1, false);
        if (!e || (*e & need) != need)
            return false;
    }
    return true;
}
