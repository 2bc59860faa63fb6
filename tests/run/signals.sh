#!/usr/bin/env bash
# Ending a run from outside: SIGINT/SIGTERM/SIGHUP to a running VMM make it stop its
# guests, print one line and exit (130/143) within 2 s, all threads gone; with a
# terminal on stdin the terminal settings afterwards equal those before (`stty -g`
# inside the pty), after a signal, after the guest's own end and after Ctrl-A x.
source "$(dirname "$0")/../lib.sh"
require_kvm

# One case a line: name | stdin (null: /dev/null, pty: a pseudo-terminal, also the
# VMM's stdout) | image (under $G) | action | status (any: not checked) | stderr
# regex for its one non-empty line (-: stderr empty)
# action: INT/TERM/HUP (that signal once the vCPU runs), keys (Ctrl-A x typed once
# the terminal is raw), none (let the guest end by itself).
CASES='
int-null   | null | real/spin.bin  | INT  | 130 | ^vmm: Interrupt, stopping$
term-null  | null | real/spin.bin  | TERM | 143 | ^vmm: Terminated, stopping$
hup-null   | null | real/spin.bin  | HUP  | 129 | ^vmm: Hangup, stopping$
int-pty    | pty  | real/spin.bin  | INT  | 130 | ^vmm: Interrupt, stopping$
term-pty   | pty  | real/spin.bin  | TERM | 143 | ^vmm: Terminated, stopping$
quit-pty   | pty  | real/spin.bin  | keys | 0   | ^vmm: Ctrl-A x, quitting$
exit-pty   | pty  | real/hello.bin | none | 0   | -
'

# drive VMM IMAGE STDIN ACTION ERRFILE: runs the case and prints key=value lines:
# status (negative: killed by that signal, i.e. not handled), ready (the vCPU thread
# was running / the terminal was raw before the action), ms (action to exit), tty
# (same or changed, from stty -g), threads (before the action), out (stdout, pty).
# "Gone" means exited and reaped: every thread of the VMM has ended by then.
drive() {
    python3 - "$@" <<'EOF'
import os, pty, select, signal, subprocess, sys, termios, time

vmm, image, stdin_kind, action, errfile = sys.argv[1:6]
master = slave = None
stty_before = None
if stdin_kind == "pty":
    master, slave = pty.openpty()
    stty = lambda: subprocess.run(["stty", "-g"], stdin=slave, capture_output=True,
                                  text=True, timeout=5).stdout.strip()
    stty_before = stty()
    stdin = stdout = slave
else:
    stdin = subprocess.DEVNULL
    stdout = subprocess.PIPE
with open(errfile, "wb") as err:
    proc = subprocess.Popen([vmm, image], stdin=stdin, stdout=stdout, stderr=err,
                            start_new_session=True)
out = b""
def drain(wait):
    global out
    fd = master if master is not None else proc.stdout.fileno()
    r, _, _ = select.select([fd], [], [], wait)
    if r:
        try:
            out += os.read(fd, 4096)
        except OSError:
            pass

def threads():
    try:
        return len(os.listdir("/proc/%d/task" % proc.pid))
    except OSError:
        return 0

# Ready: main, signal waiter and vCPU threads exist (the input thread may have ended
# at EOF) and, on a terminal, the VMM has made it raw. Bounded: 10 s.
deadline = time.monotonic() + 10
ready = False
while action != "none" and time.monotonic() < deadline and proc.poll() is None:
    raw = stdin_kind != "pty" or not termios.tcgetattr(slave)[3] & (termios.ICANON | termios.ECHO)
    if threads() >= 3 and raw:
        ready = True
        break
    drain(0.01)
nthreads = threads()
if ready:
    time.sleep(0.2)              # let the vCPU get going
t0 = time.monotonic()
if action in ("INT", "TERM", "HUP"):
    proc.send_signal(getattr(signal, "SIG" + action))
elif action == "keys":
    os.write(master, b"\x01x")
deadline = t0 + 5
while time.monotonic() < deadline and proc.poll() is None:
    drain(0.01)
ms = int((time.monotonic() - t0) * 1000)
if proc.poll() is None:
    proc.kill()
status = proc.wait()
drain(0)
print("status=%d" % status)
print("ready=%s" % ("yes" if ready or action == "none" else "no"))
print("ms=%d" % ms)
print("threads=%d" % nthreads)
if stdin_kind == "pty":
    after = stty()
    print("tty=%s" % ("same" if after == stty_before else "changed %s -> %s" % (stty_before, after)))
print("out=%r" % out)
EOF
}

trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; printf %s "${s%"${s##*[![:space:]]}"}"; }

if ! command -v python3 >/dev/null || ! command -v stty >/dev/null; then
    not_ok signals "python3 and stty are needed"
    exit 0
fi

while IFS='|' read -r name kind image action status re; do
    name=$(trim "$name")
    [ -n "$name" ] || continue
    kind=$(trim "$kind") image=$(trim "$image") action=$(trim "$action")
    status=$(trim "$status") re=$(trim "$re")
    declare -A r=()
    while IFS='=' read -r k v; do r[$k]=$v; done < <(drive "$VMM" "$G/$image" "$kind" "$action" "$TMPD/$name.err")
    check_eq "$name-ready" "${r[ready]:-}" yes
    [ "$status" = any ] || check_eq "$name-status" "${r[status]:-}" "$status"
    if [ "$action" != none ]; then
        if [ "${r[ms]:-99999}" -le 2000 ]; then ok "$name-gone-in-2s"; else
            not_ok "$name-gone-in-2s" "still running ${r[ms]:-?} ms after $action (status ${r[status]:-?})"
        fi
    fi
    # stderr: the one line, whatever blank lines or \r surround it.
    lines=$(tr -d '\r' <"$TMPD/$name.err" | grep -v '^$')
    if [ "$re" = - ]; then
        check_eq "$name-stderr" "$lines" ""
    else
        check_eq "$name-stderr-one-line" "$(grep -c . <<<"$lines")" 1
        check_match "$name-stderr" "$lines" "$re"
    fi
    [ "$kind" = pty ] && check_eq "$name-tty-restored" "${r[tty]:-}" same
    [ "$name" = exit-pty ] && check_eq "$name-stdout" "${r[out]:-}" "b'Hello, world!\\r\\n'"
    unset r
done <<<"$CASES"
