# Watchpoints beyond the debug registers (guests/c32watch): six watches of 1, 2, 4 and
# 8 bytes, one across a page boundary, watched the way WP_MODE says: "page" (read-only
# pages), "step" (step-and-compare), or "soft" (gdb's own software watchpoints, the
# reference). Every stop's watchpoint and value go to WP_OUT for watchpages.sh to
# compare between the ways; the values are checked here against what the guest writes.
import os

mode = os.environ["WP_MODE"]
W = ["pages.b1", "pages.h2", "pages.w4", "pages.q8", "pages.cross", "pages.after"]


def src_line(tag):
    with open(os.environ["WP_SOURCE"]) as f:
        for n, text in enumerate(f, 1):
            if tag in text:
                return n
    raise KeyError(tag)


def expected_stops():
    """(expression, value) at each stop: 64-bit values are stored as two 32-bit
    halves, low first, and each half that changes is a stop of its own."""
    out = []
    val = {w: 0 for w in W}
    for r in (1, 2):
        for w, new in (("pages.b1", r), ("pages.h2", 0x1111 * r), ("pages.w4", 0x01010101 * r),
                       ("pages.q8", 0x0101010101010101 * r),
                       ("pages.cross", 0x0202020202020202 * r), ("pages.after", 0x03030303 * r)):
            if w in ("pages.q8", "pages.cross"):
                low = (val[w] & ~0xffffffff) | (new & 0xffffffff)
                out.append((w, low))
            out.append((w, new))
            val[w] = new
    return out


if mode == "soft":
    run("set can-use-hw-watchpoints 0")
else:
    # a debug register cannot take the value across the page boundary (unaligned
    # 8 bytes), nor any on a host whose DR7 data breakpoints never fire: refused
    out = run("monitor watch dr")
    check("wp_force_dr", "every new watchpoint by debug register" in out, out)
    run("watch pages.cross")
    ev, code, out = resume()
    check("wp_dr_cross_refused", "Command aborted" in out and stop_kind(ev) == "none", out)
    run("delete")
    out = run("monitor watch " + mode)
    check("wp_force_" + mode, "every new watchpoint by" in out, out)

for w in W:
    out = run("watch " + w)
    want = "Watchpoint" if mode == "soft" else "Hardware watchpoint"
    check("wp_%s_set_%s" % (mode, w), want in out, out)
# gdb hangs reaching a breakpoint while its software watchpoints are on: the
# reference stops at the last watch stop; the others must go on to the breakpoint
# with no stop between (the store of an unchanged value is not one)
if mode != "soft":
    run("break " + str(src_line("WP-BENCH")))
want = expected_stops()

stops = []
last_value = {}
for _ in range(40):
    if mode == "soft" and len(stops) == len(want):
        break
    ev, code, out = resume()
    if stop_kind(ev) != "watchpoint":
        break
    # the watchpoint whose value changed (gdb's software watchpoints report all)
    now = {b.expression: int(gdb.parse_and_eval("(unsigned long long)(%s)" % b.expression))
           for b in ev.breakpoints}
    changed = [e for e in now if now[e] != last_value.get(e, 0)]
    expr = changed[0] if changed else ev.breakpoints[0].expression
    value = now[expr]
    last_value[expr] = value
    line = gdb.find_pc_line(reg("rip")).line
    stops.append((expr, value, line))
    if len(stops) == 1 and mode != "soft":
        listing = run("monitor watch")
        check("wp_monitor_lists_%s" % mode,
              [l.split(": ")[-1].split(" at gpa")[0] for l in listing.splitlines()
               if l.startswith("  0x")] ==
              ["step-and-compare" if mode == "step" else "read-only page"] * len(W), listing)
        if mode == "page":
            # the value across the boundary is watched in two pieces, one a page
            check("wp_page_cross_two_pieces",
                  "0x%x, 8 bytes, write: read-only page at gpa 0x%x+4, 0x%x+4" %
                  (sym("pages.cross"), sym("pages.cross"), sym("pages.cross") + 4) in listing,
                  listing)

if mode != "soft":
    check("wp_%s_stop_at_bench" % mode, stop_kind(ev) == "breakpoint",
          "%s: %s" % (stop_kind(ev), out))
check_eq("wp_%s_stops" % mode, [(e, v) for e, v, _ in stops], want)
# the neighbours' writes landed although they shared the pages
check_eq("wp_%s_near_written" % mode, int(gdb.parse_and_eval("pages.near[97]")), 97 + 2)
check_eq("wp_%s_far_written" % mode, int(gdb.parse_and_eval("pages.far[100]")), 2)
with open(os.environ["WP_OUT"], "w") as f:
    for e, v, line in stops:
        f.write("%s 0x%x line %d\n" % (e, v, line))
run("delete")
ev, code, out = resume()
check("wp_%s_exited" % mode, code is not None, out)
script_end()
