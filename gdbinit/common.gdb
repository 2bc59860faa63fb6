# mini-kvm: settings and commands for every workflow. Works from any directory:
#   gdb -x /path/to/gdbinit/common.gdb -ex 'mkvm-connect 1234'
# The VMM describes the guest in its own mode (i8086, i386, i386:x86-64) and
# reports a mode switch as an exec event, on which gdb re-reads the description.
# The catchpoint below makes stepping commands stop there (a stepi across
# `mov %eax,%cr0` ends at the next instruction, disassembled in the new mode) while
# continue follows the switch silently.
set pagination off
set confirm off
set print pretty on

set $_mkvm_step = 0
catch exec
condition $bpnum $_mkvm_step
define hook-stepi
  set $_mkvm_step = 1
end
define hook-nexti
  set $_mkvm_step = 1
end
define hook-step
  set $_mkvm_step = 1
end
define hook-next
  set $_mkvm_step = 1
end
define hook-finish
  set $_mkvm_step = 1
end
define hook-until
  set $_mkvm_step = 1
end
define hook-advance
  set $_mkvm_step = 1
end
define hook-continue
  set $_mkvm_step = 0
end

define mkvm-connect
  if $argc == 0
    target remote 127.0.0.1:1234
  else
    target remote 127.0.0.1:$arg0
  end
end
document mkvm-connect
Connect to `vmm --gdb PORT` on this machine: mkvm-connect [PORT] (default 1234).
end

define mkvm-regs
  monitor regs
end
document mkvm-regs
Segments with their hidden parts, descriptor tables, control registers, EFER, flags.
end

define mkvm-pt
  monitor pt $arg0
end
document mkvm-pt
Walk the guest page tables for a linear address: mkvm-pt ADDR.
end

define mkvm-mode
  monitor mode
end
document mkvm-mode
The selected vCPU's CPU mode, CPL and paging kind (cs:ip in real mode).
end

python
import gdb


class MkvmLinear(gdb.Function):
    """$lin(SEG, OFF): the linear address of real-mode SEG:OFF (SEG*16 + OFF), for
    x, break and print: x/8i $lin(0x7c0, 0x10)."""

    def __init__(self):
        super().__init__("lin")

    def invoke(self, seg, off):
        return (int(seg) & 0xffff) * 16 + (int(off) & 0xffff)


MkvmLinear()
end
