# The second gdb of tests/gdb/robust.sh, after the first was killed (-9) during
# `continue` on the spin guest: the guest has run, and now stays stopped.
import time

import gdb

ax1 = reg("rax") & 0xffff
time.sleep(1)
run("maintenance flush register-cache")
ax2 = reg("rax") & 0xffff
check("robust_gdb_killed_guest_had_run", ax1 != 0, "AX=%d: the guest never ran" % ax1)
check_eq("robust_gdb_killed_guest_stays_stopped", ax2, ax1)

script_end()
