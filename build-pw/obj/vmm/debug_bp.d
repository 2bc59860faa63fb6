build-pw/obj/vmm/debug_bp.o: vmm/debug_bp.c vmm/debug_priv.h \
 gdbstub/gdbstub.h gdbstub/strbuf.h gdbstub/x86_regs.h vmm/debug.h \
 vmm/exits.h vmm/machine.h vmm/console.h vmm/devices/uart8250.h \
 vmm/exitstats.h vmm/hostprobe.h vmm/pio.h vmm/vcpu.h loader/boot_plan.h \
 vmm/x86.h vmm/vm.h
vmm/debug_priv.h:
gdbstub/gdbstub.h:
gdbstub/strbuf.h:
gdbstub/x86_regs.h:
vmm/debug.h:
vmm/exits.h:
vmm/machine.h:
vmm/console.h:
vmm/devices/uart8250.h:
vmm/exitstats.h:
vmm/hostprobe.h:
vmm/pio.h:
vmm/vcpu.h:
loader/boot_plan.h:
vmm/x86.h:
vmm/vm.h:
