# Shared helpers for the shell tests; source it. Each check prints "ok NAME" or
# "not ok NAME: got ..., expected ...", as tests/run-all.sh counts them.
: "${TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${BUILD:=build}"
: "${VMM:=$TOP/$BUILD/vmm}"
case "$VMM" in /*) ;; *) VMM=$TOP/$VMM ;; esac
G=$TOP/$BUILD/guests
TMPD=$(mktemp -d /tmp/mkvm-test.XXXXXX)
trap 'rm -rf "$TMPD"' EXIT
# The host probe's cache (docs/host-probe.md) per test script: no test reads answers
# another build or an earlier run of the host left in ~/.cache, none writes there.
export XDG_CACHE_HOME=$TMPD/cache

ok()     { echo "ok $1"; }
not_ok() { echo "not ok $1: $2"; }
# skip NAME REASON: a check that could not run here; counted on its own, never a pass
skip()   { echo "skip $1: $2"; }

# Whether this host has a KVM the VMM can use, and if not, why.
kvm_why() {
    if [ ! -e /dev/kvm ]; then
        echo "this host has no /dev/kvm (no KVM module bound: see dmesg | grep -i kvm)"
    elif [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then
        echo "/dev/kvm is not readable and writable by $(id -un)"
    fi
}
have_kvm() { [ -z "$(kvm_why)" ]; }
# require_kvm [WHAT]: what follows in the script runs guests; without KVM it is
# reported as one skip and the script ends there.
require_kvm() {
    have_kvm && return 0
    skip "$(basename "$0" .sh)${1:+_$1}" "needs KVM: $(kvm_why)"
    exit 0
}

# check_eq NAME GOT EXPECTED
check_eq() {
    if [ "$2" == "$3" ]; then ok "$1"; else
        not_ok "$1" "got '$(printf %s "$2" | head -c 600)', expected '$(printf %s "$3" | head -c 600)'"
    fi
}

# check_match NAME TEXT REGEX  (extended regex, searched line by line)
check_match() {
    if printf '%s\n' "$2" | grep -Eq -- "$3"; then ok "$1"; else
        not_ok "$1" "no line matches /$3/ in: $(printf %s "$2" | head -c 600)"
    fi
}

# check_no_match NAME TEXT REGEX: no line of TEXT matches
check_no_match() {
    local hit
    hit=$(printf '%s\n' "$2" | grep -Em1 -- "$3")
    if [ -z "$hit" ]; then ok "$1"; else
        not_ok "$1" "a line matches /$3/: $(printf %s "$hit" | head -c 300)"
    fi
}

# check_lt NAME GOT LIMIT: the number GOT (decimals allowed) is below LIMIT
check_lt() {
    if awk -v g="$2" -v l="$3" 'BEGIN { exit !(g != "" && g + 0 == g && g < l + 0) }'; then
        ok "$1"
    else
        not_ok "$1" "got '$2', expected a number below $3"
    fi
}

# run_vmm OUTFILE ARGS... : runs the VMM with a bounded wall time, stdin from /dev/null
# unless STDIN_FILE is set; sets RC.
run_vmm() {
    local out=$1; shift
    timeout --kill-after=5 "${RUN_LIMIT:-60}" "$VMM" "$@" >"$out" 2>"$out.err" <"${STDIN_FILE:-/dev/null}"
    RC=$?
}
