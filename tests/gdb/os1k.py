# Source-level debugging of os-1k (tests/gdb/os1k.sh). Connected by
# gdbinit/os-1k.py at the kernel's first instruction, with the kernel's and the
# shell's symbols; the shell's stdin holds "crash-kernel-read".
import os
import re

import gdb

OS1K_SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "os-1k")


def func():
    f = gdb.selected_frame()
    return f.name() or "?"


def line():
    return gdb.selected_frame().find_sal().line


def val(expr):
    return int(gdb.parse_and_eval(expr)) & 0xffffffffffffffff


def src_line(name, text):
    """The line number of the first line of os-1k/NAME containing TEXT."""
    with open(os.path.join(OS1K_SRC, name)) as f:
        for i, l in enumerate(f, 1):
            if text in l:
                return i
    return -1


def info_cr3():
    """cr3 as `info registers cr3` shows it."""
    m = re.search(r"^cr3\s+(0x[0-9a-f]+)", run("info registers cr3"), re.M)
    return int(m.group(1), 16) if m else -1


check_eq("os1k_attach_at_boot", reg("rip"), sym("boot"))

# kernel_main: next over lines, step into a call, bt, finish, print
run("break kernel_main")
ev, code, out = resume()
check_eq("os1k_kernel_main_stop", stop_kind(ev), "breakpoint")
check_eq("os1k_kernel_main_func", func(), "kernel_main")
want = src_line("kernel.c", "memset(__bss, 0")
for _ in range(3):
    if line() == want:
        break
    run("next")
check_eq("os1k_next_to_memset", line(), want)
run("next")
check_eq("os1k_next_to_cpu_init", line(), src_line("kernel.c", "    cpu_init();"))
check_eq("os1k_bss_cleared", val("ticks"), 0)
run("next")
check_eq("os1k_next_to_printf", line(), src_line("kernel.c", 'printf("\\nos-1k'))
check_eq("os1k_print_idt_gate3", run("print/x idt[3].type").strip().split()[-1], "0xee")
check_eq("os1k_print_tss_iomap", val("tss.iomap_base"), 104)
run("step")
check_eq("os1k_step_into_printf", func(), "printf")
check("os1k_step_in_common_c", gdb.selected_frame().find_sal().symtab.filename.endswith("common.c"))
bt = run("bt")
check("os1k_bt_printf", re.search(r"^#0 +printf \(fmt=", bt, re.M) is not None, bt)
check("os1k_bt_kernel_main", re.search(r"^#1 .* in kernel_main \(\) at os-1k/kernel.c", bt, re.M) is not None, bt)
check("os1k_bt_boot", re.search(r"^#2 .* in boot \(\) at os-1k/boot.S", bt, re.M) is not None, bt)
ev, code, out = resume("finish")
check_eq("os1k_finish_back", func(), "kernel_main")
# finish returns to the instruction after the call: the end of printf's line, or
# (when the call was its last instruction) already the next line
want = src_line("kernel.c", "    paging_init();")
if line() != want:
    run("next")
check_eq("os1k_next_to_paging_init", line(), want)
cr3_vmm = info_cr3()
run("next")
check_eq("os1k_paging_init_loads_cr3", info_cr3(), val("(long)kernel_pml4"))
check("os1k_paging_init_changed_cr3", info_cr3() != cr3_vmm, hex(cr3_vmm))
run("delete")

# the shell's first entry to ring 3, its address space, and the process table entry
run("break user_entry")
ev, code, out = resume()
check_eq("os1k_user_entry_stop", func(), "user_entry")
check_eq("os1k_user_entry_pid", val("current_proc->pid"), 1)
cr3_shell = info_cr3()
check_eq("os1k_user_entry_cr3", cr3_shell, val("(long)procs[1].pml4"))
p = run("print procs[1]")
check("os1k_print_proc_pid", re.search(r"pid = 1,", p) is not None, p)
check("os1k_print_proc_state", "state = PROC_RUNNABLE" in p, p)
check("os1k_print_proc_pml4", ("pml4 = %#x" % cr3_shell) in p, p)
run("delete")

