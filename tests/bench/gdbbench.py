# What the gdb-side bench scripts (rangestep_bench.py, watch_bench.py) share: they
# run inside gdb and report one line, "TAG: numbers" or "TAG: FAILED why", that
# tests/bench/gdbsession.sh reads.
import gdb


def ex(cmd):
    return gdb.execute(cmd, to_string=True)


def report(tag, text):
    gdb.write("%s: %s\n" % (tag, text))
    gdb.flush()


def fail(tag, why):
    report(tag, "FAILED %s" % why)
    raise SystemExit
