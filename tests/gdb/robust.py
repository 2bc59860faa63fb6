#!/usr/bin/env python3
"""Hostile and clumsy RSP peers against the real VMM's gdb stub, for
tests/gdb/robust.sh. Each case prints "ok NAME" / "not ok NAME: why".

    robust.py ADDR CASE...     ADDR: HOST:PORT, or the path of a Unix socket

The guest is tests' real/spin.bin (a loop incrementing AX at 0000:7C00). Every
socket operation has a timeout, so a wedged stub fails a check instead of
hanging the test.
"""
import random
import socket
import struct
import sys
import time

ESRCH, EFAULT = 3, 14


def say(name, cond, why=""):
    print(("ok %s" % name) if cond else ("not ok %s: %s" % (name, why or "condition false")),
          flush=True)


def frame(body):
    if isinstance(body, str):
        body = body.encode()
    return b"$" + body + b"#%02x" % (sum(body) & 0xff)


class Peer:
    """One connection. Received bytes accumulate in self.buf; packets are cut
    from it as '$body#cc' (our replies never contain raw '$' or '#')."""

    def __init__(self, addr, timeout=5.0):
        if "/" in addr:
            self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.s.settimeout(timeout)
            self.s.connect(addr)
        else:
            host, port = addr.rsplit(":", 1)
            self.s = socket.create_connection((host, int(port)), timeout=timeout)
        self.buf = b""
        self.eof = False

    def send(self, data, timeout=10.0):
        self.s.settimeout(timeout)
        self.s.sendall(data)

    def _fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0 or self.eof:
            return False
        self.s.settimeout(left)
        try:
            d = self.s.recv(1 << 16)
        except socket.timeout:
            return False
        except ConnectionResetError:
            d = b""
        if not d:
            self.eof = True
            return False
        self.buf += d
        return True

    def packet(self, timeout=5.0):
        """The next packet's body (acks before it are dropped), or None."""
        deadline = time.monotonic() + timeout
        while True:
            start = self.buf.find(b"$")
            if start >= 0:
                end = self.buf.find(b"#", start)
                if end >= 0 and len(self.buf) >= end + 3:
                    body = self.buf[start + 1:end]
                    self.buf = self.buf[end + 3:]
                    return body.decode("latin-1")
            if not self._fill(deadline):
                return None

    def cmd(self, body, timeout=5.0):
        self.send(frame(body))
        return self.packet(timeout)

    def quiet_for(self, seconds):
        """True if nothing at all arrives for that long."""
        before = len(self.buf)
        self._fill(time.monotonic() + seconds)
        return len(self.buf) == before and not self.eof

    def closed_within(self, seconds):
        deadline = time.monotonic() + seconds
        while not self.eof and self._fill(deadline):
            pass
        return self.eof

    def close(self, reset=False):
        if reset:
            # SO_LINGER 0: close() sends RST, the rudest way to go.
            self.s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.s.close()


HELLO = "qSupported:multiprocess+;swbreak+;hwbreak+;vContSupported+"


def attach(addr):
    p = Peer(addr)
    p.cmd(HELLO)
    return p


def stopped(reply):
    return reply is not None and reply[:1] == "T"


# ---- cases ----

def case_close_mid_packet(addr):
    """The peer goes away in the middle of a body, of the checksum, and with an
    RST; the next connection starts clean."""
    for i, (data, reset) in enumerate([(b"$m7c00,4", False), (b"$?#3", False),
                                       (b"$qSupported:swbr", True)]):
        p = Peer(addr)
        p.send(data)
        p.close(reset)
        p = attach(addr)
        r = p.cmd("?")
        say("robust_close_mid_packet_%d_next_session" % i, stopped(r), repr(r))
        p.close()


