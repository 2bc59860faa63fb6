# Debugging ring-3 code under the guest's own kernel (guests/long/user3.S): break,
# stepi and continue in user mode; the kernel never sees the debugger's traps.
import gdb

run("break user_loop")
ev, code, out = resume()
check_eq("user3_break_kind", stop_kind(ev), "breakpoint")
check_eq("user3_break_rip", hex(reg("rip")), hex(sym("user_loop")))
check_eq("user3_break_cpl3", reg("cs") & 3, 3)
check_eq("user3_break_rax", reg("rax"), 0)
run("delete")
want = [sym("user_loop") + 2, sym("user_loop") + 4, sym("user_loop")]
for i, w in enumerate(want):
    run("stepi")
    check_eq("user3_stepi_%d_rip" % (i + 1), hex(reg("rip")), hex(w))
    check_eq("user3_stepi_%d_cpl3" % (i + 1), reg("cs") & 3, 3)
    check_eq("user3_stepi_%d_no_tf" % (i + 1), reg("eflags") & 0x100, 0)
check_eq("user3_after_steps_rax", reg("rax"), 5)
check_eq("user3_after_steps_rcx", reg("rcx"), 4)
# hbreak in ring 3: where the host's debug registers fire there (HWBP_RING3, from
# vmm --probe) it stops; where they never do, the VMM refuses it at once instead of
# accepting a breakpoint that would never be hit
run("hbreak user_after")
if HWBP_RING3:
    ev, code, out = resume()
    check_eq("user3_hbreak_ring3_stops", hex(reg("rip")), hex(sym("user_after")))
else:
    ev, code, out = resume()
    check("user3_hbreak_ring3_refused", "insert hardware breakpoint" in out, out)
    check_eq("user3_hbreak_ring3_no_stop", hex(reg("rip")), hex(sym("user_loop")))
    run("delete")
    run("break user_after")
    ev, code, out = resume()
check_eq("user3_second_break_rip", hex(reg("rip")), hex(sym("user_after")))
check_eq("user3_second_break_rax", reg("rax"), 15)
run("delete")
ev, code, out = resume()
check_eq("user3_exit_code", code, 0)

script_end()