# the UART's receive interrupt (the input was queued before the shell first ran,
# so it comes as ring 3 starts) and a breakpoint in the ring-3 shell's main
# (plantable now that the shell's address space is current), in either order
run("break handle_irq if irq == 4")
run("break main")
seen = {}
for _ in range(3):
    ev, code, out = resume()
    if stop_kind(ev) != "breakpoint" or func() in seen:
        break
    seen[func()] = True
    if func() == "handle_irq":
        check_eq("os1k_irq4_irq", val("irq"), 4)
        run("delete %d" % ev.breakpoints[0].number)
    elif func() == "main":
        check_eq("os1k_user_main_cpl3", reg("cs") & 3, 3)
        check("os1k_user_main_file", gdb.selected_frame().find_sal().symtab.filename.endswith("shell.c"))
        break
check("os1k_irq4_stop", "handle_irq" in seen, str(seen))
check("os1k_user_main_stop", "main" in seen, str(seen))
check_eq("os1k_user_main_func", func(), "main")
run("delete")

# the system-call handler when the shell prints its prompt; bt reaches the shell
run("break handle_syscall")
ev, code, out = resume()
check_eq("os1k_syscall_stop", func(), "handle_syscall")
check_eq("os1k_syscall_cpl0", reg("cs") & 3, 0)
check_eq("os1k_syscall_putchar", val("f->rax"), 1)
check_eq("os1k_syscall_char", chr(val("f->rdi") & 0xff), ">")
bt = run("bt")
for i, name in enumerate(["handle_syscall", "trap_handler", "trap_common", "syscall", "putchar", "printf", "main"]):
    check("os1k_syscall_bt_%d_%s" % (i, name), re.search(r"^#%d .*\b%s \(" % (i, name), bt, re.M) is not None, bt)
check_eq("os1k_syscall_cr3_shell", info_cr3(), cr3_shell)
run("delete")

# a breakpoint in user code set while the child that runs it does not exist yet:
# the shell spawns crash-kernel-read, a process with its own copy of the code in its
# own address space, and the breakpoint stops there (vmm/debug/swbp.c)
check_eq("os1k_no_child_yet", val("procs[2].state"), 0)
run("break crash_kernel_read")
ev, code, out = resume()
check_eq("os1k_child_break_kind", stop_kind(ev), "breakpoint")
check_eq("os1k_child_break_func", func(), "crash_kernel_read")
check_eq("os1k_child_pid", val("current_proc->pid"), 2)
check_eq("os1k_child_break_cpl3", reg("cs") & 3, 3)
cr3_child = info_cr3()
check_eq("os1k_child_cr3", cr3_child, val("(long)procs[2].pml4"))
check("os1k_child_cr3_differs", cr3_child != cr3_shell, hex(cr3_child))
run("delete")
run("break report_exception")
ev, code, out = resume()
check_eq("os1k_fault_stop", func(), "report_exception")
check_eq("os1k_fault_vector", val("f->vector"), 14)
check_eq("os1k_fault_error", val("f->error"), 5)
check_eq("os1k_fault_user", val("f->cs") & 3, 3)
check_eq("os1k_fault_pid", val("current_proc->pid"), 2)
run("delete")

# the idle process, in the kernel's address space, waiting with the shell blocked on input
run("break wait_for_interrupt")
ev, code, out = resume()
check_eq("os1k_idle_stop", func(), "wait_for_interrupt")
check_eq("os1k_idle_pid", val("current_proc->pid"), 0)
cr3_idle = info_cr3()
check_eq("os1k_idle_cr3_kernel", cr3_idle, val("(long)kernel_pml4"))
check_eq("os1k_three_cr3s", len({cr3_idle, cr3_shell, cr3_child}), 3)
run("delete")

# a watchpoint on the tick counter stops in the timer interrupt
before = val("ticks")
out = run("watch ticks")
check("os1k_watch_set", "atchpoint" in out, out)
ev, code, out = resume()
check_eq("os1k_watch_stop", stop_kind(ev), "watchpoint")
check_eq("os1k_watch_func", func(), "handle_irq")
check_eq("os1k_watch_irq0", val("irq"), 0)
check_eq("os1k_watch_incremented", val("ticks"), before + 1)
run("delete")

script_end()
