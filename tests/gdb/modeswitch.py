# Step special/modeswitch from its first real-mode instruction into long mode. At
# every stop: gdb's architecture is the mode the code runs in, and x/i equals
# objdump's disassembly of that address in that mode. The shell passes objdump's text
# per region of the source ($MODESWITCH_OBJDUMP: "MACHINE<tab>ADDR<tab>TEXT" lines:
# i8086 from _start, i386 from pm32, i386:x86-64 from lm64, one puts per mode).
import os
import re

import gdb

MAX_STEPS = 600
CR0_PE, CR0_PG, EFER_LMA = 1, 1 << 31, 1 << 10

objdump = {}
order = []
with open(os.environ["MODESWITCH_OBJDUMP"]) as f:
    for l in f:
        m, a, t = l.rstrip("\n").split("\t", 2)
        objdump[int(a, 16)] = (m, t)
        order.append(int(a, 16))
labels = {s: sym(s) for s in ("_start", "pm32", "lm64", "puts16", "puts32", "puts64")}


def norm(text):
    text = re.sub(r"\s*<[^>]*>", "", text)
    return " ".join(text.replace("0x", "").split())


def pc():
    try:
        return int(gdb.parse_and_eval("$pc")) & 0xffffffffffffffff
    except gdb.error:
        return None  # the guest ended


def after(addr, pred):
    """The address of the instruction following the first one at or after ADDR (in
    objdump's order) whose text satisfies PRED."""
    i = order.index(addr)
    while not pred(objdump[order[i]][1]):
        i += 1
    return order[i + 1]


# where stepping ends: back in lm64 from puts64, before the exit hypercall
end = after(labels["lm64"], lambda t: t.startswith("call") and "puts64" in t)

check_eq("modeswitch_attach_pc", pc(), labels["_start"])
check_eq("modeswitch_attach_arch", arch(), "i8086")

steps = 0
arch_bad, insn_bad, mode_bad, errors = [], [], [], []
arches = []          # gdb's architecture at each stop, repeats collapsed
switches = []        # (pc before, pc after, arch after, stop kind) where the arch changed
seen_real = seen_pe = seen_lma = False
regs_shown = {}
while steps < MAX_STEPS:
    p = pc()
    if p is None:
        errors.append("the guest ended (exit %s)" % last["exit"])
        break
    a = arch()
    want = objdump.get(p)
    if want is None:
        errors.append("pc 0x%x is no instruction of objdump's" % p)
        break
    machine, text = want
    if a != machine:
        arch_bad.append("0x%x: gdb %s, code is %s" % (p, a, machine))
    got = run("x/i $pc").split("\n")[0]
    got = got.split(":", 1)[1] if ":" in got else got
    if norm(got) != norm(text):
        insn_bad.append("0x%x (%s): gdb %r, objdump %r" % (p, machine, got.strip(), text))
    # the control registers say the same as the source's regions
    cr0, efer = reg("cr0"), reg("efer")
    seen_real = seen_real or not cr0 & CR0_PE
    seen_pe = seen_pe or bool(cr0 & CR0_PE)
    seen_lma = seen_lma or bool(efer & EFER_LMA)
    if machine == "i386:x86-64" and (not cr0 & CR0_PG or not efer & EFER_LMA):
        mode_bad.append("0x%x: 64-bit code with cr0 %#x efer %#x" % (p, cr0, efer))
    if machine == "i386" and not cr0 & CR0_PE:
        mode_bad.append("0x%x: 32-bit code with cr0 %#x" % (p, cr0))
    if machine == "i8086" and efer & EFER_LMA:
        mode_bad.append("0x%x: 16-bit code with efer %#x" % (p, efer))
    if not arches or arches[-1] != a:
        arches.append(a)
        if a not in regs_shown:
            regs_shown[a] = run("info registers")
    if p == end:
        break
    if text.startswith("rep stos"):
        # 3072 iterations would each be a step: watch the first dword the next
        # instruction writes (the PML4's first entry) instead, and continue
        # (only that watchpoint is deleted afterwards: the catch exec stays)
        wp = gdb.Breakpoint("*(unsigned int *)0x10000", gdb.BP_WATCHPOINT, internal=False)
        for _ in range(4):
            if pc() != p:
                break
            ev, code, out = resume()
        wp.delete()
        steps += 1
        continue
    ev, code, out = resume("stepi")
    steps += 1
    if ev is None or "gdb.error" in out:
        errors.append("stepi at 0x%x (%s): %s" % (p, text, "the guest ran to its end (exit %s)" % code
                                                  if code is not None else out.strip()[:200] or "no stop"))
        break
    if arch() != a:
        switches.append((p, pc(), arch(), stop_kind(ev)))

check_eq("modeswitch_reached_end", pc(), end)
check("modeswitch_no_step_error", not errors, "; ".join(errors))
check("modeswitch_steps_bounded", 50 < steps < MAX_STEPS, str(steps))
check("modeswitch_arch_is_the_code_mode", not arch_bad, "; ".join(arch_bad[:5]))
check("modeswitch_x_i_equals_objdump", not insn_bad, "; ".join(insn_bad[:5]))
check("modeswitch_cr0_efer_agree", not mode_bad, "; ".join(mode_bad[:5]))
check("modeswitch_saw_real_pe_lma", seen_real and seen_pe and seen_lma,
      "real %s pe %s lma %s" % (seen_real, seen_pe, seen_lma))
check_eq("modeswitch_arch_sequence", arches, ["i8086", "i386", "i386:x86-64"])
# one stepi across each far jump stops at the first instruction of the new mode
check_eq("modeswitch_switch_pcs", [(hex(b), w) for a, b, w, k in switches],
         [(hex(labels["pm32"]), "i386"), (hex(labels["lm64"]), "i386:x86-64")])
check("modeswitch_switch_from_far_jumps",
      all(objdump.get(a, ("", ""))[1].startswith("ljmp") for a, b, w, k in switches),
      str([(hex(a), objdump.get(a)) for a, b, w, k in switches]))
for a, r in regs_shown.items():
    want = "rip" if a == "i386:x86-64" else "eip"
    check("modeswitch_info_registers_%s_has_%s" % (re.sub(r"[^a-z0-9]", "_", a), want), re.search(r"(^|\n)%s " % want, r), r[:200])
check("modeswitch_no_rip_in_32bit", "i386" in regs_shown and
      not re.search(r"(^|\n)rip ", regs_shown["i386"]), regs_shown.get("i386", "")[:200])
# (when the guest ended under a stepi there is nothing left to look at)
if pc() is not None:
    # the symbol file survived the switches (an exec event must not unload it)
    check_eq("modeswitch_symbols_kept", sym("lm64"), labels["lm64"])
    check("modeswitch_info_symbol", "lm64" in run("info symbol 0x%x" % labels["lm64"]),
          run("info symbol 0x%x" % labels["lm64"]))

    ev, code, out = resume()
    check_eq("modeswitch_exit_code_0", code, 0)

script_end()
