build-pw/obj/vmm/monitor.o: vmm/monitor.c vmm/monitor.h gdbstub/strbuf.h \
 vmm/machine.h vmm/console.h vmm/devices/uart8250.h vmm/exitstats.h \
 vmm/hostprobe.h vmm/pio.h vmm/vcpu.h loader/boot_plan.h vmm/x86.h \
 vmm/vm.h vmm/monitor_priv.h vmm/pagewalk.h
vmm/monitor.h:
gdbstub/strbuf.h:
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
vmm/monitor_priv.h:
vmm/pagewalk.h:
