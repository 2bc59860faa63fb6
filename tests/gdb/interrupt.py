# Ctrl-C: the shell sends SIGINT to gdb while `continue` runs a spinning guest.
import gdb

gdb.write("# continuing now\n")  # the shell sends the SIGINT after this line
gdb.flush()
ev, code, out = resume()
check_eq("interrupt_stop", stop_kind(ev), "signal:SIGINT")
check("interrupt_rip_in_loop", sym("spin") <= reg("rip") <= sym("spin") + 3, hex(reg("rip")))
run("break spin")
ev, code, out = resume()
check_eq("interrupt_then_break_kind", stop_kind(ev), "breakpoint")
check_eq("interrupt_then_break_rip", hex(reg("rip")), hex(sym("spin")))

script_end()
