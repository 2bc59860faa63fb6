# gdb through a Linux boot (tests/gdb/linux_gdb.sh): the first instruction, the
# decompressor's C entry after it relocated itself, 50 steps inside it, the
# decompressed kernel's startup_64, then start_kernel by symbol with a backtrace.
# Set before sourcing: LINUX_OUT (build/linux), INIT_SIZE (the bzImage's init_size).
import gdb

LOAD = 0x1000000                  # the test kernel's pref_address (not relocatable)
decomp = LINUX_OUT + "/decompressor.elf"
vmlinux = LINUX_OUT + "/vmlinux"

check_eq("linux_gdb_first_insn", hex(reg("rip")), hex(LOAD + 0x200))
check_eq("linux_gdb_zero_page_in_rsi", hex(reg("rsi")), hex(0x10000))
check("linux_gdb_first_insn_long_mode", reg("cs") == 0x10, "cs %#x" % reg("cs"))

# The decompressor moves itself to the end of its buffer before running C:
# startup_64 computes rbx = load + init_size - _end (what the symbols need added).
run("add-symbol-file %s -o %#x" % (decomp, LOAD))
end = sym("_end") - LOAD
reloc = LOAD + INIT_SIZE - end
run("symbol-file")
run("add-symbol-file %s -o %#x" % (decomp, reloc))
ek = sym("extract_kernel")
out = run("hbreak extract_kernel")
check("linux_gdb_hbreak_decompressor", "Hardware assisted breakpoint" in out, out)
ev, code, out = resume()
check_eq("linux_gdb_stop_decompressor", stop_kind(ev), "breakpoint")
check_eq("linux_gdb_at_extract_kernel", hex(reg("rip")), hex(ek))
run("delete")

# 50 single steps, every one inside the relocated decompressor's image.
rips = []
for _ in range(50):
    run("stepi")
    rips.append(reg("rip"))
inside = [r for r in rips if reloc <= r < reloc + end]
check_eq("linux_gdb_50_steps_inside_decompressor", len(inside), 50)
check("linux_gdb_steps_move", len(set(rips)) > 10, "distinct rips %d" % len(set(rips)))

# The decompressed kernel starts at its physical load address, paging as the
# decompressor left it (identity): a hardware breakpoint, the code is not there yet.
out = run("hbreak *%#x" % LOAD)
ev, code, out = resume()
check_eq("linux_gdb_stop_kernel_startup_64", stop_kind(ev), "breakpoint")
check_eq("linux_gdb_at_kernel_startup_64", hex(reg("rip")), hex(LOAD))
run("delete")

# With the kernel's symbols: x86_64_start_kernel (hbreak: its virtual mapping
# does not exist yet), then start_kernel with a software breakpoint.
run("symbol-file")
run("file " + vmlinux)
check_eq("linux_gdb_startup_64_is_symbol", hex(sym("startup_64") & 0x3fffffff), hex(LOAD & 0x3fffffff))
run("hbreak x86_64_start_kernel")
ev, code, out = resume()
check_eq("linux_gdb_stop_x86_64_start_kernel", hex(reg("rip")), hex(sym("x86_64_start_kernel")))
run("delete")
out = run("break start_kernel")
check("linux_gdb_break_start_kernel", out.startswith("Breakpoint"), out)
ev, code, out = resume()
check_eq("linux_gdb_stop_start_kernel_kind", stop_kind(ev), "breakpoint")
check_eq("linux_gdb_stop_start_kernel", hex(reg("rip")), hex(sym("start_kernel")))
bt = run("bt")
gdb.write(bt)
check("linux_gdb_bt_start_kernel", "start_kernel" in bt.splitlines()[0] if bt else False, bt)
# DWARF line info; the callers (x86_64_start_kernel -> x86_64_start_reservations)
# reach start_kernel by tail jumps and secondary_startup_64 enters them through a
# far return with no return address, so frame #0 is the whole honest backtrace.
check("linux_gdb_bt_source_line", "init/main.c:" in bt, bt)
run("delete")

script_end()
