# One side of the watchpoint bench (tests/bench/watch.sh): guests/c32watch's bench
# loop, WB_ROUNDS rounds each writing `hot` once and sweeping `cold`, with `watch hot`
# watched the way WB_MODE says (dr, page, step; "none": no watchpoint, the loop
# alone). Prints "watchbench: SECONDS STOPS" or "watchbench: FAILED why".
import os
import sys
import time

import gdb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gdbbench  # noqa: E402
from gdbbench import ex  # noqa: E402

mode = os.environ["WB_MODE"]
rounds = int(os.environ.get("WB_ROUNDS", "1000"))


def fail(why):
    gdbbench.fail("watchbench", why)


stops = []
gdb.events.stop.connect(lambda ev: stops.append(ev))
with open(os.environ["WB_SOURCE"]) as f:
    lines = [n for n, text in enumerate(f, 1) if "WP-BENCH" in text or "WP-RETURN" in text]
ex("break %d" % lines[0])
ex("break %d" % lines[1])
ex("continue")
ex("set var bench = %d" % rounds)
if mode != "none":
    out = ex("monitor watch %s" % mode)
    if "every new watchpoint by" not in out:
        fail(out)
    ex("watch hot")
stops.clear()
t0 = time.monotonic()
for _ in range(rounds + 2):
    ex("continue")
    if stops and not isinstance(stops[-1], gdb.BreakpointEvent):
        fail("stopped by %r" % stops[-1])
    if stops and stops[-1].breakpoints[0].type == gdb.BP_BREAKPOINT:
        break
t1 = time.monotonic()
watch_stops = len(stops) - 1
if mode != "none" and watch_stops != rounds:
    fail("%d watch stops for %d writes" % (watch_stops, rounds))
if int(gdb.parse_and_eval("hot")) != rounds:
    fail("hot = %d" % int(gdb.parse_and_eval("hot")))
gdbbench.report("watchbench", "%.6f %d" % (t1 - t0, watch_stops))
