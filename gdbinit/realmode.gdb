# mini-kvm: real-mode debugging (a boot sector, a real-mode guest).
#   gdb -x gdbinit/common.gdb -x gdbinit/realmode.gdb -ex 'mkvm-connect 1234'
# gdb cannot switch its disassembler to 16 bits while the target describes x86-64
# registers (it rejects an i8086 description with 64-bit registers, and x86 has no
# disassembler-options), so 16-bit code is disassembled by objdump here. $pc is IP;
# memory addresses are linear (CS*16+IP): `cs-ip` shows both.
python
import subprocess
import tempfile
import gdb


def _cs_ip():
    cs = int(gdb.parse_and_eval("$cs")) & 0xffff
    ip = int(gdb.parse_and_eval("$rip")) & 0xffff
    return cs, ip, (cs << 4) + ip


def _dis16(linear, count):
    data = gdb.selected_inferior().read_memory(linear, count * 8).tobytes()
    with tempfile.NamedTemporaryFile(suffix=".bin") as f:
        f.write(data)
        f.flush()
        out = subprocess.run(["objdump", "-D", "-b", "binary", "-mi8086",
                              "--adjust-vma=0x%x" % linear, f.name],
                             capture_output=True, text=True).stdout
    lines = [l for l in out.splitlines() if l.strip().endswith(":") is False and ":\t" in l]
    return lines[:count]


class CsIp(gdb.Command):
    """Show CS:IP and the linear address it names."""
    def __init__(self):
        super().__init__("cs-ip", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        cs, ip, lin = _cs_ip()
        gdb.write("CS:IP %04x:%04x (linear 0x%x)\n" % (cs, ip, lin))


class X16(gdb.Command):
    """Disassemble as 16-bit code: x16 [LINEAR-ADDR [COUNT]] (default CS:IP, 5)."""
    def __init__(self):
        super().__init__("x16", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        addr = int(gdb.parse_and_eval(args[0])) if args else _cs_ip()[2]
        count = int(args[1]) if len(args) > 1 else 5
        for l in _dis16(addr, count):
            gdb.write(l + "\n")


def _on_stop(ev):
    try:
        cs, ip, lin = _cs_ip()
        if int(gdb.parse_and_eval("$cr0")) & 1:
            return                       # left real mode: gdb's own display is right
        gdb.write("CS:IP %04x:%04x  %s\n" % (cs, ip, (_dis16(lin, 1) or [""])[0].strip()))
    except gdb.error:
        pass


CsIp()
X16()
gdb.events.stop.connect(_on_stop)
end
