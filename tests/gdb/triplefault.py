# special/triplefault under gdb: continue stops with SIGSEGV at the faulting
# instruction, with registers, memory and the IDT still there to look at.
import gdb

ev, code, out = resume()
check_eq("triplefault_stop", stop_kind(ev), "signal:SIGSEGV")
check_eq("triplefault_rip", hex(reg("rip")), hex(sym("fault_insn")))
check("triplefault_registers_readable", "rip" in run("info registers rip"))
check_eq("triplefault_memory_readable", mem_u32(sym("fault_insn")) & 0xffff, 0x0b0f)  # ud2
idt = run("monitor idt")
check("triplefault_monitor_idt_empty", "empty" in idt, idt)
check("triplefault_monitor_idt_limit0", "limit 0x0" in idt, idt)

script_end()
