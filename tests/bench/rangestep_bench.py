# One side of the range-stepping bench (tests/bench/rangestep.sh): `next` over the
# one-line loop of guests/c32range's loop_sum(N), N = $RS_ITERS (10,000 by
# default), with range stepping $RS_RANGE (on/off). Prints "rangebench: SECONDS
# PACKETS-NOT-COUNTED" or "rangebench: FAILED why".
import os
import sys
import time

import gdb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gdbbench  # noqa: E402
from gdbbench import ex  # noqa: E402

iters = int(os.environ.get("RS_ITERS", "10000"))


def fail(why):
    gdbbench.fail("rangebench", why)


ex("break loop_sum")
ex("continue")  # loop_sum(30)
ex("continue")  # loop_sum(10000)
if int(gdb.parse_and_eval("n")) != 10000:
    fail("not in loop_sum(10000)")
ex("set var n = %d" % iters)
ex("next")
loop_line = gdb.selected_frame().find_sal().line
ex("set range-stepping %s" % os.environ["RS_RANGE"])
t0 = time.monotonic()
ex("next")
t1 = time.monotonic()
if gdb.selected_frame().find_sal().line != loop_line + 1:
    fail("next ended on line %d" % gdb.selected_frame().find_sal().line)
if int(gdb.parse_and_eval("s")) != iters * (iters - 1) // 2:
    fail("s = %d" % int(gdb.parse_and_eval("s")))
gdbbench.report("rangebench", "%.6f" % (t1 - t0))
