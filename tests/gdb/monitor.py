# monitor commands through gdb's qRcmd, and the fifth hardware breakpoint refused.
import gdb

out = run("monitor help")
for c in ("regs", "mode", "pt ADDR", "gdt", "idt [N]", "phys ADDR LEN", "exits", "probe"):
    check("monitor_help_lists_" + c.split()[0], c in out, out)
out = run("monitor regs")
for pat in ("cs   0x0010", "cr0  0x80000033 PE MP ET NE PG", "efer 0xd01 SCE LME LMA NXE", "gdtr base"):
    check("monitor_regs_has_" + pat.split()[0], pat in out, out[:400])
check_eq("monitor_mode", run("monitor mode").strip(), "vCPU 0: long mode, CPL 0, paging 4-level")
out = run("monitor pt 0x100000")
check("monitor_pt_levels", "PML4[0x000]" in out and "PDPT[0x000]" in out and "PD[0x000]" in out, out)
check("monitor_pt_result", "-> phys 0x100000 (2M page, writable, user)" in out, out)
out = run("monitor pt 0x800000000000")
check("monitor_pt_noncanonical", "non-canonical" in out, out)
out = run("monitor gdt")
check("monitor_gdt_entries", "7 entries" in out and "0x0010 00af9b000000ffff" in out, out)
check("monitor_idt_empty", "IDT is empty" in run("monitor idt"))
out = run("monitor phys 0x100000 16")
check("monitor_phys_dump", out.startswith("00100000  b9 01 00 00 00"), out)
# a failing or unknown command says why and answers OK: a gdb script goes on
out = run("monitor phys 0xfffff000 16")
check("monitor_phys_outside_says_so", "is outside guest RAM" in out and "gdb.error" not in out, out)
gdb.write(out)
check("monitor_exits", run("monitor exits").startswith("exits: "))
# QEMU's commands that existing scripts send (Linux's scripts/gdb: info version)
out = run("monitor info version")
check("monitor_qemu_info_version", out.startswith("mini-kvm"), out)
check("monitor_qemu_info_registers", "cr0  0x80000033" in run("monitor info registers"))
check_eq("monitor_qemu_xp_bytes", run("monitor xp /4xb 0x100000").strip(),
         "0000000000100000: 0xb9 0x01 0x00 0x00")
out = run("monitor xp /3xw 0x100000")
check("monitor_qemu_xp_words", out.startswith("0000000000100000: 0x000001b9 0x") and
      out.count(" 0x") == 3, out)
check("monitor_qemu_xp_bad_format", "usage: xp" in run("monitor xp /4q 0x100000"))
out = run("monitor probe")
check("monitor_probe_table", "ring-0 instruction cost" in out and "behaviour" in out, out[:200])
# a read that runs off the end of guest RAM (4 MiB here): gdb gets the readable part
# and names the first address that is not (vmm/debug: page by page, prefix kept)
try:
    gdb.selected_inferior().read_memory(0x3ffffc, 8)
    check("partial_read_fails_past_ram", False, "read past the end of RAM succeeded")
except gdb.MemoryError as e:
    check("partial_read_names_first_bad_address", "0x400000" in str(e), str(e))
check_eq("partial_read_prefix_readable",
         len(gdb.selected_inferior().read_memory(0x3ffffc, 4).tobytes()), 4)
out = run("monitor bogus")
check("monitor_unknown_command_says_so", "unknown monitor command" in out and "gdb.error" not in out,
      out)
gdb.write(out)

for i, s in enumerate(("step1", "step2", "step3", "step4", "loop")):
    run("hbreak " + s)
check("hbreak_fifth_refused", run_shown("continue"))
run("delete 5")
ev, code, out = resume()
check_eq("hbreak_four_still_work", hex(reg("rip")), hex(sym("step1")))

script_end()
