# Range stepping (vCont;r) against guests/c32range/range.elf. The shell passes the
# source ($RS_SOURCE) and sends the SIGINT after "# spinning now".
import os

import gdb


def tag_line(tag):
    """The line of range.c carrying the comment /* TAG */."""
    with open(os.environ["RS_SOURCE"]) as f:
        for i, l in enumerate(f, 1):
            if "/* %s */" % tag in l:
                return i
    raise ValueError("no line tagged %s" % tag)


def line():
    return gdb.selected_frame().find_sal().line


def value(expr):
    return int(gdb.parse_and_eval(expr))


packets = {}


def logged(name, cmd):
    """Runs CMD with the remote protocol logged (`set debug remote 1`: the log lands
    in the command's output) and counts the resume packets gdb sent."""
    run("set debug remote 1")
    try:
        ev, code, out = resume(cmd)
    finally:
        run("set debug remote 0")
    sent = [l for l in out.splitlines() if "Sending packet: $vCont;" in l]
    packets[name] = {k: sum(("$vCont;" + k) in l for l in sent) for k in ("r", "s")}
    gdb.write("# packets %s: vCont;r %d, vCont;s %d\n" % (name, packets[name]["r"],
                                                         packets[name]["s"]))
    return ev, code, out


run("break loop_sum")
ev, code, out = resume()
check_eq("rs_break_loop_sum", stop_kind(ev), "breakpoint")
check_eq("rs_small_n", value("n"), 30)
run("next")
check_eq("rs_at_loop_line", line(), tag_line("RS-LOOP"))

# the 30-iteration loop with range stepping off: single steps (vCont;s), gdb decides
run("set range-stepping off")
logged("off", "next")
check_eq("rs_off_next_line", line(), tag_line("RS-AFTER-LOOP"))
check_eq("rs_off_sum", value("s"), 435)
run("set range-stepping on")

# the 10,000-iteration loop with range stepping on: vCont;r, stepped in the VMM
ev, code, out = resume()
check_eq("rs_big_n", value("n"), 10000)
run("next")
check_eq("rs_big_at_loop_line", line(), tag_line("RS-LOOP"))
logged("on", "next")
check_eq("rs_on_next_line", line(), tag_line("RS-AFTER-LOOP"))
check_eq("rs_on_sum", value("s"), 49995000)
run("delete")

# next over a loop that calls a function: gdb steps over each call (a stop out of
# the range, a step-resume breakpoint, a continue) and ends on the next line
run("tbreak range.c:%d" % tag_line("RS-CALL-LOOP"))
resume()
check_eq("rs_call_loop_line", line(), tag_line("RS-CALL-LOOP"))
logged("call", "next")
check_eq("rs_call_loop_next_line", line(), tag_line("RS-AFTER-CALL-LOOP"))
check_eq("rs_call_loop_b", value("b"), 380)

# a breakpoint inside the range: the range step stops there, before it runs
run("next")
check_eq("rs_break_loop_line", line(), tag_line("RS-BREAK-LOOP"))
# an instruction of the line that starts no line-table row: strictly inside the
# ranges gdb sends, so only the VMM's range step can stop there
table = gdb.selected_frame().find_sal().symtab.linetable()
pcs = sorted(e.pc for e in table if e.line == tag_line("RS-BREAK-LOOP"))
after = min(e.pc for e in table if e.line == tag_line("RS-AFTER-BREAK-LOOP"))
pc = reg("rip")
insns = gdb.selected_frame().architecture().disassemble(pcs[0], after - 1)
inside = [i["addr"] for i in insns if i["addr"] > pc and i["addr"] not in pcs]
check("rs_break_loop_inner_insn", len(inside) > 0, str([hex(p) for p in pcs]))
target = inside[len(inside) // 2]
run("break *0x%x" % target)
ev, code, out = logged("bp", "next")
check_eq("rs_bp_in_range_kind", stop_kind(ev), "breakpoint")
check_eq("rs_bp_in_range_pc", hex(reg("rip")), hex(target))
check_eq("rs_bp_in_range_line", line(), tag_line("RS-BREAK-LOOP"))
run("delete")
run("next")
check_eq("rs_after_bp_next_line", line(), tag_line("RS-AFTER-BREAK-LOOP"))

# Ctrl-C inside a range that never ends: the shell sends SIGINT to gdb
run("next")
check_eq("rs_spin_line", line(), tag_line("RS-SPIN"))
gdb.write("# spinning now\n")
gdb.flush()
ev, code, out = logged("spin", "next")
check_eq("rs_spin_interrupted", stop_kind(ev), "signal:SIGINT")
check_eq("rs_spin_still_on_line", line(), tag_line("RS-SPIN"))
run("set var spin = 0")
run("next")
check_eq("rs_spin_done_line", line(), tag_line("RS-AFTER-SPIN"))
ev, code, out = resume()
check_eq("rs_exit_code", code, 5)

# what went over the wire: single steps with it off, ranges with it on
check_eq("rs_off_no_range_packets", packets["off"]["r"], 0)
check("rs_off_single_steps", packets["off"]["s"] > 30, str(packets["off"]))
check("rs_on_range_packets", packets["on"]["r"] >= 1, str(packets["on"]))
check_eq("rs_on_no_single_steps", packets["on"]["s"], 0)
# fewer round trips than the loop's instructions (10,000 iterations, several each)
check("rs_on_fewer_round_trips", packets["on"]["r"] < 40000, str(packets["on"]))
check("rs_call_range_packets", packets["call"]["r"] >= 1, str(packets["call"]))
check("rs_bp_range_packets", packets["bp"]["r"] >= 1, str(packets["bp"]))
check("rs_spin_range_packets", packets["spin"]["r"] >= 1, str(packets["spin"]))

script_end()