def case_oversize(addr):
    """1 MiB of body without '#': the stub keeps reading (no memory growth, no
    stall), then drops the packet with a NAK at its end and serves the next."""
    p = attach(addr)
    t0 = time.monotonic()
    try:
        p.send(b"$" + b"a" * (1 << 20), timeout=20)
        sent = True
    except socket.timeout:
        sent = False
    say("robust_oversize_1mib_accepted", sent, "the stub stopped reading the 1 MiB body")
    say("robust_oversize_1mib_fast", time.monotonic() - t0 < 10,
        "%.1f s to take 1 MiB" % (time.monotonic() - t0))
    p.buf = b""
    p.send(b"#00")
    deadline = time.monotonic() + 5
    while b"-" not in p.buf and p._fill(deadline):
        pass
    say("robust_oversize_nak", p.buf.startswith(b"-"), repr(p.buf[:40]))
    p.buf = b""
    r = p.cmd("?")
    say("robust_oversize_then_serves", stopped(r), repr(r))
    p.close()


def case_flood(addr):
    """500 memory reads written before any reply is read: every one answered,
    in order, the stub waiting for us to read rather than dropping anything."""
    n = 500
    p = attach(addr)
    want = p.cmd("m7c00,200")
    p.send(b"".join(frame("m7c00,200") for _ in range(n)), timeout=20)
    got, same = 0, 0
    deadline = time.monotonic() + 30
    while got < n and time.monotonic() < deadline:
        r = p.packet(timeout=max(0.1, deadline - time.monotonic()))
        if r is None:
            break
        got += 1
        same += r == want
    say("robust_flood_500_replies", got == n, "%d of %d replies" % (got, n))
    say("robust_flood_replies_right", same == n and want is not None and len(want) == 1024,
        "%d of %d replies match the first (%r...)" % (same, n, (want or "")[:20]))
    r = p.cmd("?")
    say("robust_flood_then_serves", stopped(r), repr(r))
    p.close()


def case_second_connection(addr):
    """A second gdb is told why and closed; a third, while the second is being
    turned away, is closed at once; the first session is undisturbed."""
    a = attach(addr)
    before = a.cmd("m7c00,8")
    b = Peer(addr)
    c = Peer(addr)
    say("robust_third_connection_closed", c.closed_within(3), "still open after 3 s")
    b.send(frame(HELLO))
    r = b.packet(timeout=5)
    say("robust_second_connection_refused", r is not None and r.startswith("E."), repr(r))
    say("robust_second_connection_closed", b.closed_within(5), "still open after 5 s")
    r = a.cmd("?")
    say("robust_first_session_undisturbed", stopped(r), repr(r))
    say("robust_first_session_memory", a.cmd("m7c00,8") == before, "memory reply changed")
    for p in (a, b, c):
        p.close()


def case_ctrl_c_stopped(addr):
    """Ctrl-C while the guest is stopped means nothing: no stop reply appears,
    the guest does not move."""
    p = attach(addr)
    before = p.cmd("?")
    regs = p.cmd("g")
    p.send(b"\x03")
    say("robust_ctrl_c_stopped_no_reply", p.quiet_for(0.5), repr(p.buf[:60]))
    p.send(b"\x03\x03\x03")
    after = p.cmd("?")
    say("robust_ctrl_c_stopped_same_stop", stopped(after) and after == before,
        "%r then %r" % (before, after))
    say("robust_ctrl_c_stopped_regs_same", p.cmd("g") == regs, "registers changed")
    p.close()


def case_vcont_bad_thread(addr):
    """vCont and friends naming a thread that does not exist: an error, and the
    guest stays where it is (nothing resumed half-way)."""
    p = attach(addr)
    before = p.cmd("?")
    regs = p.cmd("g")
    for body in ["vCont;c:5", "vCont;s:9", "vCont;c:p1.ff", "vCont;s:1;c:40", "Hg9", "Hc7",
                 "T9", "qThreadExtraInfo,9"]:
        r = p.cmd(body)
        say("robust_bad_thread_%s" % body.replace(";", "_").replace(":", "_").replace(",", "_")
            .replace(".", "_"), r == "E%02d" % ESRCH, "%s -> %r" % (body, r))
    r = p.cmd("vCont;c:1;x")
    say("robust_vcont_malformed_error", r is not None and r.startswith("E"), repr(r))
    after = p.cmd("?")
    say("robust_bad_thread_guest_not_resumed", after == before and p.cmd("g") == regs,
        "%r then %r" % (before, after))
    p.close()


