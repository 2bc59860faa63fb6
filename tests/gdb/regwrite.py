# Register writes from gdb: general registers, rip, eflags, segment selectors
# (real mode recomputes the base; protected/long mode loads the GDT descriptor),
# control registers with validation (a refused value is an error, nothing changes).
import gdb

mode = str(gdb.parse_and_eval("$_mode_name")).strip('"')


def seg_line(name):
    for line in run("monitor regs").splitlines():
        if line.startswith(name + " "):
            return line
    return ""


run("set $%s = 0x1122" % regname("rbx"))
check_eq(mode + "_write_rbx", reg("rbx") & 0xffff, 0x1122)
run("set $eflags = 0x202")
check_eq(mode + "_write_eflags", reg("eflags"), 0x202)
# by number: the symbols come from an ELF64 file, whose 8-byte code addresses gdb
# will not cast to the 4-byte pc of 16/32-bit code
out = run("set $pc = %#x" % sym("step1"))
check(mode + "_write_pc_accepted", "error" not in out, out)
check_eq(mode + "_write_pc_then_read", reg("rip"), sym("step1"))
run("set $pc = %#x" % sym("step0"))
cr0 = reg("cr0")
if mode == "real":
    run("set $ds = 0x20")
    check(mode + "_ds_base_recomputed", "base 0x200 " in seg_line("ds"), seg_line("ds"))
    run("set $ds = 0")
    # paging without protection is invalid: refused, cr0 unchanged
    check(mode + "_cr0_pg_without_pe_refused", run_shown("set $cr0 = (unsigned long) 0x80000010"))
    check_eq(mode + "_cr0_unchanged", reg("cr0"), cr0)
else:
    run("set $ds = 0x28")
    line = seg_line("ds")
    check(mode + "_ds_from_gdt_dpl3", "0x0028" in line and "dpl3" in line, line)
    run("set $ds = 0x18")
    check(mode + "_selector_past_gdt_refused", run_shown("set $es = 0x1000"))
    check(mode + "_es_unchanged", "0x0018" in seg_line("es"), seg_line("es"))
    # clearing PE while paging is on is invalid
    check(mode + "_cr0_pg_without_pe_refused", run_shown("set $cr0 = (unsigned long) 0x80000000"))
    check_eq(mode + "_cr0_unchanged", reg("cr0"), cr0)
ev, code, out = resume()
check_eq(mode + "_runs_on_after_writes", code, 3)

script_end()
