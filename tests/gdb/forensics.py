# tests/gdb/forensics.sh: the history and the explanation of a triple fault under gdb.
# Set before sourcing: WANT, the last 16 instruction addresses (objdump) as strings.
import re

import gdb

out = run("monitor history on 16")
check("forensics_gdb_history_on", out.startswith("history: on for vCPU 0"), out)
ev, code, out = resume()
check_eq("forensics_gdb_triple_fault_stop", stop_kind(ev), "signal:SIGSEGV")
out = run("monitor why")
gdb.write(out)
check("forensics_gdb_why_cause",
      re.search(r"^  1\. the stack below rsp 0x7ff000000000 is not mapped", out, re.M) is not None,
      out[-400:])
out = run("monitor history")
gdb.write(out)
got = re.findall(r"^ +\d+ long mode +(0x[0-9a-f]+) ", out, re.M)
check_eq("forensics_gdb_history_16_addresses", got, WANT)
out = run("monitor history off")
check("forensics_gdb_history_off", out.startswith("history: off on vCPU 0 (16 kept)"), out)
check("forensics_gdb_history_bad_usage", "usage: history" in run("monitor history on 0"))

script_end()
