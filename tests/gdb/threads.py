# Four guests, four vCPUs, four gdb threads, all-stop.
import time
import gdb

inf = gdb.selected_inferior()
check_eq("threads_count", len(inf.threads()), 4)
info = run("info threads")
check("threads_extra_info", "vCPU 0 (dbg16)" in info and "vCPU 3 (spin" in info, info)


def rips():
    cur = gdb.selected_thread()
    out = {}
    for t in sorted(inf.threads(), key=lambda t: t.num):
        t.switch()
        out[t.num] = reg("rip")
    cur.switch()
    return out


run("break *0x%x" % sym("later"))
ev, code, out = resume()
check_eq("threads_break_kind", stop_kind(ev), "breakpoint")
check_eq("threads_break_thread", gdb.selected_thread().num, 1)
before = rips()
time.sleep(0.3)
after = rips()
check_eq("threads_all_stopped", after, before)

run("set scheduler-locking on")
run("thread 3")
out = run("monitor mode")
check("threads_monitor_follows_selected_thread", out.startswith("vCPU 2:"), out)
start = rips()
for _ in range(3):
    run("stepi")
moved = rips()
check("threads_step_moves_selected", moved[3] != start[3], "%x -> %x" % (start[3], moved[3]))
check_eq("threads_step_others_still", {k: v for k, v in moved.items() if k != 3},
         {k: v for k, v in start.items() if k != 3})

script_end()
