# The gdb half of check-valgrind's gdb session (tests/fuzz/valgrind.sh), against
# the long-mode dbgtest guest: stepi, break, continue, continue to the exit.
# tests/gdb/check.py is loaded first.
import gdb

check_eq("vg_attach_rip", reg("rip"), sym("step0"))
run("stepi")
run("stepi")
check_eq("vg_stepi_rip", reg("rip"), sym("step2"))
run("break later")
ev, code, out = resume()
check_eq("vg_break_kind", stop_kind(ev), "breakpoint")
check_eq("vg_break_rip", reg("rip"), sym("later"))
run("delete")
ev, code, out = resume()
check_eq("vg_exit_code", code, 3)

script_end()
