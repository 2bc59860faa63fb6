#!/usr/bin/env bash
# Runs each small assembly guest headless and compares its stdout byte for byte and
# its exit status (and, where given, a line of stderr) with what the guest must do.
# Then the echo guest once more with a real terminal on stdin and stdout.
source "$(dirname "$0")/../lib.sh"
require_kvm

EXP=$TOP/tests/run/expected
export RUN_LIMIT=${RUN_LIMIT:-30}

# One case a line, fields separated by '|':
#   name | image (under $G) | extra VMM args (- none) | stdin | status | expected stdout
#   (file in tests/run/expected) | stderr regex (- none; @SYM@ stands for the hex
#   address of .text symbol SYM in a flat image, read from its object file with nm;
#   being the last field, it may itself contain '|')
# stdin: - (/dev/null), file:FMT (a regular file), pipe:FMT (a pipe), late:FMT (a pipe
# written 0.3 s after the start, so the guest first sees getchar answer "none yet");
# FMT is a printf format.
# The triple fault: the VMM must name the rip of special/triplefault.S's ud2
# (fault_insn, 0x7c06 today).
CASES='
minimal        | real/minimal.bin        | - | -             | 0   | minimal.out        | -
hello          | real/hello.bin          | - | -             | 0   | hello.out          | -
counter        | real/counter.bin        | - | -             | 0   | counter.out        | -
hctest         | real/hctest.bin         | - | -             | 0   | hctest.out         | -
multiplication | real/multiplication.bin | - | -             | 0   | multiplication.out | -
fibonacci      | real/fibonacci.bin      | - | -             | 0   | fibonacci.out      | -
echo-file      | real/echo.bin           | - | file:hello\n  | 0   | echo.out           | -
echo-pipe      | real/echo.bin           | - | pipe:hello\n  | 0   | echo.out           | -
echo-late      | real/echo.bin           | - | late:hello\n  | 0   | echo.out           | -
hello32        | protected/hello32.elf   | - | -             | 0   | hello32.out        | -
arith32        | protected/arith32.elf   | - | -             | 0   | arith32.out        | -
hello64        | long/hello64.elf        | - | -             | 0   | hello64.out        | -
ring3          | long/ring3.elf          | - | -             | 0   | ring3.out          | -
modeswitch     | special/modeswitch.bin  | - | -             | 0   | modeswitch.out     | -
triplefault    | special/triplefault.bin | - | -             | 125 | triplefault.out    | triple fault.*rip (0x)?0*@fault_insn@([^0-9a-fA-F]|$)
exitcode       | special/exitcode.bin    | - | -             | 42  | exitcode.out       | -
'

# flat_sym_addr IMAGE SYM: the address of .text symbol SYM in a flat image (linked
# at 0x7c00 with .text first, so its offset in the object file plus 0x7c00), as
# lowercase hex without 0x.
flat_sym_addr() {
    local off
    off=$(nm "$G/${1%.bin}.o" 2>/dev/null | awk -v s="$2" '$3 == s { print $1 }')
    [ -n "$off" ] && printf '%x' $((0x7c00 + 0x$off))
}

trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; printf %s "${s%"${s##*[![:space:]]}"}"; }

# run_case NAME IMAGE ARGS STDIN: runs the VMM, leaves stdout in $TMPD/NAME.
run_case() {
    local name=$1 image=$2 args=$3 input=$4 out=$TMPD/$1
    local -a extra=()
    [ "$args" = - ] || read -r -a extra <<<"$args"
    case $input in
    -)      STDIN_FILE=/dev/null run_vmm "$out" "${extra[@]}" "$G/$image" ;;
    file:*) printf -- "${input#file:}" >"$TMPD/$name.in"
            STDIN_FILE=$TMPD/$name.in run_vmm "$out" "${extra[@]}" "$G/$image" ;;
    pipe:*) STDIN_FILE=<(printf -- "${input#pipe:}") run_vmm "$out" "${extra[@]}" "$G/$image" ;;
    late:*) STDIN_FILE=<(sleep 0.3; printf -- "${input#late:}") \
                run_vmm "$out" "${extra[@]}" "$G/$image" ;;
    *)      not_ok "$name-stdin" "bad stdin field '$input' in the table"; RC=-1 ;;
    esac
}

