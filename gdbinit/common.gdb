# mini-kvm: settings and commands for every workflow.
#   gdb -x gdbinit/common.gdb -ex 'mkvm-connect 1234'
# The VMM serves one fixed x86-64 register set in every CPU mode, so gdb's
# architecture stays i386:x86-64; for an ELF32 guest say
# `set architecture i386:x86-64` before `file` (gdb would pick i386 from the ELF).
set pagination off
set confirm off
set print pretty on

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
The selected vCPU's CPU mode, CPL and paging kind.
end