def case_mem_top(addr):
    """Memory at the top of the address space and past RAM: errors, no crash,
    no wrap-around to address 0."""
    p = attach(addr)
    for body in ["mffffffffffffff00,200", "mffffffffffffffff,1", "m10000000000,10",
                 "Mffffffffffffff00,4:00000000", "Mfffffffffffffffe,4:00000000"]:
        r = p.cmd(body)
        say("robust_mem_top_%s" % body[:17].replace(",", "_"), r == "E%02d" % EFAULT,
            "%s -> %r" % (body, r))
    # X with a wrapping range (binary data escaped as gdb does).
    r = p.cmd(b"Xfffffffffffffffe,4:\x90\x90\x90\x90")
    say("robust_mem_top_X_wrap", r == "E%02d" % EFAULT, repr(r))
    r = p.cmd("m0,ffffffffffffffff")   # clamped to one reply, not an allocation of 2^64
    say("robust_mem_huge_len_clamped", r is not None and 0 < len(r) <= 0x4000
        and all(ch in "0123456789abcdef" for ch in r), repr((r or "")[:40]))
    r = p.cmd("?")
    say("robust_mem_top_then_serves", stopped(r), repr(r))
    p.close()


def case_garbage_cycles(addr, n=100):
    """n connect/garbage/close cycles (some polite, some RST, some with a valid
    packet or half of one); the stub answers properly afterwards. The shell
    compares fds and threads around this."""
    rnd = random.Random(1234)
    alphabet = b"$#}*+-\x03\x00\xffm?gGqvC;:,0123456789abcdefx"
    failures = 0
    for i in range(n):
        try:
            p = Peer(addr, timeout=5)
            junk = bytes(rnd.choice(alphabet) for _ in range(rnd.randrange(1, 300)))
            if i % 10 == 0:
                junk += frame("?")
            p.send(junk)
            if i % 10 == 0:
                p.packet(timeout=2)   # read something back now and then
            p.close(reset=i % 3 == 0)
        except OSError as e:
            failures += 1
            if failures == 1:
                print("# cycle %d: %s" % (i, e))
    say("robust_garbage_cycles_connect", failures == 0, "%d of %d cycles failed" % (failures, n))
    p = attach(addr)
    r = p.cmd("?")
    say("robust_garbage_cycles_then_serves", stopped(r), repr(r))
    say("robust_garbage_cycles_memory", p.cmd("m7c00,2") == "31c0", "first bytes of spin.bin")
    p.close()


def case_stopped_by_interrupt(addr):
    """After gdb vanished during a continue, the guest waits stopped: the stop
    the next gdb is told about is the interrupt the stub used."""
    p = attach(addr)
    r = p.cmd("?")
    say("robust_gdb_killed_stop_is_sigint", r is not None and r.startswith("T02"), repr(r))
    p.close()


def case_serves(addr):
    """A plain session: the stub answers (used for the Unix socket)."""
    p = attach(addr)
    r = p.cmd("?")
    say("robust_serves_stop", stopped(r), repr(r))
    say("robust_serves_memory", p.cmd("m7c00,2") == "31c0", "first bytes of spin.bin")
    p.close()


CASES = {name[5:]: fn for name, fn in globals().items() if name.startswith("case_")}

if __name__ == "__main__":
    addr = sys.argv[1]
    for case in sys.argv[2:]:
        t0 = time.monotonic()
        try:
            CASES[case](addr)
        except Exception as e:   # a dead or wedged stub must fail, not crash the test
            say("robust_%s_completed" % case, False, "%s: %s" % (type(e).__name__, e))
        print("# %s: %.2f s" % (case, time.monotonic() - t0), flush=True)
