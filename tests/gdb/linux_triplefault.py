# --linux-test-break: the zero page's init_size is corrupted, so the 64-bit entry
# of the decompressor computes a stack above the 4 GiB the loader mapped; its first
# push (pushq $__KERNEL_CS, before it has an IDT) faults and the fault cannot be
# delivered: a triple fault, shown to gdb as SIGSEGV at that instruction.
import gdb

LOAD = 0x1000000
run("add-symbol-file %s/decompressor.elf -o %#x" % (LINUX_OUT, LOAD))
# the instruction the fault must point at: the first push $0x10 in startup_64
push = None
for line in run("x/40i startup_64").splitlines():
    if "push" in line and "$0x10" in line:
        push = int(line.split()[0].rstrip(":"), 16) if line.split()[0].startswith("0x") \
            else int(line.split()[1].rstrip(":"), 16)
        break
check("linux_triplefault_found_push", push is not None, "no push $0x10 in startup_64")
ev, code, out = resume()
check_eq("linux_triplefault_stop", stop_kind(ev), "signal:SIGSEGV")
check_eq("linux_triplefault_rip", hex(reg("rip")), hex(push or 0))
here = run("x/i $pc")
check("linux_triplefault_insn_is_push", "push" in here and "$0x10" in here, here)
check("linux_triplefault_in_startup_64", "startup_64" in here, here)
check("linux_triplefault_rsp_above_4g", reg("rsp") > 0xffffffff, hex(reg("rsp")))

script_end()
