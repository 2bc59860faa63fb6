# tests/gdb/linux_entry32.sh: WANT32 / WANT64 are objdump's texts of the first
# instructions of startup_32 (i386) and startup_64 (x86-64).
import gdb


def insns(n):
    """The next N instructions from $pc as gdb disassembles them (mnemonic, operands)."""
    out = []
    for line in run("x/%di $pc" % n).splitlines():
        text = line.split(":", 1)[-1].strip() if ":" in line else ""
        out.append(" ".join(text.split()))
    return out


def norm(texts):
    return [" ".join(t.split()) for t in texts]


check_eq("linux_entry32_first_insn", hex(reg("rip")), hex(sym("startup_32")))
check_eq("linux_entry32_arch_i386", arch(), "i386")
check_eq("linux_entry32_disassembly", insns(len(WANT32)), norm(WANT32))
# three steps stay in 32-bit code and show it
for i in range(3):
    run("stepi")
    check_eq("linux_entry32_step_%d_still_i386" % i, arch(), "i386")
# on to the 64-bit entry across the switch to long mode: gdb follows it (the exec
# event) and stops at the breakpoint in long mode
out = run("hbreak *%#x" % sym("startup_64"))
ev, code, out = resume()
check_eq("linux_entry32_reached_startup_64", hex(reg("rip")), hex(sym("startup_64")))
check_eq("linux_entry32_arch_x86_64", arch(), "i386:x86-64")
check_eq("linux_entry32_disassembly_64", insns(len(WANT64)), norm(WANT64))
check("linux_entry32_long_mode", reg("efer") & 0x400 != 0, hex(reg("efer")))

script_end()
