# mini-kvm: real-mode conveniences (a boot sector, a real-mode guest). Works from any
# directory, after common.gdb:
#   gdb -x gdbinit/common.gdb -x gdbinit/realmode.gdb -ex 'mkvm-connect 1234'
# gdb disassembles 16-bit code itself (the VMM describes real mode as i8086) and its
# $pc is the linear address CS*16 + IP, so symbols and breakpoints agree with the
# ELF at any CS. This adds the segment:offset view: `cs-ip`, and CS:IP with the
# instruction at every stop in real mode. $lin(SEG, OFF) (common.gdb) gives the
# linear address of SEG:OFF.
python
import gdb


def _cs_ip():
    cs = int(gdb.parse_and_eval("$cs")) & 0xffff
    pc = int(gdb.parse_and_eval("$pc"))
    return cs, (pc - (cs << 4)) & 0xffff, pc


class CsIp(gdb.Command):
    """Show CS:IP and the linear address it names."""

    def __init__(self):
        super().__init__("cs-ip", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        cs, ip, lin = _cs_ip()
        gdb.write("CS:IP %04x:%04x (linear 0x%x)\n" % (cs, ip, lin))


def _on_stop(ev):
    try:
        if int(gdb.parse_and_eval("$cr0")) & 1:
            return  # protected or long mode: no segment:offset to show
        cs, ip, lin = _cs_ip()
        gdb.write("CS:IP %04x:%04x\n" % (cs, ip))
    except gdb.error:
        pass


CsIp()
gdb.events.stop.connect(_on_stop)
end
