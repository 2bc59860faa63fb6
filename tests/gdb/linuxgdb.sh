# The start of every Linux gdb test (tests/gdb/linux_*.sh); source it first. Not
# executable: tests/run-all.sh runs only executables. Skips without KVM, builds or
# finds the test kernel (tests/run/linuxlib.sh), and gives gdb time for a boot.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/gdblib.sh"
require_kvm
source "$TOP/tests/run/linuxlib.sh"
linux_assets
GDB_LIMIT=${LINUX_GDB_LIMIT:-240}
