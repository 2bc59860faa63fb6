# os-1k under gdb, with the kernel's and the shell's symbols. From any directory:
#   terminal 1:  make debug            (the VMM waits for gdb on port 1234)
#   terminal 2:  gdb -x gdbinit/os-1k.py
# Another port or build directory: set them first, e.g.
#   gdb -ex 'set $os1k_port = 5555' -ex 'set $os1k_dir = "build-asan/os-1k"' -x gdbinit/os-1k.py
# It loads common.gdb and os-1k-commands.gdb from its own folder, kernel.elf and
# shell.elf from $os1k_dir (default: the tree's build/os-1k), and connects last, so
# the commands exist even when no VMM is listening yet (then: os1k-connect PORT).
import os

import gdb

here = os.path.dirname(os.path.abspath(__file__))


def _conv(name, default):
    v = gdb.convenience_variable(name)
    if v is None:
        return default
    return v.string() if v.type.code == gdb.TYPE_CODE_ARRAY else int(v)


os1k_dir = _conv("os1k_dir", os.path.join(os.path.dirname(here), "build", "os-1k"))
port = _conv("os1k_port", 1234)
gdb.execute("source " + os.path.join(here, "common.gdb"))
gdb.execute("file " + os.path.join(os1k_dir, "kernel.elf"))
gdb.execute("add-symbol-file " + os.path.join(os1k_dir, "shell.elf"))
gdb.execute("source " + os.path.join(here, "os-1k-commands.gdb"))
gdb.execute("target remote 127.0.0.1:%d" % port)
