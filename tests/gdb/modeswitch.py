# Step special/modeswitch from its first real-mode instruction to its long-mode
# code: the register set never changes size, and cr0/efer are seen changing.
import gdb

target = sym("lm64")
seen_pe = seen_pg = seen_lma = False
steps = 0
errors = []
while reg("rip") != target and steps < 5000:
    out = run("stepi")
    if "gdb.error" in out:
        errors.append(out)
        break
    steps += 1
    cr0, efer = reg("cr0"), reg("efer")
    seen_pe = seen_pe or bool(cr0 & 1)
    seen_pg = seen_pg or bool(cr0 & (1 << 31))
    seen_lma = seen_lma or bool(efer & (1 << 10))
check_eq("modeswitch_reached_lm64", hex(reg("rip")), hex(target))
check("modeswitch_no_gdb_error", not errors, "; ".join(errors)[:300])
check("modeswitch_saw_cr0_pe", seen_pe)
check("modeswitch_saw_cr0_pg", seen_pg)
check("modeswitch_saw_efer_lma", seen_lma)
check("modeswitch_steps_plausible", 20 < steps < 5000, str(steps))
# the register block is the same size in every mode: gdb can still read all of it
regs = run("info all-registers")
check("modeswitch_all_registers_readable", "xmm15" in regs and "efer" in regs, regs[-200:])
ev, code, out = resume()
check_eq("modeswitch_exit_code_0", code, 0)

script_end()