while IFS='|' read -r name image args input status expected errre; do
    name=$(trim "$name")
    [ -n "$name" ] || continue
    image=$(trim "$image") args=$(trim "$args") input=$(trim "$input")
    status=$(trim "$status") expected=$(trim "$expected") errre=$(trim "$errre")
    if [ ! -e "$G/$image" ]; then
        not_ok "$name" "guest image $G/$image missing (make guests)"
        continue
    fi
    run_case "$name" "$image" "$args" "$input"
    check_eq "$name-status" "$RC" "$status"
    # cmp, not $(...): command substitution would drop trailing newlines.
    if cmp -s "$TMPD/$name" "$EXP/$expected"; then
        ok "$name-stdout"
    else
        not_ok "$name-stdout" "got '$(od -An -c "$TMPD/$name" | head -c 600)', expected '$(od -An -c "$EXP/$expected" | head -c 600)' (stderr: $(head -c 300 "$TMPD/$name.err"))"
    fi
    while [[ $errre =~ @([A-Za-z_][A-Za-z0-9_]*)@ ]]; do
        sym=${BASH_REMATCH[1]}
        addr=$(flat_sym_addr "$image" "$sym") || addr="no-symbol-$sym"
        errre=${errre//@$sym@/$addr}
    done
    [ "$errre" = - ] || check_match "$name-stderr" "$(cat "$TMPD/$name.err")" "$errre"
done <<<"$CASES"

# The echo guest on a terminal. The VMM switches its stdin to raw input (no ICRNL,
# no ECHO, no ICANON) but keeps output post-processing, so the guest receives
# "pty!\rok\n" untouched, echoes it, and the terminal turns its "\n" into "\r\n":
# "pty!\rok\r\n" comes back. Sent only once the VMM has switched the terminal to raw,
# because the line discipline would otherwise echo and translate the bytes itself.
# Afterwards the terminal settings must be those from before the run.
pty_echo() {
    python3 - "$VMM" "$G/real/echo.bin" "$TMPD/echo-pty" <<'EOF'
import os, pty, select, subprocess, sys, termios, time

vmm, image, out = sys.argv[1:4]
master, slave = pty.openpty()
before = termios.tcgetattr(slave)
with open(out + ".err", "wb") as err:
    proc = subprocess.Popen([vmm, image], stdin=slave, stdout=slave, stderr=err,
                            start_new_session=True)
deadline = time.monotonic() + 20
raw = False
while time.monotonic() < deadline and proc.poll() is None:
    if not termios.tcgetattr(slave)[3] & (termios.ICANON | termios.ECHO):
        raw = True
        break
    time.sleep(0.01)
got = b""
if raw:
    os.write(master, b"pty!\rok\n")
# Our copy of the slave stays open, so reads never see EIO: stop once the VMM
# has exited and nothing more is waiting.
while time.monotonic() < deadline:
    r, _, _ = select.select([master], [], [], 0.1)
    if r:
        got += os.read(master, 4096)
    elif proc.poll() is not None:
        break
if proc.poll() is None:
    proc.kill()
rc = proc.wait()
after = termios.tcgetattr(slave)
with open(out, "wb") as f:
    f.write(got)
print("raw" if raw else "not-raw")
print(rc)
print("restored" if after == before else "changed: %r -> %r" % (before, after))
EOF
}

if ! command -v python3 >/dev/null; then
    not_ok echo-pty "python3 not found"
else
    mapfile -t res < <(pty_echo)
    check_eq echo-pty-raw "${res[0]:-}" raw
    check_eq echo-pty-status "${res[1]:-}" 0
    if cmp -s "$TMPD/echo-pty" "$EXP/echo-pty.out"; then ok echo-pty-stdout; else
        not_ok echo-pty-stdout "got '$(od -An -c "$TMPD/echo-pty" | head -c 300)', expected '$(od -An -c "$EXP/echo-pty.out")' (stderr: $(head -c 300 "$TMPD/echo-pty.err" 2>/dev/null))"
    fi
    check_eq echo-pty-termios "${res[2]:-}" restored
fi
