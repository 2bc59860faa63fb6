# One gdb session against a dbgtest guest (guests/include/dbgtest.inc), the same in
# every CPU mode. The shell passes the mode as $_mode_name and the expected first
# instruction bytes as $_first_bytes (a string of hex).
import gdb

mode = str(gdb.parse_and_eval("$_mode_name")).strip('"')
first = str(gdb.parse_and_eval("$_first_bytes")).strip('"')


def n(s):
    return "%s_%s" % (mode, s)


check_eq(n("attach_rip"), reg("rip"), sym("step0"))
for i in range(1, 5):
    run("stepi")
    check_eq(n("stepi_%d_rip" % i), reg("rip"), sym("step%d" % i))

# gdb describes the guest in its own mode: 16-bit code as i8086, 32-bit as i386
want_arch = {"real": "i8086", "protected": "i386", "long": "i386:x86-64"}[mode]
check_eq(n("gdb_architecture"), arch(), want_arch)
regs = run("info registers")
for r in ("rax", "rip", "eflags", "cs", "cr0", "efer"):
    r = regname(r)
    check(n("info_registers_has_" + r), ("\n" + r + " ") in ("\n" + regs), regs[:300])
# gdb's own disassembly equals objdump's for the mode (the shell passed it)
want = str(gdb.parse_and_eval("$_objdump_step0")).strip('"')
got = run("x/i step0").split(":", 1)[-1].strip()
check_eq(n("x_i_matches_objdump"), " ".join(got.split()), " ".join(want.split()))
xb = run("x/16xb step0")
check(n("x16xb_first_bytes"), xb.replace("\t", " ").lower().find(
    " ".join("0x" + first[i:i + 2] for i in range(0, len(first), 2))) >= 0, xb)

run("set {char}&letter = 'Z'")
check_eq(n("set_char_readback"), chr(mem_u32(sym("letter")) & 0xff), "Z")

# (long): the symbol file is ELF64 while 16/32-bit gdb has 4-byte pointers, and gdb
# refuses to cast an 8-byte code address to one
out = run("watch *(int*)(long)&counter")
check(n("watch_set"), "atchpoint" in out, out)
ev, code, out = resume()
check_eq(n("watch_stop_kind"), stop_kind(ev), "watchpoint")
check_eq(n("watch_new_value_1"), mem_u32(sym("counter")), 1)
check(n("watch_stop_in_loop"), sym("loop") <= reg("rip") <= sym("loop") + 12, hex(reg("rip")))
ev, code, out = resume()
check_eq(n("watch_second_stop_kind"), stop_kind(ev), "watchpoint")
check_eq(n("watch_new_value_2"), mem_u32(sym("counter")), 2)
run("delete")

out = run("hbreak at_num")
check(n("hbreak_set"), "reakpoint" in out, out)
ev, code, out = resume()
check_eq(n("hbreak_stop_kind"), stop_kind(ev), "breakpoint")
check_eq(n("hbreak_hit_rip"), reg("rip"), sym("at_num"))
run("delete")
run("set $%s = 7" % regname("rax"))
check_eq(n("set_rax_readback"), reg("rax") & 0xffff, 7)

run("break later")
ev, code, out = resume()
check_eq(n("break_stop_kind"), stop_kind(ev), "breakpoint")
check_eq(n("break_hit_rip"), reg("rip"), sym("later"))
run("delete")
ev, code, out = resume()
check_eq(n("exited_with_code_3"), code, 3)

script_end()
