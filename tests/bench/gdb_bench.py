# The gdb side of tests/bench/gdb.sh: run inside gdb (`source`), already connected
# to a target that is stopped in guests/bench/loop16.bin or, for QEMU, in its BIOS.
# The same script times our VMM and QEMU. Settings come from the environment:
#   BENCH_LOOP     address of bench_loop (hex or decimal)
#   BENCH_BOOT     1: first run to 0x7c00 under an hbreak (a BIOS runs before it)
#   BENCH_STEPS    stepi count;  BENCH_HITS: continues per breakpoint kind
#   BENCH_SWBREAK  1: also time software `break` (QEMU's die on the KVM hosts here)
#   BENCH_DUMP     file for `dump binary memory FILE 0 0x400000`
#   BENCH_IMAGE    the boot sector, compared with the dump at 0x7c00
# It prints "stage NAME" before each step (so a hang can be placed), "bench KEY
# VALUE" for each number, "bench-error WHY" for a wrong result, and "bench-done"
# at the end. Times come from time.monotonic around the gdb commands alone.
import os
import time

import gdb

BOOT_ADDR = 0x7C00
DUMP_LEN = 0x400000
LOOP_LEN = 3                  # instructions in bench_loop
LOOP_OFFSETS = (0, 1, 3)      # their offsets: inc, add, jmp


class BenchError(Exception):
    pass


def emit(line):
    gdb.write(line + "\n")
    gdb.flush()


def env_int(name, default=None):
    v = os.environ.get(name)
    if v is None or v == "":
        if default is None:
            raise BenchError("%s is not set" % name)
        return default
    return int(v, 0)


def reg(name):
    return int(gdb.parse_and_eval("$" + name)) & 0xFFFFFFFFFFFFFFFF


def ax():
    return reg("eax") & 0xFFFF


def run(cmd):
    return gdb.execute(cmd, to_string=True)


def expect_pc(where, want):
    pc = reg("pc")
    if pc != want:
        raise BenchError("%s: pc 0x%x, expected 0x%x" % (where, pc, want))


def boot(loop):
    """QEMU starts at the reset vector: let the BIOS load the sector, then walk
    into the loop so both targets start the timed part at bench_loop."""
    emit("stage boot")
    run("hbreak *0x%x" % BOOT_ADDR)
    t0 = time.monotonic()
    run("continue")
    dt = time.monotonic() - t0
    if not gdb.selected_inferior().pid:
        raise BenchError("the target ended before 0x7c00: the BIOS booted nothing?")
    expect_pc("boot", BOOT_ADDR)
    emit("bench boot_s %.2f" % dt)
    run("delete")
    run("hbreak *0x%x" % loop)
    run("continue")
    expect_pc("boot", loop)
    run("delete")


def bench_stepi(loop, steps):
    emit("stage stepi")
    expect_pc("stepi start", loop)
    ax0 = ax()
    t0 = time.monotonic()
    for _ in range(steps):
        gdb.execute("stepi", to_string=True)
    dt = time.monotonic() - t0
    # Each stepi must have been exactly one instruction of the loop.
    expect_pc("after %d stepi" % steps, loop + LOOP_OFFSETS[steps % LOOP_LEN])
    incs = (steps + LOOP_LEN - 1) // LOOP_LEN
    if (ax() - ax0) & 0xFFFF != incs & 0xFFFF:
        raise BenchError("after %d stepi: AX went from %d to %d, expected +%d" % (steps, ax0, ax(), incs))
    emit("bench stepi_per_s %.1f" % (steps / dt))
    emit("bench stepi_count %d" % steps)


def bench_dump(path, image):
    emit("stage dump")
    if os.path.exists(path):
        os.unlink(path)
    t0 = time.monotonic()
    gdb.execute("dump binary memory %s 0 0x%x" % (path, DUMP_LEN), to_string=True)
    dt = time.monotonic() - t0
    size = os.path.getsize(path)
    if size != DUMP_LEN:
        raise BenchError("dump: %d bytes, expected %d" % (size, DUMP_LEN))
    with open(image, "rb") as f:
        want = f.read()
    with open(path, "rb") as f:
        f.seek(BOOT_ADDR)
        got = f.read(len(want))
    if got != want:
        raise BenchError("dump: the bytes at 0x7c00 are not the boot sector")
    os.unlink(path)
    emit("bench dump_mib_per_s %.2f" % (DUMP_LEN / (1 << 20) / dt))


def bench_hits(kind, loop, hits):
    """kind is hbreak or break: one breakpoint at bench_loop, HITS continues."""
    emit("stage %s" % kind)
    run("delete")
    run("%s *0x%x" % (kind, loop))
    run("continue")                    # warm-up; leaves pc at bench_loop
    expect_pc(kind + " warm-up", loop)
    ax0 = ax()
    bad = 0
    t0 = time.monotonic()
    for _ in range(hits):
        gdb.execute("continue", to_string=True)
        if reg("pc") != loop:          # from the stop reply's cache: no packet
            bad += 1
    dt = time.monotonic() - t0
    run("delete")
    if bad:
        raise BenchError("%s: %d of %d continues stopped elsewhere than 0x%x" % (kind, bad, hits, loop))
    # Every stop must have been the next pass: none skipped, none counted twice.
    if (ax() - ax0) & 0xFFFF != hits & 0xFFFF:
        raise BenchError("%s: AX went from %d to %d over %d hits" % (kind, ax0, ax(), hits))
    emit("bench %s_hits_per_s %.1f" % (kind, hits / dt))


def main():
    if gdb.selected_inferior().pid == 0:
        raise BenchError("gdb is not connected to the target")
    loop = env_int("BENCH_LOOP")
    steps = env_int("BENCH_STEPS", 2000)
    hits = env_int("BENCH_HITS", 500)
    if env_int("BENCH_BOOT", 0):
        boot(loop)
    else:
        # Our VMM starts at _start: walk into the loop the same way.
        run("hbreak *0x%x" % loop)
        run("continue")
        expect_pc("start", loop)
        run("delete")
    for _ in range(10):                # warm-up: first-use costs out of the timing
        run("stepi")
    while reg("pc") != loop:
        run("stepi")
    bench_stepi(loop, steps)
    while reg("pc") != loop:
        run("stepi")
    bench_dump(os.environ["BENCH_DUMP"], os.environ["BENCH_IMAGE"])
    bench_hits("hbreak", loop, hits)
    if env_int("BENCH_SWBREAK", 0):
        bench_hits("break", loop, hits)
    emit("bench-done")


try:
    main()
except (BenchError, gdb.error, OSError, ValueError, KeyError) as e:
    emit("bench-error %s" % e)
