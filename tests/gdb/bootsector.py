# Plain gdb against guests/boot/bootcs (see bootsector.sh). The shell passes objdump's
# 16-bit disassembly of the image ($BOOT_OBJDUMP: "ADDR<tab>TEXT" lines).
import os
import re

import gdb

objdump = {}
with open(os.environ["BOOT_OBJDUMP"]) as f:
    for l in f:
        a, t = l.rstrip("\n").split("\t", 1)
        objdump[int(a, 16)] = t


def norm(text):
    """An instruction's text without symbolic suffixes and 0x prefixes, blanks
    collapsed (objdump of a flat image prints no symbols)."""
    text = re.sub(r"\s*<[^>]*>", "", text)
    return " ".join(text.replace("0x", "").split())


def x_i(where, n):
    """(address, text) of the N instructions gdb's x/Ni shows at WHERE."""
    out = []
    for l in run("x/%di %s" % (n, where)).split("\n"):
        m = re.match(r"^(?:=>)?\s*0x([0-9a-f]+)(?: <[^>]*>)?:\s*(.*)$", l)
        if m:
            out.append((int(m.group(1), 16), m.group(2)))
    return out


# attach: 0000:7C00, the far jump; gdb sees a 16-bit machine
check_eq("bootsector_arch_i8086", arch(), "i8086")
out = run("show architecture")
check("bootsector_show_architecture_i8086", '(currently "i8086")' in out, out)
check_eq("bootsector_attach_pc", int(gdb.parse_and_eval("$pc")), 0x7c00)
check_eq("bootsector_attach_cs", int(gdb.parse_and_eval("$cs")), 0)
got = x_i("$pc", 1)
check_eq("bootsector_x_i_ljmp", [(a, norm(t)) for a, t in got], [(0x7c00, norm(objdump[0x7c00]))])
check("bootsector_ljmp_text", "ljmp" in objdump[0x7c00] and "0x7c0" in objdump[0x7c00], objdump[0x7c00])

# Software breakpoints in real mode need a host that reports the int3 or fires a
# debug register at the guest's vector-3 handler (vmm --probe; the shell passes what
# it said). Where neither holds, `start` is reached by one stepi (the far jump).
break_ok = os.environ.get("BOOT_BREAK_OK") == "1"

# a breakpoint by symbol after the far jump: exactly one stop, at the linear address
stops, resumes = [], []
gdb.events.stop.connect(stops.append)
gdb.events.cont.connect(resumes.append)
out = run("break start")
check("bootsector_break_at_linear", re.search(r"Breakpoint 1 at 0x7c05", out), out)
if break_ok:
    ev, code, out = resume()
    check_eq("bootsector_break_kind", stop_kind(ev), "breakpoint")
    check_eq("bootsector_break_hit_count", gdb.breakpoints()[0].hit_count, 1)
else:
    run("delete")
    gdb.write("skip bootsector_break_stops: %s\n" % os.environ.get("BOOT_BREAK_WHY", ""))
    ev, code, out = resume("stepi")
gdb.events.stop.disconnect(stops.append)
gdb.events.cont.disconnect(resumes.append)
check_eq("bootsector_break_one_stop", len(stops), 1)
check_eq("bootsector_break_one_resume", len(resumes), 1)
check_eq("bootsector_break_pc_linear", int(gdb.parse_and_eval("$pc")), sym("start"))
check_eq("bootsector_break_pc_0x7c05", int(gdb.parse_and_eval("$pc")), 0x7c05)
check_eq("bootsector_break_cs", int(gdb.parse_and_eval("$cs")), 0x7c0)
check_eq("bootsector_break_arch", arch(), "i8086")
check_eq("bootsector_break_symbol", gdb.selected_frame().name(), "start")
check("bootsector_p_pc_symbol", "<start>" in run("print $pc"), run("print $pc"))

# x/8i $pc: objdump's 16-bit text at the same eight addresses
got = x_i("$pc", 8)
check_eq("bootsector_x8i_count", len(got), 8)
check_eq("bootsector_x8i_first", got[0][0] if got else None, 0x7c05)
for a, t in got:
    check_eq("bootsector_x8i_%x" % a, norm(t), norm(objdump.get(a, "(no instruction at %x)" % a)))

# stepi follows IP in the 07C0 segment: six steps reach print (the call's target)
for _ in range(6):
    run("stepi")
check_eq("bootsector_stepi_into_print", int(gdb.parse_and_eval("$pc")), sym("print"))
check_eq("bootsector_stepi_cs", int(gdb.parse_and_eval("$cs")), 0x7c0)
check_eq("bootsector_stepi_si", int(gdb.parse_and_eval("$esi")) & 0xffff, sym("msg") - 0x7c00)
run("delete")

ev, code, out = resume()
check_eq("bootsector_exit_code_5", code, 5)

script_end()
