# mini-kvm: following a Linux boot from the bzImage's first instruction.
#   vmm --gdb 1234 --linux build/linux/bzImage --initrd build/linux/initramfs.cpio
#   gdb -x gdbinit/common.gdb -x gdbinit/linux-boot.py -ex 'mkvm-connect 1234'
# (from any directory: give the paths to this tree's gdbinit/)
# then, stage by stage:
#   lb-decompressor     symbols of the decompressor where it runs C; hbreak extract_kernel
#   lb-kernel           hbreak at the decompressed kernel's startup_64 (physical)
#   lb-symbols          the kernel's own symbols (vmlinux), and Linux's gdb scripts
#                       (vmlinux-gdb.py: lx-dmesg, lx-ps, $lx_current(), ...)
#   lb-start-kernel     on to start_kernel (hbreak, then a software break)
# Files: $lb_dir (default: this tree's build/linux): decompressor.elf, vmlinux; set
# with lb-dir DIR.
#
# hbreak or break, per stage:
# - First instruction (load address + 0x200, the decompressor's startup_64, or the
#   load address with --linux-entry 32): the VMM stops there before the guest runs.
# - Decompressor before it moves: its code is at the load address (0x1000000 for
#   the test kernel), linked at 0: add-symbol-file decompressor.elf -o 0x1000000.
#   Use hbreak: startup_64 copies the whole image (code, and any int3 gdb planted)
#   to the end of its buffer; a software breakpoint would be copied too and hit
#   later as a stray int3 that is no longer gdb's.
# - Decompressor after it moved (.Lrelocated, extract_kernel): it runs at
#   load + init_size - _end (init_size: the bzImage's setup header at 0x260).
#   hbreak again: its output overwrites the old copy, and software breakpoints in
#   a region that is about to be overwritten vanish silently.
# - Decompressed kernel, before paging switches to its own tables: code runs at
#   the physical load address (startup_64 = 0x1000000) while vmlinux's symbols are
#   virtual (0xffffffff81000000): hbreak *0x1000000. Its virtual mapping does not
#   exist yet, so a software breakpoint by symbol cannot even be inserted there.
# - x86_64_start_kernel and later: the kernel runs at its virtual addresses; hbreak
#   by symbol works at once (debug registers compare linear addresses), `break`
#   works once the mapping exists (from x86_64_start_kernel on). Software
#   breakpoints are int3s the VMM recognises (this host reports a ring-0 int3 as
#   an emulation failure); the kernel's own int3s still reach its #BP handler.
# - Four hardware breakpoints at most (DR0-3); delete as you go.
# - User space: where ring 3 runs natively here, breakpoints there are int3s the
#   VMM catches at the kernel's #BP gate; see docs/host-probe.md.
# - Triple faults stop as SIGSEGV at the faulting instruction: `x/i $pc`,
#   `monitor regs`, `monitor idt` (vmm --linux-test-break makes one for practice).

import os

import gdb

gdb.set_convenience_variable("lb_load", 0x1000000)
gdb.set_convenience_variable("lb_entry_off", 0x200)
_TREE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _lb_dir():
    d = gdb.convenience_variable("lb_dir")
    return d.string() if d is not None else os.path.join(_TREE, "build", "linux")

def _lb_init_size():
    # the zero page the VMM built (rsi at the first instruction; 0x10000 always)
    data = gdb.selected_inferior().read_memory(0x10000 + 0x260, 4).tobytes()
    return int.from_bytes(data, "little")

class LbDir(gdb.Command):
    """lb-dir DIR: where decompressor.elf and vmlinux are (default build/linux)."""
    def __init__(self):
        super().__init__("lb-dir", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        gdb.set_convenience_variable("lb_dir", arg.strip())

class LbDecompressor(gdb.Command):
    """Symbols of the relocated decompressor and a hardware breakpoint at extract_kernel."""
    def __init__(self):
        super().__init__("lb-decompressor", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        load = int(gdb.parse_and_eval("$lb_load"))
        elf = _lb_dir() + "/decompressor.elf"
        gdb.execute("symbol-file", to_string=True)
        gdb.execute("add-symbol-file %s -o %#x" % (elf, load), to_string=True)
        end = int(gdb.parse_and_eval("(long)&_end")) - load
        reloc = load + _lb_init_size() - end
        gdb.execute("symbol-file", to_string=True)
        gdb.execute("add-symbol-file %s -o %#x" % (elf, reloc), to_string=True)
        gdb.write("decompressor runs at %#x after relocation\n" % reloc)
        gdb.execute("hbreak extract_kernel")

class LbKernel(gdb.Command):
    """Hardware breakpoint at the decompressed kernel's first instruction (physical)."""
    def __init__(self):
        super().__init__("lb-kernel", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        gdb.execute("hbreak *%#x" % int(gdb.parse_and_eval("$lb_load")))

class LbSymbols(gdb.Command):
    """Load the kernel's own symbols (vmlinux) and Linux's gdb scripts beside it
    (vmlinux-gdb.py: lx-dmesg, lx-ps, lx-symbols, $lx_current(), ...)."""
    def __init__(self):
        super().__init__("lb-symbols", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        d = _lb_dir()
        # gdb loads vmlinux-gdb.py with vmlinux only from a safe path
        gdb.execute("add-auto-load-safe-path %s" % d, to_string=True)
        gdb.execute("symbol-file", to_string=True)
        gdb.execute("file %s/vmlinux" % d)
        if not os.path.exists(os.path.join(d, "vmlinux-gdb.py")):
            gdb.write("no %s/vmlinux-gdb.py: lx-* commands need a kernel built with "
                      "CONFIG_GDB_SCRIPTS and `make scripts_gdb`\n" % d)

class LbStartKernel(gdb.Command):
    """Run to start_kernel: hbreak x86_64_start_kernel, then break start_kernel."""
    def __init__(self):
        super().__init__("lb-start-kernel", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        gdb.execute("hbreak x86_64_start_kernel")
        gdb.execute("continue")
        gdb.execute("delete")
        gdb.execute("break start_kernel")
        gdb.execute("continue")

LbDir()
LbDecompressor()
LbKernel()
LbSymbols()
LbStartKernel()
