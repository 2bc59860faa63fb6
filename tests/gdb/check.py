# Assertions for gdb-driven tests: each prints "ok NAME" or
# "not ok NAME: got ..., expected ..." for tests/run-all.sh to count.
import inspect
import os

import gdb


def _emit(line):
    gdb.write(line + "\n")
    gdb.flush()


def check(name, cond, detail=""):
    _emit("ok %s" % name if cond else "not ok %s: %s" % (name, detail or "condition false"))


def check_eq(name, got, want):
    if got == want:
        _emit("ok %s" % name)
    else:
        _emit("not ok %s: got %r, expected %r" % (name, got, want))


# The 32-bit names of the 64-bit registers: gdb shows a 16- or 32-bit guest in its
# own mode (i8086, i386), where $rax does not exist.
_NARROW = {"rax": "eax", "rbx": "ebx", "rcx": "ecx", "rdx": "edx", "rsi": "esi", "rdi": "edi",
           "rbp": "ebp", "rsp": "esp", "rip": "eip"}


def regname(name):
    """NAME as the selected frame's architecture spells it: rax on x86-64, eax on
    i386/i8086, so one test script serves every mode."""
    arch = gdb.selected_frame().architecture().name()
    return name if arch == "i386:x86-64" else _NARROW.get(name, name)


def reg(name):
    return int(gdb.parse_and_eval("$" + regname(name))) & 0xffffffffffffffff


def arch():
    return gdb.selected_frame().architecture().name()


def sym(name):
    return int(gdb.parse_and_eval("(long)&" + name)) & 0xffffffffffffffff


def run(cmd):
    """Runs a gdb command and returns what it printed; a gdb error becomes text too."""
    try:
        return gdb.execute(cmd, to_string=True)
    except gdb.error as e:
        return "gdb.error: %s" % e


def run_shown(cmd):
    """Runs a command with its output going to gdb's stdout (which an error
    would swallow in run()); returns True when it failed."""
    try:
        gdb.execute(cmd)
        return False
    except gdb.error as e:
        gdb.write("gdb.error: %s\n" % e)
        return True


def mem_u32(addr):
    data = gdb.selected_inferior().read_memory(addr, 4).tobytes()
    return int.from_bytes(data, "little")


# Stops and exits are printed by gdb asynchronously, not into run()'s string: the
# events carry them.
last = {"stop": None, "exit": None}


def _on_stop(ev):
    last["stop"] = ev


def _on_exit(ev):
    last["exit"] = ev.exit_code if hasattr(ev, "exit_code") else -1


gdb.events.stop.connect(_on_stop)
gdb.events.exited.connect(_on_exit)


def resume(cmd="continue"):
    """Runs a resuming command; returns (stop event or None, exit code or None)."""
    last["stop"] = None
    last["exit"] = None
    out = run(cmd)
    return last["stop"], last["exit"], out


def stop_kind(ev):
    """'breakpoint', 'watchpoint', 'signal:SIGxxx' or 'stop' for a stop event."""
    if ev is None:
        return "none"
    if isinstance(ev, gdb.BreakpointEvent):
        t = ev.breakpoints[0].type
        if t in (gdb.BP_WATCHPOINT, gdb.BP_HARDWARE_WATCHPOINT, gdb.BP_READ_WATCHPOINT,
                 gdb.BP_ACCESS_WATCHPOINT):
            return "watchpoint"
        return "breakpoint"
    if isinstance(ev, gdb.SignalEvent):
        return "signal:" + ev.stop_signal
    return "stop"


def script_end():
    """The last line of every gdb test script: it proves the script ran to its end.
    tests/gdb/gdblib.sh's run_gdb fails a sourced script that never printed this,
    since gdb -batch goes on (and exits 0) after a Python exception."""
    caller = os.path.basename(inspect.stack()[1].filename)
    _emit("ok %s_ran_to_end" % caller)
